// Readers for the CDNOW fixtures (see shared/fixtures/SOURCES.md): the 1/10 sample of 2,357 customers
// that Fader, Hardie & Lee (2005) fit, calibration period 1997-01-01 to 1997-09-30, in weeks.
import { readFileSync } from 'node:fs';
import type { CustomerSummary, Transaction } from '../../src/analytics/customer-summary.js';

const CDNOW_FOLDER = new URL('../../../shared/fixtures/cdnow/', import.meta.url);

/** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar (tx, T, zbar rounded to 2 decimals). */
export function readCdnowSummaries(): CustomerSummary[] {
  const text = readFileSync(new URL('cdnow_customers_summary_with_transactions.csv', CDNOW_FOLDER), 'utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (header !== 'ID,x,t_x,T,zbar') throw new Error(`unexpected CDNOW summary header: ${header}`);
  return lines.map((line) => {
    const [customerId = '', x, tx, T, zbar] = line.split(',');
    return { customerId, x: Number(x), tx: Number(tx), T: Number(T), mbar: Number(zbar) };
  });
}

/** CDNOW_sample.txt: master id, sample id (1..2357), YYYYMMDD, number of CDs, dollar value. */
export function readCdnowTransactions(): Transaction[] {
  const text = readFileSync(new URL('CDNOW_sample.txt', CDNOW_FOLDER), 'utf8');
  return text.split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => {
    const [, sampleId = '', yyyymmdd = '', , dollars] = line.trim().split(/\s+/);
    const day = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
    return { customerId: String(Number(sampleId)), day, value: Number(dollars) };
  });
}

/** Half a unit in the last of `digits` significant digits of a published figure (15.44, 3 → 0.05). */
export function significantDigitsTolerance(published: number, digits: number): number {
  const exponent = Math.floor(Math.log10(Math.abs(published)));
  return 0.5 * 10 ** (exponent - digits + 1);
}
