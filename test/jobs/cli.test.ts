import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { reply } from '../../src/bot/reply.js';
import type { CliIo } from '../../src/cli/admin-command.js';
import { FILE_SINK_NAME, jobsList, jobsRun } from '../../src/cli/jobs.js';
import { parseConfig } from '../../src/config.js';
import { enqueuePost } from '../../src/adapters/store/queries/outbox.js';
import { createTestBot, recordingLogger } from '../support/bot.js';
import { testDbKind, useTestDb } from '../support/db.js';

describe(`mkt jobs on ${testDbKind}`, () => {
  const test = useTestDb();
  let outDir = '';
  let app: App;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'mkt-jobs-cli-'));
    const parsed = parseConfig({ OUT_DIR: outDir });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    app = { config: parsed.config, db: test.db, bot: createTestBot(test.db, { now: new Date() }), log: recordingLogger(), metrics: createMetrics(test.db), close: async () => undefined };
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });
  const io = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    const cli: CliIo = { out: (text) => lines.out.push(text), err: (text) => lines.err.push(text), progress: () => undefined };
    return { cli, lines };
  };

  it('delivers queued console and file posts with `mkt jobs run deliver`, leaving Slack posts for the bot', async () => {
    await test.db.transaction(async (tx) => {
      const root = await enqueuePost(tx, { dedupeKey: 'cli:1', platform: 'file', channelId: 'dev', reply: reply({ title: 'Incident opened', summary: 'LCP regressed' }) });
      await enqueuePost(tx, { dedupeKey: 'cli:2', threadOf: root, reply: reply({ title: 'Acknowledged', summary: 'by ana' }) });
      await enqueuePost(tx, { dedupeKey: 'cli:3', platform: 'console', channelId: 'console', reply: reply({ title: 'Weekly digest', summary: 'Revenue up 4%' }) });
      await enqueuePost(tx, { dedupeKey: 'cli:4', platform: 'slack', channelId: 'C1', reply: reply({ title: 'For Slack', summary: '' }) });
    });
    const { cli, lines } = io();
    expect(await jobsRun.run(['deliver'], app, cli)).toBe(0);
    expect(lines.out.join('\n')).toContain('Revenue up 4%');
    expect(lines.out.slice(-2)).toEqual([
      'deliver: ok, 3 delivered, 0 to retry, 0 failed',
      '1 slack post(s) wait in the delivery queue: the running bot (npm start) delivers them within seconds, or on its next start.',
    ]);
    const sink = (await readFile(join(outDir, FILE_SINK_NAME), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { messageId: string; threadId?: string; reply: { title: string } });
    expect(sink.map((line) => [line.reply.title, line.messageId, line.threadId])).toEqual([['Incident opened', '1', undefined], ['Acknowledged', '2', '1']]);
    expect(await test.db.query(`SELECT channel_id FROM outbox WHERE status = 'pending'`)).toEqual([{ channel_id: 'C1' }]);
  });

  it('lists the jobs and the failed deliveries with their owners', async () => {
    await enqueuePost(test.db, { dedupeKey: 'cli:4', platform: 'slack', channelId: 'C1', reply: reply({ title: 'For Slack', summary: '' }) });
    await test.db.query(`UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'channel_not_found', owner = 'U7' WHERE dedupe_key = 'cli:4'`);
    const { cli, lines } = io();
    expect(await jobsList.run([], app, cli)).toBe(0);
    const text = lines.out.join('\n');
    expect(text).toMatch(/^deliver\s+\*\/15 \* \* \* \* \*/m);
    expect(text).toMatch(/slack:C1\s+8 attempts\s+channel_not_found\s+owner U7/);
    // Without tracking data or lab runs the monitors are blind, and say why.
    expect(text).toContain('Monitors now:\n  page_view: cannot be watched, no tracking data has arrived in the last 6 h\n');
    expect(text).toContain('  page speed (lab runs): cannot be watched, too few lab runs in the last 28 days');
  });

  it('refuses an unknown job or a malformed --as-of with usage and exit code 2', async () => {
    const unknown = io();
    expect(await jobsRun.run(['nightly'], app, unknown.cli)).toBe(2);
    expect(unknown.lines.err.join('\n')).toContain('Jobs: deliver');
    const badTime = io();
    expect(await jobsRun.run(['deliver', '--as-of', 'monday'], app, badTime.cli)).toBe(2);
    expect(badTime.lines.err[0]).toMatch(/^--as-of: expected an ISO time/);
  });
});
