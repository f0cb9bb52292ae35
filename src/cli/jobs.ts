import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createFilePoster } from '../adapters/chat/file/poster.js';
import { createConsolePoster } from '../adapters/chat/console/poster.js';
import { selectLatestRuns } from '../adapters/store/queries/jobs.js';
import { pendingByPlatform } from '../adapters/store/queries/ops-stats.js';
import type { App } from '../app.js';
import { createDeliveryWorker } from '../jobs/delivery-worker.js';
import type { JobContext } from '../jobs/job.js';
import { failedDeliveries } from '../adapters/store/queries/outbox.js';
import { jobs } from '../jobs/registry.js';
import { coverageSentence, monitorCoverage } from '../jobs/monitors/coverage.js';
import { monitorSettings } from '../jobs/monitors/settings.js';
import { createFormatter } from '../bot/format.js';
import { translator } from '../bot/messages/index.js';
import type { JobRunResult } from '../jobs/run-job.js';
import { runJob } from '../jobs/run-job.js';
import type { AdminCommand, CliIo } from './admin-command.js';
import { columns } from './columns.js';

/** What the monitors can watch now and what they cannot, and why, one signal a line (jobs list, sources check). */
export async function coverageLines(app: App): Promise<string> {
  const settings = monitorSettings(app.config);
  const posts = { t: translator('en'), fmt: createFormatter('en', app.config.CURRENCY, app.config.TIME_ZONE) };
  const coverage = await monitorCoverage(app.db, new Date(), settings);
  return coverage.map((signal) => `  ${coverageSentence(signal, settings, posts)}`).join('\n');
}

/** The file the 'file' platform appends to (one JSON line per post), under OUT_DIR. */
export const FILE_SINK_NAME = 'posts.jsonl';

export const jobsList: AdminCommand = {
  words: ['jobs', 'list'],
  usage: 'mkt jobs list',
  description: 'scheduled jobs with their last run, and posts that could not be delivered',
  async run(_args, app, io) {
    const latest = new Map((await selectLatestRuns(app.db)).map((run) => [run.job, run]));
    const rows = jobs.map((job) => {
      const run = latest.get(job.name);
      const last = run ? `${run.periodKey} at ${run.startedAt.toISOString()} by ${run.holder}` : 'never (or not leased)';
      const outcome = !run ? '' : run.finishedAt ? `${run.outcome ?? ''}${run.error ? `: ${run.error}` : ''}` : `running until ${run.leaseUntil.toISOString()}`;
      return [job.name, job.schedule, last, outcome];
    });
    io.out(columns([['job', 'schedule', 'last run', 'outcome'], ...rows]));
    io.out(`\nMonitors now:\n${await coverageLines(app)}`);
    const failed = await failedDeliveries(app.db);
    io.out(failed.length === 0 ? '\nNo failed deliveries.' : `\nFailed deliveries (newest first):\n${columns(failed.map((post) =>
      [`#${post.id}`, `${post.platform}:${post.channelId}`, `${post.attempts} attempts`, post.lastError ?? '', post.owner ? `owner ${post.owner}` : 'no owner']))}`);
    return 0;
  },
};

const AsOf = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((text) => new Date(text));

export const jobsRun: AdminCommand = {
  words: ['jobs', 'run'],
  usage: 'mkt jobs run <job> [--as-of ISO-time]',
  description: 'run a job now through its lease, optionally as of another moment',
  async run(args, app, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options: { 'as-of': { type: 'string' } }, allowPositionals: true, strict: true });
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${jobsRun.usage}`);
      return 2;
    }
    const job = jobs.find((candidate) => candidate.name === parsed.positionals[0]);
    if (!job || parsed.positionals.length !== 1) {
      io.err(`Usage: ${jobsRun.usage}\nJobs: ${jobs.map((candidate) => candidate.name).join(', ')}`);
      return 2;
    }
    const asOf = parsed.values['as-of'] === undefined ? undefined : AsOf.safeParse(parsed.values['as-of']);
    if (asOf && !asOf.success) {
      io.err('--as-of: expected an ISO time like 2026-11-30T09:00:00Z or a date like 2026-11-30');
      return 2;
    }
    const context = await cliJobContext(app, io);
    const result = await runJob(job, context, { asOf: asOf?.data ?? new Date(), holder: `cli:${hostname()}:${process.pid}`, now: () => new Date() });
    // Deliver what the run queued for the terminal and the file sink now, before the database closes,
    // and say plainly what is left for the bot (Slack and Teams posts need its credentials).
    await context.delivery.deliverDue();
    await context.delivery.stop();
    const code = report(job.name, result, io);
    const waiting = (await pendingByPlatform(app.db)).filter((row) => row.platform !== 'console' && row.platform !== 'file');
    if (waiting.length > 0) {
      io.out(`${waiting.map((row) => `${row.posts} ${row.platform}`).join(' and ')} post(s) wait in the delivery queue: the running bot (npm start) delivers them within seconds, or on its next start.`);
    }
    return code;
  },
};

function report(name: string, result: JobRunResult, io: CliIo): number {
  const period = result.periodKey === undefined ? '' : ` ${result.periodKey}`;
  if (result.kind === 'ran') {
    (result.outcome === 'failed' ? io.err : io.out)(`${name}${period}: ${result.outcome}, ${result.summary}`);
    return result.outcome === 'failed' ? 1 : 0;
  }
  if (result.claim.kind === 'already_done') {
    io.out(`${name}${period}: already ran (${result.claim.outcome ?? 'unknown'}) at ${result.claim.finishedAt.toISOString()}; nothing to do.`);
    return 0;
  }
  io.err(`${name}${period}: ${result.claim.holder} is running it until ${result.claim.leaseUntil.toISOString()}.`);
  return 1;
}

/** Jobs run from the CLI post to the terminal and to the file sink; Slack and Teams rows wait for the bot. */
async function cliJobContext(app: App, io: CliIo): Promise<JobContext> {
  await mkdir(app.config.OUT_DIR, { recursive: true });
  const terminal = new Writable({
    write(chunk: Buffer, _encoding, done) {
      io.out(chunk.toString('utf8').replace(/\n$/, ''));
      done();
    },
  });
  const posters = [createConsolePoster(terminal), createFilePoster(join(app.config.OUT_DIR, FILE_SINK_NAME))];
  const delivery = createDeliveryWorker({ db: app.db, posters: new Map(posters.map((poster) => [poster.platform, poster])), clock: () => new Date(), log: app.log });
  return { db: app.db, config: app.config, log: app.log, bot: app.bot, delivery };
}
