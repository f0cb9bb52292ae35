import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
});
