// Ack latency of the Slack adapter: from sending a signed request to its HTTP 200, through the real
// Bolt app on loopback (in a child process, as it would run), answers posted to a stand-in Web API
// in this process. Slack allows 3 s. A bare Node HTTP server in the same child is measured the same
// way as the floor the machine allows (on a loaded machine it dominates). Run: npx tsx bench/slack-ack.ts
// (or as part of npm run bench). With DATABASE_URL set the burst of 25 different heavy questions is
// measured on that PostgreSQL server too (a schema of its own, dropped after).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startSlack } from '../src/adapters/chat/slack/index.js';
import { createDataPort } from '../src/adapters/store/data-port.js';
import { migrate } from '../src/adapters/store/migrate.js';
import { openPg } from '../src/adapters/store/pg.js';
import { openPglite } from '../src/adapters/store/pglite.js';
import { createInFlight } from '../src/bot/in-flight.js';
import { seedDemo } from '../src/adapters/store/seed/seed-demo.js';
import { commands } from '../src/bot/commands/index.js';
import { createBot } from '../src/bot/dispatch.js';
import { botSettings } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { isMain } from './lib/is-main.js';
import { appMentionBody, postSigned, slashCommandBody } from './lib/slack-requests.js';
import { startStandInSlack } from './lib/stand-in-slack.js';
import { HOUR_MS } from '../src/analytics/time.js';

const SECRET = 'bench-signing-secret';
/** The first requests after start meet a cold analytics cache: the first `churn` fits its model. */
const COLD_REQUESTS = 20;
const SHOP_CUSTOMERS = 2000;
const SEQUENTIAL = 300;
const CONCURRENT = 300;
const CONCURRENCY = 25;
/** The target for acknowledgements while 25 different heavy questions are being answered. */
export const ACK_P99_TARGET_MS = 50;

/**
 * Twenty-five different heavy questions: none shares a cached answer with another, so each reads and
 * computes, and their answers queue behind one another while the acks must not.
 */
export const HEAVY_QUESTIONS = [
  'kpi last 7d', 'kpi last 14d', 'kpi last 30d', 'kpi last 90d', 'kpi last month',
  'rfm', 'rfm last 30d', 'rfm last 180d', 'churn', 'churn top 20',
  'churn horizon 30d', 'churn last 60d', 'segment revenue by channel', 'segment orders by device', 'segment aov by country',
  'segment revenue by new_returning', 'attribution', 'attribution markov', 'attribution shapley', 'attribution compare',
  'attribution linear last 90d', 'tracking', 'tracking purchase last 14d', 'speed', 'kpi this month',
] as const;

