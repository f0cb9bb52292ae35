import { beforeAll, describe, expect, it } from 'vitest';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';

// Today is 2026-11-26, so "last 7d" is 2026-11-19..2026-11-25 and the previous period 2026-11-12..2026-11-18.
const now = new Date('2026-11-26T09:00:00Z');

describe(`kpi on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, [
      // previous period: 2 orders, 100 + 50 = 150; c1 is new then
      { id: 'o1', customer: 'c1', at: '2026-11-13T10:00:00Z', revenue: 100 },
      { id: 'o2', customer: 'c2', at: '2026-11-18T23:59:00Z', revenue: 50 },
      // current period: 3 orders, 120 + 80 + 40 = 240; c1 returns, c3 and c4 are new
      { id: 'o3', customer: 'c1', at: '2026-11-19T00:00:00Z', revenue: 120 },
      { id: 'o4', customer: 'c3', at: '2026-11-20T12:00:00Z', revenue: 80 },
      { id: 'o5', customer: 'c4', at: '2026-11-25T23:59:59Z', revenue: 40 },
      // today: outside "last 7d"
      { id: 'o6', customer: 'c4', at: '2026-11-26T08:00:00Z', revenue: 999 },
    ]);
    // 6 sessions in the current period, 4 in the previous one
    await insertTouchpoints(test.db, [
      ...['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-25'].map((day, index) => ({ id: `t${index}`, anonymous: `a${index}`, at: `${day}T09:00:00Z`, channel: 'direct' })),
      ...['2026-11-12', '2026-11-13', '2026-11-14', '2026-11-18'].map((day, index) => ({ id: `p${index}`, anonymous: `b${index}`, at: `${day}T09:00:00Z`, channel: 'email' })),
    ]);
  });

  it('answers "kpi last 7d" with hand-counted revenue, orders, AOV, conversion rate and customers', async () => {
    const bot = createTestBot(test.db, { now });
    const answer = await ask(bot, 'kpi last 7d');
    expect(answer.problem).toBeUndefined();
    const raw = (label: string) => rowOf(answer, label).map((cell) => cell.raw);
    expect(raw('Revenue')).toEqual(['Revenue', 240, 150, '+60.0%']);
    expect(raw('Orders')).toEqual(['Orders', 3, 2, '+50.0%']);
    expect(raw('Average order value')).toEqual(['Average order value', 80, 75, '+6.7%']);
    // 3 orders / 6 sessions = 50%; previous 2 / 4 = 50%
    expect(raw('Conversion rate')).toEqual(['Conversion rate', 0.5, 0.5, '0.0 pp']);
    expect(raw('New customers')).toEqual(['New customers', 2, 2, '0.0%']);
    expect(raw('Returning customers')).toEqual(['Returning customers', 1, 0, 'n/a']);
    expect(answer.summary).toBe('Revenue was €240.00 (+60.0% on the previous period), driven by the number of orders (+50.0%).');
  });

  it('agrees with totals computed by independent SQL over the same period', async () => {
    const [expected] = await test.db.query<{ revenue: number; orders: number }>(
      `SELECT sum(revenue)::float8 AS revenue, count(*)::int AS orders FROM orders WHERE ordered_at >= '2026-11-19' AND ordered_at < '2026-11-26'`);
    const answer = await ask(createTestBot(test.db, { now }), 'kpi 2026-11-19..2026-11-25');
    expect(rowOf(answer, 'Revenue')[1]?.raw).toBe(expected?.revenue);
    expect(rowOf(answer, 'Orders')[1]?.raw).toBe(expected?.orders);
  });

  it('draws one point per day of the period, days without orders as zero', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'kpi last 7d');
    const chart = answer.blocks.find((block) => block.type === 'chart');
    expect(chart?.type).toBe('chart');
    if (chart?.type !== 'chart') return;
    expect(chart.config.data.labels).toEqual(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25']);
    expect(chart.config.data.datasets[0]?.data).toEqual([120, 80, 0, 0, 0, 0, 40]);
  });

  it('answers in Italian with Italian number formats', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'kpi last 7d');
    expect(answer.summary).toBe('Il fatturato è stato 240,00\u00a0€ (+60,0% rispetto al periodo precedente), trainato dal numero di ordini (+50,0%).');
    expect(tableOf(answer).rows[0]?.[0]?.text).toBe('Fatturato');
  });

  it('says there were no orders instead of showing zeros or NaN', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'kpi 2025-01-01..2025-01-31');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toContain('No orders between 1 Jan 2025 and 31 Jan 2025');
    expect(JSON.stringify(answer)).not.toMatch(/NaN|Infinity/);
  });
});
