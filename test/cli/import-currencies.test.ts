import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDbKind, useTestDb } from '../support/db.js';
import { runMkt } from '../support/cli.js';

// A shop in euros whose days are Rome's: a row in dollars is converted with the rate the user
// imported for its day (or the last day before it with one), or refused.
const SHOP = { CURRENCY: 'EUR', TIME_ZONE: 'Europe/Rome' };

describe(`mkt import converts amounts in another currency or refuses them, on ${testDbKind}`, () => {
  const test = useTestDb();
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mkt-import-currencies-'));
  });

  const file = async (name: string, lines: string[]) => {
    const path = join(folder, name);
    await writeFile(path, lines.join('\n') + '\n');
    return path;
  };
  const importRates = async () => {
    const path = await file('rates.csv', ['date,currency,rate', '2026-11-02,USD,1.1000', '2026-11-05,usd,1.25', '2026-10-01,GBP,0.8750']);
    const { code, io } = await runMkt(test.db, ['import', 'rates', path], SHOP);
    expect(io.errors).toEqual([]);
    expect(io.lines).toEqual(['rates: read 3 rows, wrote 3 (0 unchanged).']);
    expect(code).toBe(0);
  };

  it('stores each order in the shop currency at the rate of its day in TIME_ZONE, or of the last day before it', async () => {
    await importRates();
    const orders = await file('orders.csv', [
      'id,customer_id,ordered_at,revenue,currency',
      'o1,c1,2026-11-03T09:00:00Z,100.00,EUR',
      // 2026-11-03: no rate that day, the one of 11-02 applies: 110 / 1.1 = 100.00.
      'o2,c2,2026-11-03T09:00:00Z,110.00,USD',
      // 23:30 UTC on 11-04 is 00:30 on 11-05 in Rome: 125 / 1.25 = 100.00 (the 11-02 rate would give 113.64).
      'o3,c3,2026-11-04T23:30:00Z,125.00,usd',
      // 50 / 1.1 = 45.4545... → 45.45.
      'o4,c4,2026-11-04T10:00:00Z,50.00,USD',
      // GBP 10 on 2026-11-04 with the 10-01 rate: 10 / 0.875 = 11.428... → 11.43.
      'o5,c5,2026-11-04T10:00:00Z,10.00,GBP',
      'o6,c6,2026-11-04T10:00:00Z,7.00,',
    ]);
    const { code, io } = await runMkt(test.db, ['import', 'orders', orders], SHOP);
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    expect(await test.db.query('SELECT id, revenue, currency FROM orders ORDER BY id')).toEqual([
      { id: 'o1', revenue: 100, currency: 'EUR' },
      { id: 'o2', revenue: 100, currency: 'EUR' },
      { id: 'o3', revenue: 100, currency: 'EUR' },
      { id: 'o4', revenue: 45.45, currency: 'EUR' },
      { id: 'o5', revenue: 11.43, currency: 'EUR' },
      { id: 'o6', revenue: 7, currency: 'EUR' },
    ]);

    const again = await runMkt(test.db, ['import', 'orders', orders], SHOP);
    expect(again.io.lines).toEqual(['orders: read 6 rows, wrote 0 (6 unchanged).']);
  });

  it('refuses a row whose currency has no rate on or before its day, naming the currency and the line', async () => {
    await importRates();
    const orders = await file('early.csv', [
      'id,customer_id,ordered_at,revenue,currency',
      'o1,c1,2026-11-03T09:00:00Z,100.00,EUR',
      'o2,c2,2026-11-01T22:59:00Z,110.00,USD',
      'o3,c3,2026-11-03T09:00:00Z,80.00,CHF',
    ]);
    const strict = await runMkt(test.db, ['import', 'orders', orders], SHOP);
    expect(strict.io.errors).toEqual([
      'line 3: USD 110 cannot be converted to EUR: no USD rate on or before 2026-11-01; import rates with mkt import rates <file.csv>',
      'line 4: CHF 80 cannot be converted to EUR: no CHF rate on or before 2026-11-03; import rates with mkt import rates <file.csv>',
      'Nothing imported: 2 of 3 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
    expect(strict.code).toBe(1);
    expect(await test.db.query('SELECT id FROM orders')).toEqual([]);

    const partial = await runMkt(test.db, ['import', 'orders', orders, '--partial'], SHOP);
    expect(partial.code).toBe(1);
    expect(await test.db.query('SELECT id, revenue, currency FROM orders')).toEqual([{ id: 'o1', revenue: 100, currency: 'EUR' }]);
  });

  it('converts spend and budgets too, so ROAS and pacing compare euros with euros', async () => {
    await importRates();
    const spend = await file('spend.csv', ['day,channel,campaign,cost,currency', '2026-11-05,paid_search,brand,250.00,USD', '2026-11-05,email,news,20.00,EUR']);
    const budgets = await file('budgets.csv', ['channel,period_start,period_end,cap,currency', 'paid_search,2026-11-02,2026-11-30,5500.00,USD']);
    expect((await runMkt(test.db, ['import', 'spend', spend], SHOP)).code).toBe(0);
    expect((await runMkt(test.db, ['import', 'budgets', budgets], SHOP)).code).toBe(0);
    expect(await test.db.query('SELECT channel, cost, currency FROM spend ORDER BY channel')).toEqual([
      { channel: 'email', cost: 20, currency: 'EUR' },
      { channel: 'paid_search', cost: 200, currency: 'EUR' },
    ]);
    // The cap's rate is that of the budget's first day: 5500 / 1.1 = 5000.
    expect(await test.db.query('SELECT cap, currency FROM budgets')).toEqual([{ cap: 5000, currency: 'EUR' }]);
  });

  it('refuses rates for the shop currency itself and rates that are not positive numbers', async () => {
    const path = await file('bad-rates.csv', ['date,currency,rate', '2026-11-02,EUR,1', '2026-11-02,USD,0', '2026-11-02,USD,-1.1', '2026-11-03,USD,1.1']);
    const { code, io } = await runMkt(test.db, ['import', 'rates', path], SHOP);
    expect(io.errors).toEqual([
      "line 2: currency: is the shop's own currency (CURRENCY=EUR); list the other currencies",
      'line 3: rate: must be above 0',
      'line 4: rate: expected a positive rate like 1.0956 (units of that currency for one unit of CURRENCY)',
      'Nothing imported: 3 of 4 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
    expect(code).toBe(1);
    expect(await test.db.query('SELECT 1 FROM exchange_rates')).toEqual([]);
  });
});