/** The child: the bot on an embedded database and the Bolt app, reporting its port to the parent. */
async function serve(apiUrl: string, databaseUrl: string | undefined): Promise<void> {
  const schema = `bench_ack_${process.pid}`;
  const db = databaseUrl ? await openPg(databaseUrl, { schema }) : await openPglite('memory://');
  await migrate(db);
  // A small shop, so the answers after each ack do real work (the churn fit is the expensive one).
  await seedDemo(db, { end: new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS), customers: SHOP_CUSTOMERS, seed: 7 });
  await db.exec('ANALYZE');
  const log = createLogger('error');
  const defaults = parseConfig({});
  if (!defaults.ok) throw new Error(defaults.errors.join('\n'));
  const bot = createBot({ data: createDataPort(db), commands, settings: botSettings(defaults.config), clock: () => new Date(), log });
  const inFlight = createInFlight();
  const app = await startSlack({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: apiUrl, PORT: 0 }, { bot, db, log, inFlight });
  const bare = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  process.send?.({ port: app.port, barePort: (bare.address() as AddressInfo).port });
  process.on('message', (message) => {
    // 'drain': the parent waits for every acknowledged question to be answered before its next phase.
    if (message === 'drain') {
      void inFlight.drained().then(() => process.send?.('drained'));
      return;
    }
    void app.stop()
      .then(() => (databaseUrl ? db.exec(`DROP SCHEMA ${schema} CASCADE`) : undefined))
      .then(() => db.close()).then(() => process.exit(0));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface AckFigure {
  label: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function report(label: string, times: number[]): AckFigure {
  const sorted = [...times].sort((a, b) => a - b);
  const figure = { label, count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) };
  const ms = (value: number) => value.toFixed(2).padStart(7);
  console.log(`${label.padEnd(26)} n=${figure.count}  p50 ${ms(figure.p50Ms)} ms  p99 ${ms(figure.p99Ms)} ms  max ${ms(figure.maxMs)} ms`);
  return figure;
}

/** Ack latency percentiles per request kind, one at a time and concurrently; printed as it goes. */
export interface AckVerdict { target: string; measured: string; isMet: boolean }

/**
 * On the embedded database, and on PostgreSQL when `databaseUrl` is given: the burst of 25 different
 * heavy questions (judged against ACK_P99_TARGET_MS), and on the embedded one also the long runs of
 * one kind at a time and 25 in flight.
 */
export async function benchSlackAck(databaseUrl?: string): Promise<{ figures: AckFigure[]; verdicts: AckVerdict[] }> {
  const figures: AckFigure[] = [];
  const verdicts: AckVerdict[] = [];
  const embedded = await benchOneDatabase(undefined, true);
  figures.push(...embedded.figures);
  verdicts.push(embedded.verdict);
  if (databaseUrl) {
    const server = await benchOneDatabase(databaseUrl, false);
    figures.push(...server.figures);
    verdicts.push(server.verdict);
  }
  console.log('');
  for (const verdict of verdicts) console.log(`${verdict.isMet ? 'met    ' : 'NOT MET'}  ${verdict.target}: ${verdict.measured}`);
  return { figures, verdicts };
}

async function benchOneDatabase(databaseUrl: string | undefined, withRuns: boolean): Promise<{ figures: AckFigure[]; verdict: AckVerdict }> {
  const where = databaseUrl ? 'PostgreSQL' : 'embedded';
  const figures: AckFigure[] = [];
  const slack = await startStandInSlack();
  const child = fork(fileURLToPath(import.meta.url), ['serve', slack.apiUrl, ...(databaseUrl ? [databaseUrl] : [])], { execArgv: ['--import', 'tsx'] });
  const ports = await new Promise<{ port: number; barePort: number }>((resolve) => child.once('message', (message) => resolve(message as { port: number; barePort: number })));
  const url = `http://127.0.0.1:${ports.port}/slack/events`;
  const drained = () => new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send('drain');
  });

  async function ackMs(kind: 'bare' | 'slash' | 'mention', index: number, text?: string): Promise<number> {
    if (kind === 'bare') {
      const start = performance.now();
      await (await fetch(`http://127.0.0.1:${ports.barePort}/`, { method: 'POST', body: 'x' })).text();
      return performance.now() - start;
    }
    const body = kind === 'slash'
      ? slashCommandBody({ text: text ?? (index % 2 === 0 ? 'churn' : 'kpi last 7d'), channelId: 'C1', userId: 'U1', responseUrl: slack.responseUrl(String(index)) })
      : appMentionBody({ eventId: `Ev${randomUUID()}`, text: '<@UBOT> help', channelId: 'C2', userId: 'U2' });
    const contentType = kind === 'slash' ? 'application/x-www-form-urlencoded' : 'application/json';
    const start = performance.now();
    const response = await postSigned({ url, body, contentType, signingSecret: SECRET, timestampS: Math.floor(Date.now() / 1000) });
    const elapsed = performance.now() - start;
    if (response.status !== 200) throw new Error(`${kind} answered ${response.status}`);
    return elapsed;
  }

  console.log(`${where} database: signed request → HTTP 200, loopback; the app answers each request after acking`);
  const burstStart = performance.now();
  const burst = await Promise.all(HEAVY_QUESTIONS.map((question, index) => ackMs('slash', 10_000 + index, question)));
  const burstFigure = report(`${where}: ${HEAVY_QUESTIONS.length} different heavy in flight`, burst);
  figures.push(burstFigure);
  await drained();
  console.log(`${''.padEnd(26)} all ${HEAVY_QUESTIONS.length} answered ${((performance.now() - burstStart) / 1000).toFixed(1)} s after the first was sent`);
  const verdict = {
    target: `${where}: ack p99 ≤ ${ACK_P99_TARGET_MS} ms with ${HEAVY_QUESTIONS.length} different heavy questions in flight`,
    measured: `p99 ${burstFigure.p99Ms.toFixed(1)} ms (p50 ${burstFigure.p50Ms.toFixed(1)}, max ${burstFigure.maxMs.toFixed(1)})`,
    isMet: burstFigure.p99Ms <= ACK_P99_TARGET_MS,
  };
  if (!withRuns) {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await slack.close();
    return { figures, verdict };
  }
  console.log('then one kind at a time: churn and kpi alternating, mentions asking help, a bare HTTP server as the floor');
  const cold: number[] = [];
  for (let i = 0; i < COLD_REQUESTS; i += 1) cold.push(await ackMs('slash', i));
  figures.push(report(`slash, cold cache (first ${COLD_REQUESTS})`, cold));
  for (const kind of ['bare', 'slash', 'mention'] as const) {
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i += 1) sequential.push(await ackMs(kind, i));
    figures.push(report(`${kind}, one at a time${kind === 'bare' ? '' : ', warm cache'}`, sequential));
    const concurrent: number[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < CONCURRENT) concurrent.push(await ackMs(kind, next++));
    }));
    figures.push(report(`${kind}, ${CONCURRENCY} in flight`, concurrent));
    if (kind !== 'bare') await drained();
  }
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  await slack.close();
  return { figures, verdict };
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === 'serve') await serve(process.argv[3] ?? '', process.argv[4]);
  else await benchSlackAck(process.env.DATABASE_URL || undefined);
}
