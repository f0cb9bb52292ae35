// The performance bench: every figure the targets name, on the configured database.
// Run: npm run bench -- [--customers N] [--mean-orders M] [--reuse] [--only rebuild,commands,...]
// DATABASE_URL set: a schema bench_<N> of its own on that server; else PGlite in a temp data dir.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { refreshSummaries, rebuildSummaries } from '../src/adapters/store/queries/customer-summaries.js';
import { rebuildJourneys, refreshJourneys } from '../src/adapters/store/queries/order-journeys.js';
import { botSettings } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { benchPathData } from './attribution.js';
import { benchAttribution } from './lib/attribution-workloads.js';
import { BENCH_END, openBenchDb } from './lib/bench-db.js';
import { benchCommands, benchCommandTexts } from './lib/command-latency.js';
import { benchCustomerWorkloads } from './lib/customer-workloads.js';
import { benchDuckDbRfm } from './lib/duckdb-rfm.js';
import { measure, processMaxRssMb } from './lib/measure.js';
import { runMonitorsBench } from './lib/monitors-child.js';
import { parseBenchOptions } from './lib/options.js';
import { slowReadPlans } from './lib/plans.js';
import type { WorkloadFigures } from './lib/figures.js';
import type { RecordedQuery } from './lib/recording-db.js';
import type { BenchReport } from './lib/report.js';
import { commandTable, duckDbTable, verdictTable, workloadTable } from './lib/report.js';
import { judgeTargets } from './lib/targets.js';
import { benchFirstStart } from './first-start.js';
import { benchSlackAck } from './slack-ack.js';
import { DAY_MS } from '../src/analytics/time.js';

// Starts before the seeded history (104 weeks before BENCH_END), so the range holds every journey.
const ALL_JOURNEYS_START = '2024-11-01';

const loaded = loadConfig();
if (!loaded.ok) {
  for (const error of loaded.errors) console.error(error);
  process.exit(1);
}
const config = loaded.config;
const parsed = parseBenchOptions(process.argv.slice(2), config.DATABASE_URL !== undefined);
if (!parsed.ok) {
  console.error(parsed.error);
  process.exit(1);
}
const options = parsed.options;
const runs = (section: (typeof options.sections)[number]) => options.sections.includes(section);
const heading = (text: string) => console.log(`\n== ${text}`);

// The monitor section seeds shops of its own: asked for alone (--only monitors), no bench shop is opened.
if (options.sections.length === 1 && runs('monitors')) {
  heading('monitors (bench/monitors.ts)');
  const lines = await runMonitorsBench();
  process.exit(lines === null || lines.some((line) => line.startsWith('(exited with')) ? 1 : 0);
}

const startedAt = new Date();
const bench = await openBenchDb({ databaseUrl: config.DATABASE_URL, customers: options.customers, meanOrders: options.meanOrders, generator: options.generator, reuse: options.reuse });
const { db } = bench;
const [server] = await db.query<{ version: string }>('SELECT version()');
console.log(`${options.customers} customers, ${bench.orders} orders in ${bench.where}${bench.seededMs === null ? ' (reused)' : ''}`);

const report: Omit<BenchReport, 'verdicts' | 'processMaxRssMb' | 'appMaxRssMb'> & { appMaxRssMb?: number } = {
  startedAt: startedAt.toISOString(),
  machine: { cpus: availableParallelism(), node: process.version, loadAverage: loadavg(), database: db.kind, server: server?.version ?? '' },
  customers: options.customers, orders: bench.orders, seededMs: bench.seededMs,
};

if (runs('rebuild')) {
  heading('full rebuild of customer_summaries');
  report.rebuildMs = (await measure(() => rebuildSummaries(db))).ms;
  console.log(`${report.rebuildMs.toFixed(0)} ms`);
  // Timed apart: the attribution reads depend on these, the summary target does not.
  heading('full rebuild of visitor_links, order_journeys and browsing_journeys');
  console.log(`${(await measure(() => rebuildJourneys(db))).ms.toFixed(0)} ms`);
} else {
  // Brought up to date here, so no attribution figure below pays for a rebuild after a migration.
  await refreshSummaries(db);
  await refreshJourneys(db);
}

