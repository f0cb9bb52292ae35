import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/adapters/store/db.js';
import { migrate } from '../../src/adapters/store/migrate.js';
import { openPg } from '../../src/adapters/store/pg.js';
import { openPglite } from '../../src/adapters/store/pglite.js';
import { rebuildSummaries } from '../../src/adapters/store/queries/customer-summaries.js';
import { rebuildJourneys } from '../../src/adapters/store/queries/order-journeys.js';
import { seedBulkShop } from '../../src/adapters/store/seed/bulk-shop.js';
import { seedDemo } from '../../src/adapters/store/seed/seed-demo.js';
import type { SeedStage } from '../../src/adapters/store/seed/seed-demo.js';

/** The shop's fixed "now": a reused database stays valid on any later day. */
export const BENCH_END = new Date('2026-11-26T09:00:00Z');
const SEED = 42;

export interface BenchDbOptions {
  databaseUrl: string | undefined;
  customers: number;
  meanOrders: number | undefined;
  generator: 'bulk' | 'demo';
  /** Use whatever the schema (or data dir) already holds, without checking its size. */
  reuse: boolean;
}

export interface BenchDb {
  db: Db;
  /** Where the data lives: `schema bench_N` on the server or the PGlite data dir. */
  where: string;
  /** The schema to DROP when done (server only). */
  schema: string | undefined;
  seededMs: number | null;
  orders: number;
}

/**
 * Which generator wrote the data, with a version that changes when its rows or their layout do, so
 * a later run seeds again instead of measuring a shop the current code would not write.
 */
const GENERATOR_LABELS = { bulk: 'bulk 3: only the converting session names its order', demo: 'demo 2: only the converting session names its order' } as const;

/** What the bench seeded, kept beside the data so a later run can tell whether it can reuse it. */
const META_TABLE = 'bench_seed';

export async function openBenchDb(options: BenchDbOptions): Promise<BenchDb> {
  const { db, where, schema } = await openStore(options);
  await migrate(db);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (customers int NOT NULL, mean_orders float8, seed int NOT NULL,
    end_at timestamptz NOT NULL, seed_ms float8 NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now());
    ALTER TABLE ${META_TABLE} ADD COLUMN IF NOT EXISTS generator text NOT NULL DEFAULT 'demo'`);
  const [meta] = await db.query<{ customers: number; mean_orders: number | null; seed: number; end_at: Date; generator: string }>(`SELECT * FROM ${META_TABLE}`);
  const isSame = meta !== undefined && meta.customers === options.customers && meta.seed === SEED && meta.generator === GENERATOR_LABELS[options.generator]
    && (meta.mean_orders ?? null) === (options.meanOrders ?? null) && meta.end_at.getTime() === BENCH_END.getTime();
  let seededMs: number | null = null;
  if (!isSame && !options.reuse) seededMs = await seed(db, options);
  const [counted] = await db.query<{ orders: number }>('SELECT count(*)::int8 AS orders FROM orders');
  return { db, where, schema, seededMs, orders: counted?.orders ?? 0 };
}

async function openStore(options: BenchDbOptions): Promise<{ db: Db; where: string; schema: string | undefined }> {
  const suffix = options.generator === 'bulk' ? `${options.customers}`
    : options.meanOrders === undefined ? `${options.customers}_demo` : `${options.customers}_m${String(options.meanOrders).replace('.', '_')}`;
  if (options.databaseUrl) {
    // A schema of its own: the bench never reads or writes the app's tables.
    const schema = `bench_${suffix}`;
    return { db: await openPg(options.databaseUrl, { schema, maxConnections: 4 }), where: `schema ${schema}`, schema };
  }
  const dataDir = join(tmpdir(), `mkt-bench-pglite-${suffix}`);
  await mkdir(dataDir, { recursive: true });
  return { db: await openPglite(dataDir), where: dataDir, schema: undefined };
}

async function seed(db: Db, options: BenchDbOptions): Promise<number> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  if (options.generator === 'bulk') {
    process.stderr.write(`generating ${options.customers} customers, about ${10 * options.customers} orders in SQL (one transaction)\n`);
    const rows = await seedBulkShop(db, { end: BENCH_END, customers: options.customers, seed: SEED, onProgress: (step) => process.stderr.write(`  ${step.padEnd(11)} ${elapsed()}\n`) });
    process.stderr.write(`  ${rows.orders} orders, ${rows.touchpoints} touchpoints  ${elapsed()}\n`);
    // The generator wrote with triggers off: the kept summaries and journeys are built once here.
    await rebuildSummaries(db);
    process.stderr.write(`  summaries   ${elapsed()}\n`);
    await rebuildJourneys(db);
    process.stderr.write(`  journeys    ${elapsed()}\n`);
  } else {
    await seedWithDemo(db, options, started);
  }
  // VACUUM too: it sets the visibility map, so index-only scans skip the heap as they would in a shop
  // whose autovacuum has run; right after one huge transaction every probe would visit the heap.
  await db.exec('VACUUM ANALYZE');
  const seedMs = performance.now() - started;
  await db.transaction(async (tx) => {
    await tx.exec(`DELETE FROM ${META_TABLE}`);
    await tx.query(`INSERT INTO ${META_TABLE} (customers, mean_orders, seed, end_at, seed_ms, generator) VALUES ($1, $2, $3, $4, $5, $6)`,
      [options.customers, options.meanOrders ?? null, SEED, BENCH_END, seedMs, GENERATOR_LABELS[options.generator]]);
  });
  process.stderr.write(`seeded in ${(seedMs / 1000).toFixed(0)} s\n`);
  return seedMs;
}

async function seedWithDemo(db: Db, options: BenchDbOptions, started: number): Promise<void> {
  const shown = new Map<SeedStage, number>();
  process.stderr.write(`seeding ${options.customers} customers (one transaction)\n`);
  const outcome = await seedDemo(db, {
    end: BENCH_END, customers: options.customers, seed: SEED, replace: true,
    ...(options.meanOrders === undefined ? {} : { meanOrders: options.meanOrders }),
    onProgress: ({ stage, done, total }) => {
      // One line per tenth of a stage keeps the log readable on a slow machine.
      const tenth = Math.floor((10 * done) / total);
      if ((shown.get(stage) ?? -1) >= tenth) return;
      shown.set(stage, tenth);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      process.stderr.write(`  ${stage.padEnd(9)} ${String(done).padStart(8)} / ${total}  ${seconds} s\n`);
    },
  });
  if (!outcome.seeded) throw new Error('seedDemo refused to replace the bench data');
}
