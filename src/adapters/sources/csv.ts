import type { Db } from '../store/db.js';
import { CsvFileProblem } from './csv-file-problem.js';
import { resolveColumns } from './csv-header.js';
import type { CsvRecord, Delimiter } from './csv-records.js';
import { readCsvRecords } from './csv-records.js';
import type { CsvTarget, CsvTargetName } from './csv-targets.js';
import { csvTarget } from './csv-targets.js';
import { createKeyLedger } from './csv-keys.js';
import type { ShopCurrency } from './exchange-rates.js';
import { toShopCurrency } from './exchange-rates.js';
import { writeOrders } from './order-writer.js';
import type { TextEncoding } from './text-decoding.js';
import { upsertRows } from './upsert-rows.js';

export interface CsvImportOptions {
  /** Target column → header in the file; unmapped columns are looked up under their own name. */
  map: Readonly<Record<string, string>>;
  delimiter: Delimiter;
  encoding: TextEncoding;
  /** Keep the good rows of a file with bad ones; by default one bad row leaves the database untouched. */
  isPartial: boolean;
  /** The shop's currency (rows without a currency column are in it) and the zone that dates a rate. */
  shop: ShopCurrency;
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
  /** Set when the file could not be imported at all (missing, unreadable, not text, missing columns). */
  fileError?: string;
}

export const MAX_REPORTED_REJECTIONS = 100;
const BATCH_ROWS = 5_000;

/** A row that passed its schema, with the line it came from. */
interface ParsedRow {
  line: number;
  values: unknown[];
}

class RollBack extends Error {}

/** Imports a delimited file into one contract table in one transaction, streaming it in batches. */
export async function importCsv(db: Db, targetName: CsvTargetName, path: string, options: CsvImportOptions): Promise<CsvImportReport> {
  const target = csvTarget(targetName, options.shop.currency);
  const report: CsvImportReport = { rowsRead: 0, rowsWritten: 0, customersCreated: 0, rejectedCount: 0, rejected: [], isCommitted: false };
  const reject = (line: number, reason: string) => {
    report.rejectedCount += 1;
    if (report.rejected.length < MAX_REPORTED_REJECTIONS) report.rejected.push({ line, reason });
  };
  try {
    await db.transaction(async (tx) => {
      const keys = await createKeyLedger(tx);
      let fieldIndexes: number[] | undefined;
      let batch: ParsedRow[] = [];
      const flush = async () => {
        const repeats = await keys.repeatsOf(batch.map((row) => ({ line: row.line, key: keyOf(target, row.values) })));
        const rows = batch.filter((row) => {
          const firstLine = repeats.get(row.line);
          if (firstLine !== undefined) reject(row.line, `${describeKey(target, row.values)} appears again (first on line ${firstLine}); a file holds each row once`);
          return firstLine === undefined;
        });
        const converted = await inShopCurrency(tx, target, rows, options.shop, reject);
        if (options.isPartial || report.rejectedCount === 0) await writeBatch(tx, target, converted, report);
        batch = [];
      };
      for await (const record of readCsvRecords(path, options)) {
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
        if (typeof row === 'string') reject(record.line, row);
        else batch.push({ line: record.line, values: row });
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
    if (error instanceof CsvFileProblem) report.fileError = error.message;
    else if (!(error instanceof RollBack)) throw error;
  }
  if (!report.isCommitted) {
    report.rowsWritten = 0;
    report.customersCreated = 0;
  }
  return report;
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

function keyOf(target: CsvTarget, values: readonly unknown[]): string {
  return JSON.stringify(target.key.map((name) => {
    const value = values[target.columns.findIndex((column) => column.name === name)];
    return value instanceof Date ? value.toISOString() : value;
  }));
}

/** "id 1001" or "day 2026-11-02, channel email, campaign brand": how a repeated row is named. */
function describeKey(target: CsvTarget, values: readonly unknown[]): string {
  return target.key.map((name) => `${name} ${String(values[target.columns.findIndex((column) => column.name === name)])}`).join(', ');
}

/** The rows with their money in the shop's currency; a row that cannot be converted is rejected. */
async function inShopCurrency(db: Db, target: CsvTarget, rows: readonly ParsedRow[], shop: ShopCurrency, reject: (line: number, reason: string) => void): Promise<ParsedRow[]> {
  const { money } = target;
  if (!money) return [...rows];
  const at = (name: string) => target.columns.findIndex((column) => column.name === name);
  const [amountAt, currencyAt, dayAt] = [at(money.amount), at(money.currency), at(money.at)];
  const conversions = await toShopCurrency(db, rows.map((row) => ({
    amount: row.values[amountAt] as number, currency: row.values[currencyAt] as string, at: row.values[dayAt] as Date | string,
  })), shop);
  return rows.flatMap((row, index) => {
    const conversion = conversions[index]!;
    if (!conversion.ok) {
      reject(row.line, conversion.reason);
      return [];
    }
    const values = [...row.values];
    values[amountAt] = conversion.amount;
    values[currencyAt] = shop.currency;
    return [{ line: row.line, values }];
  });
}

async function writeBatch(db: Db, target: CsvTarget, rows: readonly ParsedRow[], report: CsvImportReport): Promise<void> {
  if (rows.length === 0) return;
  if (target.table === 'orders') {
    const written = await writeOrders(db, rows.map(({ values: [id, customerId, orderedAt, revenue, currency] }) => ({
      id: id as string, customerId: customerId as string, orderedAt: orderedAt as Date, revenue: revenue as number, currency: currency as string,
    })));
    report.rowsWritten += written.written;
    report.customersCreated += written.customersCreated;
    return;
  }
  report.rowsWritten += await upsertRows(db, target.table, target.columns, target.key, rows.map((row) => row.values));
}
