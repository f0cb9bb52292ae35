import { migrate } from '../src/adapters/store/migrate.js';
import { openPglite } from '../src/adapters/store/pglite.js';
import type { Db } from '../src/adapters/store/db.js';
import { seedDemo } from '../src/adapters/store/seed/seed-demo.js';
import { rebuildSummaries } from '../src/adapters/store/queries/customer-summaries.js';
import { rebuildJourneys } from '../src/adapters/store/queries/order-journeys.js';
const t0 = performance.now();
const raw = await openPglite('memory://');
const t1 = performance.now();
await migrate(raw);
const t2 = performance.now();
let dbMs = 0; let inflight = 0; let since = 0;
const wrap = (d: Db): Db => ({ ...d,
  query: async (sql, params) => { if (inflight++ === 0) since = performance.now(); try { return await d.query(sql, params); } finally { if (--inflight === 0) dbMs += performance.now() - since; } },
  exec: async (sql) => { if (inflight++ === 0) since = performance.now(); try { return await d.exec(sql); } finally { if (--inflight === 0) dbMs += performance.now() - since; } },
  transaction: (work) => d.transaction((tx) => work(wrap(tx))) });
const db = wrap(raw);
await seedDemo(db, { end: new Date(Math.floor(Date.now() / 3600000) * 3600000), customers: 20000, seed: 42, bulkLoad: true });
const t3 = performance.now();
const seedDb = dbMs;
await rebuildSummaries(raw); const t4 = performance.now();
await rebuildJourneys(raw); const t5 = performance.now();
await raw.exec('ANALYZE'); const t6 = performance.now();
console.log({ open: t1 - t0, migrate: t2 - t1, seed: t3 - t2, seedDbBusy: seedDb, summaries: t4 - t3, journeys: t5 - t4, analyze: t6 - t5 });
await raw.close();
