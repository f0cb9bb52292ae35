import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startStandInSlack } from '../bench/lib/stand-in-slack.js';
import { startBotProcess } from './support/bot-process.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Starts `npm start`'s entry point with a given environment and no terminal. */
function start(env: Record<string, string>) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    input: 'quit\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, stderr: child.stderr.trim(), stdout: child.stdout };
}

describe('starting the bot', () => {
  it('fails fast with one clear line when the database server cannot be reached', () => {
    const result = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/x \(.+\); check that the server runs/);
  });

  it('fails fast naming a malformed variable and the form it expects', () => {
    const result = start({ PORT: 'eighty', LOCALE: 'fr' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT: ');
    expect(result.stderr).toMatch(/LOCALE: .*en.*it/);
    expect(result.stdout).toBe('');
  });

  it('refuses a Slack token Slack refuses with one line naming SLACK_BOT_TOKEN and a non-zero exit, before anything listens', async () => {
    const slack = await startStandInSlack();
    slack.script('auth.test', { error: 'invalid_auth' });
    try {
      // The database is unreachable on purpose: the token is checked first.
      const bot = startBotProcess({ SLACK_BOT_TOKEN: 'xoxb-refused-token', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, CONSOLE: 'off', PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
      expect(await bot.exited).toBe(1);
      const lines = bot.output().trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN: Slack refused the bot token \(invalid_auth\)\. Copy the Bot User OAuth Token/)]);
      expect(bot.output()).not.toContain('listening');
      expect(bot.output()).not.toContain('xoxb-refused-token');
      expect(slack.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await slack.close();
    }
  });
});
