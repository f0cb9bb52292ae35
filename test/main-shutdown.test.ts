import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../src/adapters/store/db.js';
import { migrate } from '../src/adapters/store/migrate.js';
import { openPg } from '../src/adapters/store/pg.js';
import { insertIncident } from '../src/adapters/store/queries/incidents.js';
import { SLACK_EVENTS_PATH } from '../src/adapters/chat/slack/index.js';
import { startBotProcess } from './support/bot-process.js';
import type { PrivatePostgres } from './support/private-postgres.js';
import { canRunPrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import type { StandInSlack } from '../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../bench/lib/stand-in-slack.js';
import { postSigned, slashCommandBody } from '../bench/lib/slack-requests.js';

const SIGNING_SECRET = 'shutdown-signing-secret';

describe.skipIf(!canRunPrivatePostgres)('SIGTERM while an answer is in flight', () => {
  let server: PrivatePostgres;
  let db: Db;
  let slack: StandInSlack;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = await openPg(server.url, { maxConnections: 2 });
    await migrate(db);
    slack = await startStandInSlack();
  });
  afterAll(async () => {
    await slack?.close();
    await db?.close().catch(() => undefined);
    await server?.destroy();
  });

  it('stops taking requests, finishes the answer it accepted, releases its leases and exits cleanly', async () => {
    const id = await insertIncident(db, {
      signal: 'tracking', target: 'purchase', severity: 'major', title: 'purchase events dropped', ownerTeam: 'dev',
      openedAt: new Date(), breachStartedAt: new Date(), evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
    const bot = startBotProcess({
      DATABASE_URL: server.url, SLACK_BOT_TOKEN: 'xoxb-shutdown-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      PORT: '0', CONSOLE: 'off', LOG_LEVEL: 'info', SCHEDULER: 'on',
    });
    const listening = await bot.waitForLog((line) => line.message === 'slack: listening');
    const base = `http://127.0.0.1:${String(listening.port)}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // Another session holds the incident, so the acknowledgement waits inside the bot's transaction.
    let release!: () => void;
    const blocker = await openPg(server.url, { maxConnections: 1 });
    const held = blocker.transaction(async (tx) => {
      await tx.query('SELECT id FROM incidents WHERE id = $1 FOR UPDATE', [id]);
      await new Promise<void>((resolve) => { release = resolve; });
    });
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const acked = await postSigned({
      url: `${base}${SLACK_EVENTS_PATH}`, contentType: 'application/x-www-form-urlencoded', signingSecret: SIGNING_SECRET, timestampS: Math.floor(Date.now() / 1000),
      body: slashCommandBody({ text: `incident ack ${id}`, channelId: 'C0DEV', userId: 'U0OWNER', responseUrl: slack.responseUrl('ack') }),
    });
    expect(acked.status).toBe(200);
    await vi.waitFor(async () => {
      expect(await db.query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).toHaveLength(1);
    }, { timeout: 20_000, interval: 50 });

    bot.child.kill('SIGTERM');
    // No new requests once stopping: the port closes while the accepted answer still waits.
    await vi.waitFor(async () => {
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    }, { timeout: 5_000, interval: 50 });
    release();
    await held;
    await blocker.close();

    expect(await bot.exited).toBe(0);
    expect(await db.query('SELECT status, acknowledged_by FROM incidents WHERE id = $1', [id])).toEqual([{ status: 'acknowledged', acknowledged_by: 'U0OWNER' }]);
    const posted = slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'C0DEV');
    expect(posted.map((call) => String(call.params.text))).toEqual([expect.stringContaining(`Incident ${id} acknowledged.`)]);
    expect(await db.query("SELECT job FROM job_runs WHERE finished_at IS NULL AND lease_until > now()")).toEqual([]);
    // No delivery claim outlives the process: another replica could deliver at once.
    expect(await db.query('SELECT id, status FROM outbox WHERE claimed_by IS NOT NULL')).toEqual([]);
    expect(bot.lines.find((line) => line.message === 'stopped')).toMatchObject({ answersFinished: 1 });
  });
});
