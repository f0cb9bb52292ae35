import type { Db } from '../store/db.js';
import type { CsvRecord, Delimiter } from './csv-records.js';
import { readCsvRecords } from './csv-records.js';
import type { CsvTarget, CsvTargetName } from './csv-targets.js';
import { csvTarget } from './csv-targets.js';
import { upsertRows } from './upsert-rows.js';

export interface CsvImportOptions {
  /** Target column → header in the file; unmapped columns are looked up under their own name. */
  map: Readonly<Record<string, string>>;
  delimiter: Delimiter;
  /** Keep the good rows of a file with bad ones; by default one bad row leaves the database untouched. */
  isPartial: boolean;
  /** For rows without a currency column. */
  currency: string;
  batchRows?: number;
}

export interface CsvImportReport {
  rowsRead: number;
  /** Rows inserted or updated; a re-import of the same file writes 0. */
  rowsWritten: number;
  customersCreated: number;
  rejectedCount: number;
  /** The first MAX_REPORTED_REJECTIONS rejected rows. */
  rejected: { line: number; reason: string }[];
  isCommitted: boolean;
  /** Set when the file could not be imported at all (missing columns, unreadable). */
  fileError?: string;
}

export const MAX_REPORTED_REJECTIONS = 100;
const BATCH_ROWS = 5_000;

class RollBack extends Error {}

/** Imports a delimited file into one contract table in one transaction, streaming it in batches. */
export async function importCsv(db: Db, targetName: CsvTargetName, path: string, options: CsvImportOptions): Promise<CsvImportReport> {
  const target = csvTarget(targetName, options.currency);
  const report: CsvImportReport = { rowsRead: 0, rowsWritten: 0, customersCreated: 0, rejectedCount: 0, rejected: [], isCommitted: false };
  try {
    await db.transaction(async (tx) => {
      let fieldIndexes: number[] | undefined;
      let batch: unknown[][] = [];
      const flush = async () => {
        if (options.isPartial || report.rejectedCount === 0) await writeBatch(tx, target, batch, report);
        batch = [];
      };
      for await (const record of readCsvRecords(path, options.delimiter)) {
        if (!fieldIndexes) {
          const resolved = resolveColumns(target, record.fields, options.map);
          if (typeof resolved === 'string') {
            report.fileError = resolved;
            throw new RollBack();
          }
          fieldIndexes = resolved;
          continue;
        }
        report.rowsRead += 1;
        const row = readRow(target, fieldIndexes, record);
        if (typeof row === 'string') {
          report.rejectedCount += 1;
          if (report.rejected.length < MAX_REPORTED_REJECTIONS) report.rejected.push({ line: record.line, reason: row });
          continue;
        }
        batch.push(row);
        if (batch.length >= (options.batchRows ?? BATCH_ROWS)) await flush();
      }
      if (!fieldIndexes) {
        report.fileError = 'the file is empty';
        throw new RollBack();
      }
      await flush();
      if (report.rejectedCount > 0 && !options.isPartial) throw new RollBack();
    });
    report.isCommitted = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  if (!report.isCommitted) {
    report.rowsWritten = 0;
    report.customersCreated = 0;
  }
  return report;
}

/** For each target column, the index of its field in the header (-1 when optional and absent), or what is missing. */
function resolveColumns(target: CsvTarget, header: readonly string[], map: Readonly<Record<string, string>>): number[] | string {
  const names = header.map((name) => name.trim());
  const unknownTargets = Object.keys(map).filter((name) => !target.columns.some((column) => column.name === name));
  if (unknownTargets.length > 0) return `--map names ${unknownTargets.join(', ')}, which ${target.table} does not have (columns: ${target.columns.map((column) => column.name).join(', ')})`;
  const indexes = target.columns.map((column) => names.indexOf(map[column.name] ?? column.name));
  const missing = target.columns.filter((column, index) => column.required && indexes[index] === -1).map((column) => map[column.name] ?? column.name);
  if (missing.length > 0) return `the header has no column ${missing.join(', ')} (it has ${names.join(', ')}); use --map ${target.columns.find((column) => column.required && missing.includes(map[column.name] ?? column.name))?.name}=<header>`;
  return indexes;
}

function readRow(target: CsvTarget, fieldIndexes: readonly number[], record: CsvRecord): unknown[] | string {
  const values: Record<string, string> = {};
  target.columns.forEach((column, index) => {
    const at = fieldIndexes[index] ?? -1;
    values[column.name] = at === -1 ? '' : record.fields[at] ?? '';
  });
  const expected = Math.max(...fieldIndexes) + 1;
  if (record.fields.length < expected) return `expected at least ${expected} fields, found ${record.fields.length}`;
  const parsed = target.row.safeParse(values);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
  return target.columns.map((column) => parsed.data[column.name]);
}

async function writeBatch(db: Db, target: CsvTarget, rows: readonly unknown[][], report: CsvImportReport): Promise<void> {
  if (rows.length === 0) return;
  if (target.table === 'orders') {
    // Orders need their customers; new ones are created here and first_order_at follows the earliest order.
    const [created] = await db.query<{ created: number }>(
      `WITH added AS (INSERT INTO customers (id, first_order_at) SELECT id, min(at) FROM unnest($1::text[], $2::timestamptz[]) AS t(id, at) GROUP BY id ON CONFLICT (id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS created FROM added`,
      [rows.map((row) => row[1]), rows.map((row) => (row[2] as Date).toISOString())],
    );
    report.customersCreated += created?.created ?? 0;
  }
  report.rowsWritten += await upsertRows(db, target.table, target.columns, target.key, rows);
  if (target.table === 'orders') {
    await db.query(
      `UPDATE customers c SET first_order_at = m.first FROM (SELECT customer_id, min(ordered_at) AS first FROM orders WHERE customer_id = ANY($1::text[]) GROUP BY customer_id) m
       WHERE c.id = m.customer_id AND c.first_order_at IS DISTINCT FROM m.first`,
      [[...new Set(rows.map((row) => row[1]))]],
    );
  }
}
