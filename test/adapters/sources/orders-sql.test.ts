import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkSources } from '../../../src/adapters/sources/check.js';
import { ingestOrdersSql } from '../../../src/adapters/sources/orders-sql.js';
import { jobs } from '../../../src/jobs/registry.js';
import { runJob } from '../../../src/jobs/run-job.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { testJobContext } from '../../jobs/job-context.js';
import { configFrom } from './support/google-test-server.js';

// The shop's own database is the machine's real PostgreSQL, in a schema of its own, whichever
// database the bot's store runs on in this pass.
const SHOP_SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const isServerUp = await canConnect(SHOP_SERVER_URL);

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe.runIf(isServerUp)(`orders from the shop's own PostgreSQL (store on ${testDbKind})`, () => {
  const test = useTestDb();
  const schema = `shop_${process.pid}_${randomBytes(3).toString('hex')}`;
  const shop = new pg.Client({ connectionString: SHOP_SERVER_URL });
  let folder: string;
  let queryFile: string;
  const env = () => ({ ORDERS_SOURCE_URL: SHOP_SERVER_URL, ORDERS_SOURCE_QUERY: queryFile, CURRENCY: 'EUR', TIME_ZONE: 'UTC' });
  const orders = () => test.db.query('SELECT id, customer_id, ordered_at, revenue, currency FROM orders ORDER BY ordered_at, id');
  const cursor = async () => (await test.db.query<{ position: unknown }>(`SELECT position FROM source_cursors WHERE source = 'orders_sql'`))[0]?.position;

  beforeAll(async () => {
    await shop.connect();
    folder = await mkdtemp(join(tmpdir(), 'mkt-orders-sql-'));
    queryFile = join(folder, 'orders.sql');
  });
  afterAll(async () => {
    await shop.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await shop.end();
  });
  beforeEach(async () => {
    await clearData(test.db);
    await test.db.exec('DELETE FROM source_cursors; DELETE FROM exchange_rates');
    // The shop's own names: the query file maps them onto the orders contract.
    await shop.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.sales (order_no bigint PRIMARY KEY, customer_ref integer, placed timestamptz NOT NULL, total numeric(10, 2),
                                     currency_code char(3), status text NOT NULL DEFAULT 'paid', modified timestamptz NOT NULL);
      INSERT INTO ${schema}.sales VALUES
        (1, 501, '2026-11-02 09:00:00+00', 40.00, 'EUR', 'paid', '2026-11-02 09:00:05+00'),
        (2, 502, '2026-11-03 10:30:00+00', 25.50, 'EUR', 'paid', '2026-11-03 10:30:04+00'),
        -- Three orders changed in the same microsecond: the cursor's id breaks the tie ('10' < '100' < '9' as text).
        (9, 501, '2026-11-05 08:00:00+00', 12.00, 'EUR', 'paid', '2026-11-20 10:00:00.123456+00'),
        (10, 503, '2026-11-05 09:00:00+00', 99.99, NULL, 'paid', '2026-11-20 10:00:00.123456+00'),
        (100, 504, '2026-11-06 18:00:00+00', 7.25, 'EUR', 'paid', '2026-11-20 10:00:00.123456+00'),
        (3, 502, '2026-11-08 12:00:00+00', 60.00, 'EUR', 'cancelled', '2026-11-20 11:00:00+00');`);
    await writeFile(queryFile, `SELECT order_no AS id, customer_ref AS customer_id, placed AS ordered_at, total AS revenue,
       currency_code AS currency, status = 'cancelled' AS cancelled, modified AS updated_at
  FROM ${schema}.sales;\n`);
  });

  it('reads every order page by page in update order, leaves the cancelled one out, and a rerun reads nothing', async () => {
    const run = await ingestOrdersSql(test.db, configFrom(env()), { pageRows: 2 });
    expect(run).toEqual({ ok: true, value: { ordersRead: 6, written: 5, removed: 0, customersCreated: 4 } });
    expect(await orders()).toEqual([
      { id: '1', customer_id: '501', ordered_at: new Date('2026-11-02T09:00:00Z'), revenue: 40, currency: 'EUR' },
      { id: '2', customer_id: '502', ordered_at: new Date('2026-11-03T10:30:00Z'), revenue: 25.5, currency: 'EUR' },
      { id: '9', customer_id: '501', ordered_at: new Date('2026-11-05T08:00:00Z'), revenue: 12, currency: 'EUR' },
      { id: '10', customer_id: '503', ordered_at: new Date('2026-11-05T09:00:00Z'), revenue: 99.99, currency: 'EUR' },
      { id: '100', customer_id: '504', ordered_at: new Date('2026-11-06T18:00:00Z'), revenue: 7.25, currency: 'EUR' },
    ]);
    expect(await cursor()).toEqual({ updatedAt: '2026-11-20 11:00:00+00', id: '3' });

    const rerun = await ingestOrdersSql(test.db, configFrom(env()), { pageRows: 2 });
    expect(rerun).toEqual({ ok: true, value: { ordersRead: 0, written: 0, removed: 0, customersCreated: 0 } });
  });

  it('picks up orders changed, added or cancelled since its cursor, to the microsecond', async () => {
    expect((await ingestOrdersSql(test.db, configFrom(env()), { pageRows: 2 })).ok).toBe(true);
    await shop.query(`UPDATE ${schema}.sales SET total = 30.00, modified = '2026-11-21 08:00:00+00' WHERE order_no = 1;
      UPDATE ${schema}.sales SET status = 'cancelled', modified = '2026-11-21 08:00:01+00' WHERE order_no = 10;
      INSERT INTO ${schema}.sales VALUES (11, 505, '2026-11-21 07:59:00+00', 15.00, 'EUR', 'paid', '2026-11-21 08:00:00.000001+00');`);
    const run = await ingestOrdersSql(test.db, configFrom(env()), { pageRows: 2 });
    expect(run).toEqual({ ok: true, value: { ordersRead: 3, written: 2, removed: 1, customersCreated: 1 } });
    expect(await test.db.query(`SELECT id, revenue FROM orders ORDER BY id`)).toEqual([
      { id: '1', revenue: 30 }, { id: '100', revenue: 7.25 }, { id: '11', revenue: 15 }, { id: '2', revenue: 25.5 }, { id: '9', revenue: 12 },
    ]);
    expect(await cursor()).toEqual({ updatedAt: '2026-11-21 08:00:01+00', id: '10' });
  });

  it('runs the query in read-only transactions: a query that would delete is refused and the shop keeps its rows', async () => {
    // A subquery cannot hold a DELETE, but a function it calls can.
    await shop.query(`CREATE FUNCTION ${schema}.purge() RETURNS integer LANGUAGE plpgsql AS 'BEGIN DELETE FROM ${schema}.sales; RETURN 0; END'`);
    await writeFile(queryFile, `SELECT order_no AS id, customer_ref AS customer_id, placed AS ordered_at, total AS revenue, modified AS updated_at
  FROM ${schema}.sales WHERE ${schema}.purge() >= 0`);
    const run = await ingestOrdersSql(test.db, configFrom(env()));
    expect(run).toEqual({ ok: false, error: { source: 'orders_sql', reason: 'rejected', message: `the query in ${queryFile} failed on the shop's database: cannot execute DELETE in a read-only transaction` } });
    expect((await shop.query(`SELECT count(*)::int AS n FROM ${schema}.sales`)).rows).toEqual([{ n: 6 }]);
    expect(await orders()).toEqual([]);
  });

  it('names the contract columns a query lacks, in the run and in mkt sources check', async () => {
    await writeFile(queryFile, `SELECT order_no AS id, customer_ref AS customer_id, placed AS ordered_at, total AS revenue FROM ${schema}.sales`);
    const message = 'the query has no column updated_at (it has id, customer_id, ordered_at, revenue); name its columns id, customer_id, ordered_at, revenue, updated_at (optional: currency, cancelled) with AS';
    expect(await ingestOrdersSql(test.db, configFrom(env()))).toEqual({ ok: false, error: { source: 'orders_sql', reason: 'rejected', message } });
    expect((await checkSources(configFrom(env()))).find((check) => check.source === 'orders sql')).toEqual({ source: 'orders sql', status: 'failing', detail: `rejected: ${message}` });
  });

  it('stops at a row that breaks the contract, naming the order, with the pages before it stored', async () => {
    await shop.query(`UPDATE ${schema}.sales SET total = -5.00 WHERE order_no = 10`);
    const run = await ingestOrdersSql(test.db, configFrom(env()), { pageRows: 2 });
    expect(run).toEqual({ ok: false, error: { source: 'orders_sql', reason: 'malformed', message: 'order 10: revenue: expected a non-negative amount like 12.50' } });
    expect((await orders()).map((row) => (row as { id: string }).id)).toEqual(['1', '2']);
    expect(await cursor()).toEqual({ updatedAt: '2026-11-03 10:30:04+00', id: '2' });
  });

  it('converts a row in another currency with the imported rate, and refuses it without one', async () => {
    await shop.query(`UPDATE ${schema}.sales SET currency_code = 'USD', total = 110.00 WHERE order_no = 2`);
    const refused = await ingestOrdersSql(test.db, configFrom(env()));
    expect(refused).toEqual({ ok: false, error: { source: 'orders_sql', reason: 'rejected', message: 'order 2: USD 110 cannot be converted to EUR: no USD rate on or before 2026-11-03; import rates with mkt import rates <file.csv>' } });
    expect(await orders()).toEqual([]);
    await test.db.query(`INSERT INTO exchange_rates (currency, day, rate) VALUES ('USD', '2026-11-01', 1.1)`);
    expect((await ingestOrdersSql(test.db, configFrom(env()))).ok).toBe(true);
    expect(await test.db.query(`SELECT revenue, currency FROM orders WHERE id = '2'`)).toEqual([{ revenue: 100, currency: 'EUR' }]);
  });

  it('runs as the scheduled ingest-orders-sql job, and mkt sources check finds the query', async () => {
    const job = jobs.find((candidate) => candidate.name === 'ingest-orders-sql');
    expect(job?.schedule).toBe('*/15 * * * *');
    const at = new Date('2026-11-21T09:00:00Z');
    const result = await runJob(job!, { ...testJobContext(test.db), config: configFrom(env()) }, { asOf: at, holder: 'test', now: () => at });
    expect(result).toMatchObject({ kind: 'ran', outcome: 'ok', summary: '6 orders read, 5 written, 0 removed (cancelled), 4 new customers' });
    expect((await checkSources(configFrom(env()))).find((check) => check.source === 'orders sql')).toEqual({
      source: 'orders sql', status: 'ok', detail: 'the query returns id, customer_id, ordered_at, revenue, currency, cancelled, updated_at on a read-only connection',
    });
  });
});
