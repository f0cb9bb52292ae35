import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Db } from '../../src/adapters/store/db.js';
import { measure } from './measure.js';

const BATCH_ROWS = 50_000;

export interface DuckDbFigures {
  orders: number;
  /** Orders read from the store in keyset batches and written as CSV (not part of DuckDB's time). */
  exportMs: number;
  /** CSV → Parquet inside DuckDB. */
  parquetMs: number;
  /** The per-customer aggregation over the CSV file, kept in DuckDB. */
  groupByCsvMs: number;
  /** The same over the Parquet file. */
  groupByParquetMs: number;
  /** The aggregated rows read into JS objects, as the store's rows are. */
  readIntoJsMs: number;
  customers: number;
  /** Sums over the answer, to check it matches the store's (orders, revenue, recency days). */
  check: { orders: number; revenue: number; recencyDays: number };
  peakRssMb: number;
}

/** The columns of customer_summaries plus recency and age, computed from raw orders (see summarySelect). */
function rfmSql(source: string, asOfDay: string): string {
  return `SELECT customer_id, min(ordered_at) AS first_order_at, max(ordered_at) AS last_order_at,
                 count(*) AS orders, count(DISTINCT ordered_at::date) AS purchase_days, sum(revenue) AS revenue,
                 sum(revenue) FILTER (WHERE ordered_at::date = first_day) AS first_day_revenue,
                 date_diff('day', max(ordered_at)::date, DATE '${asOfDay}') AS recency_days,
                 date_diff('day', min(ordered_at)::date, DATE '${asOfDay}') AS age_days
            FROM (SELECT *, min(ordered_at::date) OVER (PARTITION BY customer_id) AS first_day FROM ${source})
           GROUP BY customer_id`;
}

/**
 * RFM from raw rows in DuckDB as a reference: export the orders placed before `end` to CSV, then
 * time DuckDB's GROUP BY over the file (and over Parquet made from it). No extension is loaded.
 */
export async function benchDuckDbRfm(db: Db, end: Date): Promise<DuckDbFigures> {
  const csvPath = join(tmpdir(), `mkt-bench-orders-${process.pid}.csv`);
  const parquetPath = csvPath.replace(/\.csv$/, '.parquet');
  try {
    const exported = await measure(() => exportOrders(db, end, csvPath));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const csv = `read_csv('${csvPath}', header = true, columns = {'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMP', 'revenue': 'DECIMAL(14,2)'})`;
    const asOfDay = new Date(end.getTime() - 1).toISOString().slice(0, 10);
    const parquet = await measure(() => connection.run(`COPY (SELECT * FROM ${csv}) TO '${parquetPath}' (FORMAT parquet)`));
    const byCsv = await measure(() => connection.run(`CREATE OR REPLACE TEMP TABLE rfm_csv AS ${rfmSql(csv, asOfDay)}`));
    const byParquet = await measure(() => connection.run(`CREATE OR REPLACE TEMP TABLE rfm AS ${rfmSql(`read_parquet('${parquetPath}')`, asOfDay)}`));
    const read = await measure(async () => (await connection.runAndReadAll('SELECT * FROM rfm')).getRowObjectsJS());
    const sums = (await connection.runAndReadAll('SELECT sum(orders)::DOUBLE AS orders, sum(revenue)::DOUBLE AS revenue, sum(recency_days)::DOUBLE AS recency FROM rfm')).getRowObjectsJS()[0];
    connection.closeSync();
    instance.closeSync();
    return {
      orders: exported.value,
      exportMs: exported.ms,
      parquetMs: parquet.ms,
      groupByCsvMs: byCsv.ms,
      groupByParquetMs: byParquet.ms,
      readIntoJsMs: read.ms,
      customers: read.value.length,
      check: { orders: Number(sums?.orders), revenue: Number(sums?.revenue), recencyDays: Number(sums?.recency) },
      peakRssMb: Math.max(exported.peakRssMb, parquet.peakRssMb, byCsv.peakRssMb, byParquet.peakRssMb, read.peakRssMb, read.maxRssMb),
    };
  } finally {
    await rm(csvPath, { force: true });
    await rm(parquetPath, { force: true });
  }
}

/** Keyset batches by order id, so neither side holds every order at once; times as naive UTC for DuckDB. */
async function exportOrders(db: Db, end: Date, path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write('customer_id,ordered_at,revenue\n');
  let after = '';
  let count = 0;
  for (;;) {
    const rows = await db.query<{ id: string; customer_id: string; ordered_at: Date; revenue: number }>(
      'SELECT id, customer_id, ordered_at, revenue FROM orders WHERE id > $1 AND ordered_at < $2 ORDER BY id LIMIT $3', [after, end, BATCH_ROWS]);
    if (rows.length === 0) break;
    const text = rows.map((row) => `${row.customer_id},${row.ordered_at.toISOString().slice(0, 23).replace('T', ' ')},${row.revenue}`).join('\n');
    if (!out.write(`${text}\n`)) await once(out, 'drain');
    count += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  out.end();
  await once(out, 'finish');
  return count;
}
