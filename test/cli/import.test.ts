import { readFileSync } from 'node:fs';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { botSettings } from '../../src/app.js';
import { createDataPort } from '../../src/adapters/store/data-port.js';
import { commands } from '../../src/bot/commands/index.js';
import { createBot } from '../../src/bot/dispatch.js';
import { changesAdd } from '../../src/cli/changes.js';
import { importData } from '../../src/cli/import.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { clearData, testDbKind, useTestDb } from '../support/db.js';
import { captureIo } from '../support/cli.js';

const cdnowPath = new URL('../../../shared/fixtures/cdnow/CDNOW_master.txt', import.meta.url).pathname;

/** The CDNOW log as the test reads it, independently of the importer: whitespace-separated, CRLF, one header line. */
function readCdnow(): { customer: string; day: string; dollars: string }[] {
  const lines = readFileSync(cdnowPath, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  expect(lines[0]?.trim().split(/\s+/)).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value']);
  return lines.slice(1).map((line) => {
    const [customer = '', day = '', , dollars = ''] = line.trim().split(/\s+/);
    return { customer, day, dollars };
  });
}

describe(`mkt import and mkt changes add on ${testDbKind}`, () => {
  const test = useTestDb();
  let app: App;
  let folder: string;

  beforeAll(async () => {
    const parsed = parseConfig({ CURRENCY: 'USD' });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const log = createLogger('silent');
    app = { config: parsed.config, db: test.db, log, bot: createBot({ data: createDataPort(test.db), commands, settings: botSettings(parsed.config), clock: () => new Date(), log }), metrics: createMetrics(test.db), close: async () => undefined };
    folder = await mkdtemp(join(tmpdir(), 'mkt-import-'));
  });
  beforeEach(async () => clearData(test.db));

  // The whole published log (69,659 rows) is what makes the counts checkable against the dataset, and
  // it is the slowest test of the file: its own limit leaves room for a machine shared with other
  // suites (speed is measured by npm run bench, not here). The re-import reads the log's first
  // 5,000 rows again, which shows the same as all of them: rows already stored change nothing.
  it('imports the CDNOW purchase log as orders with a header mapping, and a re-import changes nothing', { timeout: 180_000 }, async () => {
    const purchases = readCdnow();
    // CDNOW has no order id (a customer can buy twice a day), so the CSV numbers its transactions.
    const header = 'txn,customer_id,date,number_of_cds,dollar_value';
    const lines = purchases.map((row, index) => `${index + 1},${row.customer},${row.day},1,${row.dollars}`);
    const csv = join(folder, 'cdnow.csv');
    await writeFile(csv, [header, ...lines].join('\n'));
    const mapping = ['--map', 'id=txn,ordered_at=date,revenue=dollar_value'];
    const args = ['orders', csv, ...mapping];

    const firstIo = captureIo();
    expect(await importData.run(args, app, firstIo)).toBe(0);
    const customers = new Map<string, string>();
    for (const row of purchases) if (!customers.has(row.customer) || row.day < (customers.get(row.customer) ?? '')) customers.set(row.customer, row.day);
    expect(purchases).toHaveLength(69_659);
    expect(customers.size).toBe(23_570);
    expect(firstIo.lines).toEqual([`orders: read 69659 rows, wrote 69659 (0 unchanged), 23570 new customers.`]);

    const totals = async () => (await test.db.query<{ orders: number; customers: number; revenue_cents: number; earliest: string }>(
      `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM customers) AS customers,
              (SELECT sum(revenue * 100)::int8 FROM orders) AS revenue_cents, (SELECT min(ordered_at) FROM orders)::text AS earliest`))[0];
    const expectedCents = purchases.reduce((total, row) => total + Math.round(Number(row.dollars) * 100), 0);
    const before = await totals();
    expect(before).toMatchObject({ orders: 69_659, customers: 23_570, revenue_cents: expectedCents });

    // Row by row for the file's first lines: " 00001 19970101  1   11.77", " 00002 19970112  1   12.00", " 00002 19970112  5   77.00".
    const first = await test.db.query<{ id: string; customer_id: string; ordered_at: Date; revenue: number; currency: string }>(`SELECT id, customer_id, ordered_at, revenue, currency FROM orders WHERE id IN ('1', '2', '3') ORDER BY id`);
    expect(first).toEqual([
      { id: '1', customer_id: '00001', ordered_at: new Date('1997-01-01T00:00:00Z'), revenue: 11.77, currency: 'USD' },
      { id: '2', customer_id: '00002', ordered_at: new Date('1997-01-12T00:00:00Z'), revenue: 12, currency: 'USD' },
      { id: '3', customer_id: '00002', ordered_at: new Date('1997-01-12T00:00:00Z'), revenue: 77, currency: 'USD' },
    ]);
    const firstOrders = await test.db.query<{ id: string; first_order_at: Date }>('SELECT id, first_order_at FROM customers');
    const mismatched = firstOrders.filter((row) => {
      const day = customers.get(row.id) ?? '';
      return row.first_order_at.getTime() !== Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
    });
    expect(mismatched).toEqual([]);

    const again = join(folder, 'cdnow-first-5000.csv');
    await writeFile(again, [header, ...lines.slice(0, 5_000)].join('\n'));
    const againIo = captureIo();
    expect(await importData.run(['orders', again, ...mapping], app, againIo)).toBe(0);
    expect(againIo.lines).toEqual([`orders: read 5000 rows, wrote 0 (5000 unchanged).`]);
    expect(await totals()).toEqual(before);
  });

  it('reads a whitespace-separated file with --delimiter whitespace', async () => {
    const file = join(folder, 'customers.txt');
    await writeFile(file, ' id   country  first_order_at\r\n 00001  IT  1997-01-01\r\n\r\n 00002   DE   19970112\r\n');
    const io = captureIo();
    expect(await importData.run(['customers', file, '--delimiter', 'whitespace'], app, io)).toBe(0);
    expect(await test.db.query('SELECT id, country, first_order_at FROM customers ORDER BY id')).toEqual([
      { id: '00001', country: 'IT', first_order_at: new Date('1997-01-01T00:00:00Z') },
      { id: '00002', country: 'DE', first_order_at: new Date('1997-01-12T00:00:00Z') },
    ]);
  });

  it('imports nothing from a file with bad rows and names each bad line and why; --partial keeps the good rows', async () => {
    const file = join(folder, 'spend.csv');
    await writeFile(file, [
      'day;channel;campaign;cost',
      '2026-11-01;paid_search;brand;120.50',
      '2026-11-31;paid_search;brand;80.00',
      '2026-11-02;;brand;10.00',
      '2026-11-02;paid_social;"retargeting; q4";-5',
      '2026-11-03;email;newsletter;0',
    ].join('\n'));
    const strict = captureIo();
    expect(await importData.run(['spend', file, '--delimiter', ';'], app, strict)).toBe(1);
    expect(strict.errors).toEqual([
      'line 3: day: expected a date like 2026-11-25 or 20261125, got "2026-11-31"',
      'line 4: channel: is empty',
      'line 5: cost: expected a non-negative amount like 12.50',
      'Nothing imported: 3 of 5 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
    expect(await test.db.query('SELECT 1 FROM spend')).toEqual([]);

    const partial = captureIo();
    expect(await importData.run(['spend', file, '--delimiter', ';', '--partial'], app, partial)).toBe(1);
    expect(partial.lines).toEqual(['spend: read 5 rows, wrote 2 (0 unchanged), 3 rejected.']);
    expect(await test.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, campaign, cost, currency FROM spend ORDER BY day`)).toEqual([
      { day: '2026-11-01', channel: 'paid_search', campaign: 'brand', cost: 120.5, currency: 'USD' },
      { day: '2026-11-03', channel: 'email', campaign: 'newsletter', cost: 0, currency: 'USD' },
    ]);
  });

  it('refuses a file whose header lacks a required column and says which mapping would help', async () => {
    const file = join(folder, 'budgets.csv');
    await writeFile(file, 'channel,from,to,cap\npaid_search,2026-11-01,2026-11-30,5000\n');
    const io = captureIo();
    expect(await importData.run(['budgets', file], app, io)).toBe(1);
    expect(io.errors).toEqual(['Nothing imported: the header has no column period_start, period_end (it has channel, from, to, cap); use --map period_start=<header>.']);
    expect(await importData.run(['budgets', file, '--map', 'period_start=from,period_end=to'], app, captureIo())).toBe(0);
    expect(await test.db.query(`SELECT channel, period_start::text, period_end::text, cap FROM budgets`)).toEqual([{ channel: 'paid_search', period_start: '2026-11-01', period_end: '2026-11-30', cap: 5000 }]);
  });

  it('imports a Lighthouse report with mkt import lighthouse and says which file and URL', async () => {
    const file = new URL('../../../shared/fixtures/lighthouse/sample_v2.lhr.json', import.meta.url).pathname;
    const lhr = JSON.parse(readFileSync(file, 'utf8')) as { fetchTime: string; finalDisplayedUrl: string; audits: Record<string, { numericValue: number }> };
    const io = captureIo();
    expect(await importData.run(['lighthouse', file], app, io)).toBe(0);
    expect(io.lines).toEqual([`imported ${lhr.finalDisplayedUrl} at ${lhr.fetchTime} (${file})`]);
    const [row] = await test.db.query<{ lcp_ms: number }>('SELECT lcp_ms FROM pagespeed_runs');
    // lcp_ms is a `real`: equal at single precision.
    expect(Math.fround(row?.lcp_ms ?? Number.NaN)).toBe(Math.fround(lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN));
  });

  it('records a manual deploy with mkt changes add and refuses the same ref twice', async () => {
    const args = ['--kind', 'deploy', '--ref', 'v3.2.0', '--summary', 'New checkout', '--at', '2026-11-20T10:00:00Z', '--author', 'anna', '--url', 'https://ci.example.com/b/1'];
    expect(await changesAdd.run(args, app, captureIo())).toBe(0);
    const again = captureIo();
    expect(await changesAdd.run(args, app, again)).toBe(1);
    expect(again.errors).toEqual(['A deploy with ref v3.2.0 is already recorded; nothing changed.']);
    expect(await test.db.query('SELECT at, kind, ref, author, summary, url FROM changes')).toEqual([
      { at: new Date('2026-11-20T10:00:00Z'), kind: 'deploy', ref: 'v3.2.0', author: 'anna', summary: 'New checkout', url: 'https://ci.example.com/b/1' },
    ]);
    const bad = captureIo();
    expect(await changesAdd.run(['--kind', 'release', '--ref', 'x', '--summary', 's'], app, bad)).toBe(2);
    expect(bad.errors[0]).toMatch(/^--kind: /);
  });
});
