import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannels } from '../src/start-channels.js';
import { testApp } from './support/cli.js';
import { testDbKind, useTestDb } from './support/db.js';
import type { StandInSlack } from '../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../bench/lib/stand-in-slack.js';
import type { StandInLogin } from './adapters/chat/teams/stand-in-login.js';
import { startStandInLogin } from './adapters/chat/teams/stand-in-login.js';

describe(`operations endpoints on PORT on ${testDbKind}`, () => {
  const test = useTestDb();
  let slack: StandInSlack;
  let login: StandInLogin;
  beforeAll(async () => {
    slack = await startStandInSlack();
    login = await startStandInLogin();
  });
  afterAll(async () => {
    await slack?.close();
    await login?.close();
  });

  const start = async (env: Record<string, string>) => {
    const app = testApp(test.db, { PORT: '0', SCHEDULER: 'off', OUT_DIR: 'out/test-ops', ...env });
    const started = await startChannels(app, { holder: 'ops-test', consoleOutput: new PassThrough(), serveOps: true });
    if (!started.ok) throw new Error(started.error);
    return { app, channels: started.value, base: `http://127.0.0.1:${String(started.value.opsPort)}` };
  };

  it('answers /healthz, /readyz and /metrics when no chat platform listens there, with answers counted by command and outcome', async () => {
    const { app, channels, base } = await start({});
    try {
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'alive' });
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { database: 'ok' } }]);
      await app.bot.handle({ text: 'changes last 7d', platform: 'cli', channelId: 'cli', userId: 'ops' });
      await app.bot.handle({ text: 'frobnicate', platform: 'cli', channelId: 'cli', userId: 'ops' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^mkt_answers_total\{command="changes",outcome="(ok|no_data)"\} 1$/m);
      expect(metrics).toMatch(/^mkt_answers_total\{command="\(none\)",outcome="bad_input"\} 1$/m);
      expect(metrics).toMatch(/^mkt_answer_duration_seconds_count\{command="changes",outcome="(ok|no_data)"\} 1$/m);
      expect(metrics).toMatch(/^mkt_delivery_queue_pending \d+$/m);
      expect(metrics).toMatch(/^mkt_database_up 1$/m);
      const elsewhere = await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' });
      expect([elsewhere.status, await elsewhere.json()]).toEqual([404, { error: 'no POST /slack/events here' }]);
    } finally {
      await channels.stop();
    }
  });

  it('answers /healthz while a long query runs: the embedded database works on its own thread, not the event loop', async () => {
    const { channels, base } = await start({});
    try {
      let queryDone = false;
      const longQuery = test.db.query('SELECT pg_sleep(6)').then(() => {
        queryDone = true;
      });
      const health = await fetch(`${base}/healthz`);
      expect([health.status, queryDone]).toEqual([200, false]);
      await longQuery;
      expect(queryDone).toBe(true);
    } finally {
      await channels.stop();
    }
  });

  it('serves them on the Slack HTTP port too, and reports Slack not ready while its token no longer signs in', async () => {
    const { channels, base } = await start({ SLACK_BOT_TOKEN: 'xoxb-ops-test', SLACK_SIGNING_SECRET: 'ops-secret', SLACK_API_URL: slack.apiUrl });
    try {
      // Bolt checks the token once at start; the next check is the readiness probe's.
      await slack.waitFor((calls) => calls.some((call) => call.method === 'auth.test'));
      slack.script('auth.test', { error: 'invalid_auth' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const refused = await fetch(`${base}/readyz`);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ status: 'not ready', checks: { database: 'ok', slack: expect.stringContaining('invalid_auth') } });
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { database: 'ok', slack: 'ok' } }]);
    } finally {
      await channels.stop();
    }
  });

  it('reports Teams not ready while Entra refuses the app\'s credentials, naming Entra\'s error, and ready once it signs in again', async () => {
    const { channels, base } = await start({
      TEAMS_APP_ID: '00000000-0000-0000-0000-0000000000a1', TEAMS_APP_PASSWORD: 'expired-secret', TEAMS_TENANT_ID: 'tenant-ops', TEAMS_LOGIN_URL: login.url,
    });
    try {
      login.refuseTokens({ error: 'invalid_client', error_description: 'AADSTS7000222: The provided client secret keys for app are expired.\nTrace ID: 1' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const refused = await fetch(`${base}/readyz`);
      expect(refused.status).toBe(503);
      const body = await refused.json() as { status: string; checks: Record<string, string> };
      expect(body).toEqual({ status: 'not ready', checks: { database: 'ok', teams: expect.stringContaining('invalid_client: AADSTS7000222') } });
      expect(body.checks.teams).not.toContain('expired-secret');
      expect(body.checks.teams).not.toContain('Trace ID');
      login.refuseTokens(undefined);
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { database: 'ok', teams: 'ok' } }]);
      expect(login.tokenRequests.at(-1)?.get('client_id')).toBe('00000000-0000-0000-0000-0000000000a1');
    } finally {
      await channels.stop();
    }
  });

  it('holds the scheduler until schedulerAfter settles (first start\'s demo replay), and never starts it once stopping', async () => {
    const app = testApp(test.db, { PORT: '0', SCHEDULER: 'on', OUT_DIR: 'out/test-ops' });
    let replayDone!: () => void;
    const replay = new Promise<void>((resolve) => { replayDone = resolve; });
    const started = await startChannels(app, { holder: 'hold-test', consoleOutput: new PassThrough(), serveOps: false, schedulerAfter: replay });
    if (!started.ok) throw new Error(started.error);
    // A scheduler started at once would have caught up on every job's last period by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await test.db.query('SELECT job FROM job_runs')).toEqual([]);
    await started.value.stop();
    replayDone();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await test.db.query('SELECT job FROM job_runs')).toEqual([]);
  });
});
