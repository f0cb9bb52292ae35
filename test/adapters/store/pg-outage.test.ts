import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../src/adapters/store/db.js';
import { migrate } from '../../../src/adapters/store/migrate.js';
import { openPg } from '../../../src/adapters/store/pg.js';
import { insertIncident } from '../../../src/adapters/store/queries/incidents.js';
import { signBody } from '../../../src/adapters/sources/deploy-hooks.js';
import { translator } from '../../../src/bot/messages/index.js';
import type { JobDefinition } from '../../../src/jobs/job.js';
import { minuteSlotKey } from '../../../src/jobs/period-key.js';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { watchAvailability } from '../../../src/adapters/store/availability.js';
import { ask, createTestBot, recordingLogger } from '../../support/bot.js';
import type { PrivatePostgres } from '../../support/private-postgres.js';
import { canRunPrivatePostgres, startPrivatePostgres } from '../../support/private-postgres.js';
import { startHooksServer } from '../sources/support/hooks-server.js';
import { testJobContext } from '../../jobs/job-context.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const unreachable = translator('en')('common.storeUnavailable');

/** The server stopped while a transaction waits inside it: the fault that used to end the process. */
describe.skipIf(!canRunPrivatePostgres)('a PostgreSQL server that goes away and comes back', () => {
  let server: PrivatePostgres;
  let db: Db;
  let isUp = true;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = await openPg(server.url, { maxConnections: 4 });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await server?.destroy();
  });
  beforeEach(async () => {
    if (!isUp) await server.start();
    isUp = true;
    await db.exec('TRUNCATE incidents, incident_events, outbox, job_runs RESTART IDENTITY CASCADE');
  });

  const stopServer = async () => {
    isUp = false;
    await server.stop('fast');
  };
  const startServer = async () => {
    await server.start();
    isUp = true;
  };

  it('fails the one request caught mid-transaction with the plain message, stays up, and answers again once the server is back', async () => {
    const id = await insertIncident(db, {
      signal: 'tracking', target: 'purchase', severity: 'major', title: 'purchase events dropped', ownerTeam: 'dev',
      openedAt: NOW, breachStartedAt: NOW, evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
    const bot = createTestBot(db, { now: NOW });
    // Another session holds the incident's row, so `incident resolve` waits inside its transaction.
    const blocker = await openPg(server.url, { maxConnections: 1 });
    let release!: () => void;
    const held = blocker.transaction(async (tx) => {
      await tx.query('SELECT id FROM incidents WHERE id = $1 FOR UPDATE', [id]);
      await new Promise<void>((resolve) => { release = resolve; });
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const answer = ask(bot, `incident resolve ${id}`, { platform: 'slack', channelId: 'C1', userId: 'U1' });
    await vi.waitFor(async () => {
      const waiting = await db.query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'");
      expect(waiting).toHaveLength(1);
    }, { timeout: 20_000, interval: 50 });

    await stopServer();
    const cutOff = await answer;
    expect(cutOff).toMatchObject({ summary: unreachable, problem: 'store_unavailable' });
    release();
    expect(await held).toBeInstanceOf(Error);
    await blocker.close().catch(() => undefined);

    expect((await ask(bot, 'incidents open')).summary).toBe(unreachable);

    await startServer();
    const resolved = await ask(bot, `incident resolve ${id}`, { platform: 'slack', channelId: 'C1', userId: 'U1' });
    expect(resolved.problem).toBeUndefined();
    expect(await db.query('SELECT status, resolved_by FROM incidents WHERE id = $1', [id])).toEqual([{ status: 'resolved', resolved_by: 'U1' }]);
  });

  it('runs a job period missed while the database was down once it is back, without a restart', async () => {
    const runs: string[] = [];
    let ran!: () => void;
    const hasRun = new Promise<void>((resolve) => { ran = resolve; });
    const daily: JobDefinition = {
      name: 'daily-report', description: '', schedule: '0 9 * * *', periodKey: minuteSlotKey(60),
      run: async (_context, asOf) => {
        runs.push(asOf.toISOString());
        ran();
        return { summary: 'ok' };
      },
    };
    const context = testJobContext(db);
    const scheduler = createScheduler({ jobs: [daily], context, holder: 'outage-test', clock: () => new Date(), retryMs: 100 });
    await stopServer();
    // The start-up catch-up finds the database gone: the period is kept, not skipped.
    expect(await scheduler.start()).toEqual([]);
    expect(context.log.lines.some((line) => line.message === 'job postponed: the database is unreachable')).toBe(true);
    expect(runs).toEqual([]);

    await startServer();
    await hasRun;
    await scheduler.stop();
    expect(runs).toHaveLength(1);
    const [run] = await db.query<{ outcome: string; holder: string }>('SELECT outcome, holder FROM job_runs');
    expect(run).toEqual({ outcome: 'ok', holder: 'outage-test' });
  });

  it('answers webhooks with a JSON 503 while the database is down and records the deploy once it is back', async () => {
    const hooks = await startHooksServer(db, 'outage-secret');
    const body = JSON.stringify({ at: '2026-11-24T10:00:00Z', ref: 'v9' });
    const send = () => fetch(`${hooks.url}/deploy`, { method: 'POST', headers: { 'x-hub-signature-256': signBody(body, 'outage-secret') }, body });
    try {
      await stopServer();
      const down = await send();
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ error: 'the database is unreachable; retrying…' });
      await startServer();
      expect((await send()).status).toBe(201);
    } finally {
      await hooks.close();
    }
  });

  it('logs the outage once however many answers, webhooks, delivery passes and job retries meet it, and its end once', async () => {
    const processLog = recordingLogger();
    const watched = watchAvailability(db, processLog);
    const context = testJobContext(watched);
    const hooks = await startHooksServer(watched, 'outage-secret');
    const daily: JobDefinition = { name: 'daily-report', description: '', schedule: '0 9 * * *', periodKey: minuteSlotKey(60), run: async () => ({ summary: 'ok' }) };
    const scheduler = createScheduler({ jobs: [daily], context, holder: 'outage-log-test', clock: () => new Date(), retryMs: 50 });
    const body = JSON.stringify({ at: '2026-11-24T10:00:00Z', ref: 'v10' });
    const sendDeploy = () => fetch(`${hooks.url}/deploy`, { method: 'POST', headers: { 'x-hub-signature-256': signBody(body, 'outage-secret') }, body });
    const outageLines = () => processLog.lines.filter((line) => line.message.startsWith('database unreachable'));
    try {
      await stopServer();
      for (const text of ['incidents open', 'changes last 7d', 'incidents open']) expect((await ask(context.bot, text)).problem).toBe('store_unavailable');
      expect((await sendDeploy()).status).toBe(503);
      expect((await sendDeploy()).status).toBe(503);
      context.delivery.kick();
      await scheduler.start();
      // Retried every 50 ms while down: the period is postponed many times and named once; the kicked delivery pass fails meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 400));
      await context.delivery.settled();

      expect(outageLines()).toHaveLength(1);
      expect(outageLines()[0]?.level).toBe('error');
      expect(context.log.lines.filter((line) => line.message === 'job postponed: the database is unreachable')).toHaveLength(1);
      expect(context.log.lines.filter((line) => line.level === 'error' || (line.level === 'warn' && line.message !== 'job postponed: the database is unreachable'))).toEqual([]);
      expect(hooks.log.lines.filter((line) => line.level !== 'info')).toEqual([]);
      expect(processLog.lines.filter((line) => line.message === 'database reachable again')).toEqual([]);

      await startServer();
      await vi.waitFor(() => expect(processLog.lines.some((line) => line.message === 'database reachable again')).toBe(true), { timeout: 20_000 });
      expect((await ask(context.bot, 'incidents open')).problem).toBeUndefined();
      expect((await sendDeploy()).status).toBe(201);
      const recovered = processLog.lines.filter((line) => line.message === 'database reachable again');
      expect(recovered).toEqual([{ level: 'info', message: 'database reachable again', details: { downForS: expect.any(Number), failedWhileDown: expect.any(Number) } }]);
      expect(recovered[0]?.details?.failedWhileDown).toBeGreaterThanOrEqual(6);
      expect(outageLines()).toHaveLength(1);
    } finally {
      await scheduler.stop();
      await context.delivery.stop();
      await hooks.close();
    }
  });
});
