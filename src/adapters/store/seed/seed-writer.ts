import type { Db } from '../db.js';
import { INSERT_BATCH_ROWS, csvOf, insertBatch } from '../insert-batch.js';
import type { PgType } from '../insert-batch.js';

interface TableSpec {
  columns: readonly string[];
  types: readonly PgType[];
}

// Listed in foreign-key order: a flush writes customers before the orders that reference them.
const TABLES = {
  customers: { columns: ['id', 'first_order_at', 'country'], types: ['text', 'timestamptz', 'text'] },
  orders: { columns: ['id', 'customer_id', 'ordered_at', 'revenue', 'currency'], types: ['text', 'text', 'timestamptz', 'numeric', 'text'] },
  touchpoints: {
    columns: ['id', 'customer_id', 'anonymous_id', 'at', 'channel', 'source', 'medium', 'campaign', 'device', 'country', 'order_id'],
    types: ['text', 'text', 'text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
  },
  reported_conversions: { columns: ['day', 'channel', 'conversions', 'revenue', 'source'], types: ['date', 'text', 'numeric', 'numeric', 'text'] },
  tracking_events: { columns: ['hour', 'event_name', 'count', 'source'], types: ['timestamptz', 'text', 'int8', 'text'] },
  pagespeed_runs: {
    columns: ['at', 'url', 'form_factor', 'kind', 'performance_score', 'lcp_ms', 'inp_ms', 'cls', 'ttfb_ms', 'tbt_ms', 'fcp_ms', 'speed_index_ms', 'third_party_ms', 'third_party_bytes', 'source'],
    types: ['timestamptz', 'text', 'text', 'text', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'int8', 'text'],
  },
  changes: { columns: ['at', 'kind', 'ref', 'author', 'summary', 'url', 'details'], types: ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'jsonb'] },
  spend: { columns: ['day', 'channel', 'campaign', 'cost', 'currency'], types: ['date', 'text', 'text', 'numeric', 'text'] },
  budgets: { columns: ['channel', 'period_start', 'period_end', 'cap', 'currency'], types: ['text', 'date', 'date', 'numeric', 'text'] },
} satisfies Record<string, TableSpec>;

export type DataTable = keyof typeof TABLES;
export const DATA_TABLES = Object.keys(TABLES) as DataTable[];

/**
 * Collects generated rows per table and writes them in batches, so memory holds at most one batch
 * per table whatever the shop size. One flush may run while the next batch is generated.
 */
export class SeedWriter {
  readonly counts = Object.fromEntries(DATA_TABLES.map((table) => [table, 0])) as Record<DataTable, number>;
  private buffers = new Map<DataTable, unknown[][]>();
  private buffered = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  add(table: DataTable, row: unknown[]): void {
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(row);
    this.counts[table] += 1;
    this.buffered += 1;
  }

  get isFull(): boolean {
    return this.buffered >= INSERT_BATCH_ROWS;
  }

  /** Waits for the previous flush, then starts writing what is buffered without waiting for it. */
  async flush(): Promise<void> {
    await this.pending;
    const batches = DATA_TABLES.flatMap((table) => {
      const rows = this.buffers.get(table);
      return rows && rows.length > 0 ? [{ table, rows }] : [];
    });
    this.buffers = new Map();
    this.buffered = 0;
    this.pending = (async () => {
      for (const { table, rows } of batches) {
        const { columns, types } = TABLES[table];
        // COPY where the database has it (the embedded one): it parses rows several times faster than unnest().
        if (this.db.copyCsv) await this.db.copyCsv(table, columns, csvOf(types, rows));
        else await insertBatch(this.db, table, columns, types, rows);
      }
    })();
    // The flush is awaited by the next flush or by finish(); this only stops an early failure counting as unhandled.
    this.pending.catch(() => undefined);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}