const endDay = new Date(BENCH_END.getTime() - 1).toISOString().slice(0, 10);
const allJourneys = `${ALL_JOURNEYS_START}..${endDay}`;
if (runs('commands')) {
  heading('commands end to end (bot.handle), cold then warm');
  report.commands = await benchCommands(db, BENCH_END, botSettings(config), benchCommandTexts(allJourneys));
}

const workloads: WorkloadFigures[] = [];
const queries = new Map<string, RecordedQuery[]>();
if (runs('customers')) {
  heading('RFM and churn by stage');
  const customers = await benchCustomerWorkloads(db, BENCH_END);
  workloads.push(...customers.workloads);
  for (const [name, recorded] of customers.queries) queries.set(name, recorded);
}
if (runs('attribution')) {
  heading('attribution by stage');
  const attribution = await benchAttribution(db, [
    { label: '30d', range: { start: new Date(BENCH_END.getTime() - 30 * DAY_MS), end: BENCH_END } },
    { label: 'all', range: { start: new Date(`${ALL_JOURNEYS_START}T00:00:00Z`), end: new Date(Date.parse(`${endDay}T00:00:00Z`) + DAY_MS) } },
  ]);
  workloads.push(...attribution.workloads);
  for (const [name, recorded] of attribution.queries) queries.set(name, recorded);
}
if (workloads.length > 0) {
  report.workloads = workloads;
  console.log(workloadTable(workloads));
  report.plans = await slowReadPlans(db, workloads, queries);
}

// DuckDB runs inside this process; its memory is the reference's, not the app's.
report.appMaxRssMb = processMaxRssMb();
if (runs('duckdb')) {
  heading('DuckDB reference: RFM from raw orders');
  report.duckdb = await benchDuckDbRfm(db, BENCH_END);
  console.log(duckDbTable(report.duckdb));
}

const others: Record<string, unknown> = {};
const extraVerdicts: BenchReport['verdicts'] = [];
if (runs('pathdata')) {
  heading('attribution models on PathData (bench/attribution.ts)');
  others.pathData = benchPathData();
}
if (runs('slack')) {
  heading('Slack ack latency (bench/slack-ack.ts)');
  const ack = await benchSlackAck(config.DATABASE_URL);
  others.slackAck = ack.figures;
  extraVerdicts.push(...ack.verdicts);
}
if (runs('first-start')) {
  heading('first npm start to the prompt (bench/first-start.ts)');
  const first = await benchFirstStart();
  others.firstStart = first.figure;
  extraVerdicts.push(first.verdict);
}
if (runs('monitors')) {
  heading('monitors (bench/monitors.ts)');
  others.monitors = (await runMonitorsBench()) ?? 'bench/monitors.ts not present';
}
if (Object.keys(others).length > 0) report.others = others;
await db.close();

const finished = { ...report, appMaxRssMb: report.appMaxRssMb ?? processMaxRssMb(), processMaxRssMb: processMaxRssMb() };
const full: BenchReport = { ...finished, verdicts: [...judgeTargets(finished, allJourneys), ...extraVerdicts] };
heading(`summary: ${full.customers} customers, ${full.orders} orders, ${full.machine.database} (${full.machine.server.split(',')[0]}), ${full.machine.cpus} cores, Node ${full.machine.node}, load ${full.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
if (full.rebuildMs !== undefined) console.log(`full summary rebuild: ${full.rebuildMs.toFixed(0)} ms`);
if (full.commands) console.log(`\n${commandTable(full.commands)}`);
if (full.workloads) console.log(`\n${workloadTable(full.workloads)}`);
if (full.duckdb) console.log(`\n${duckDbTable(full.duckdb)}`);
console.log(`\n${verdictTable(full.verdicts)}`);
await mkdir(config.OUT_DIR, { recursive: true });
const path = `${config.OUT_DIR}/bench-${startedAt.toISOString().slice(0, 19).replaceAll(':', '')}-${full.machine.database}-${full.customers}.json`;
// Long arrays (recorded query parameters, per-run samples) become their length: at a million customers
// they would exceed the longest string V8 can build.
const shortened = (_key: string, value: unknown) => (Array.isArray(value) && value.length > 1000 ? `[${value.length} items]` : value);
await writeFile(path, `${JSON.stringify(full, shortened, 2)}\n`);
console.log(`\nfigures written to ${path}`);
