import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/reply.js';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';

// Today is 2026-11-26: "this month" is 2026-11-01..now, spend counts through yesterday, 11-25:
// 25 of November's 30 days have elapsed.
const now = new Date('2026-11-26T09:00:00Z');

/*
 * November caps: paid_search €3,000, paid_social €1,000, email €500.
 * Daily spend 11-01..11-25: paid_search €100 (2,500), paid_social €50 (1,250), email €10 (250).
 * Today's paid_search spend (€999, 11-26) is not counted yet. display spends €20 with no cap.
 * October: paid_search €400 and no caps at all.
 */
async function loadBudgets(db: Parameters<typeof insertOrders>[0]): Promise<void> {
  await db.query(`INSERT INTO budgets (channel, period_start, period_end, cap) VALUES
    ('paid_search', '2026-11-01', '2026-11-30', 3000), ('paid_social', '2026-11-01', '2026-11-30', 1000), ('email', '2026-11-01', '2026-11-30', 500)`);
  await db.query(`INSERT INTO spend (day, channel, campaign, cost)
    SELECT d::date, c.channel, '', c.cost FROM generate_series('2026-11-01'::date, '2026-11-25'::date, interval '1 day') AS d,
      (VALUES ('paid_search', 100), ('paid_social', 50), ('email', 10)) AS c (channel, cost)`);
  await db.query(`INSERT INTO spend (day, channel, campaign, cost) VALUES
    ('2026-11-26', 'paid_search', '', 999), ('2026-11-10', 'display', '', 20), ('2026-10-05', 'paid_search', '', 400)`);
  // Orders for ROAS by last non-direct touch: o1 €300 paid_search → direct (credit paid_search); o2 €100 email.
  await insertOrders(db, [
    { id: 'o1', customer: 'c1', at: '2026-11-10T12:00:00Z', revenue: 300 },
    { id: 'o2', customer: 'c2', at: '2026-11-12T12:00:00Z', revenue: 100 },
  ]);
  await insertTouchpoints(db, [
    { id: 't1', customer: 'c1', at: '2026-11-09T12:00:00Z', channel: 'paid_search', order: 'o1' },
    { id: 't2', customer: 'c1', at: '2026-11-10T11:00:00Z', channel: 'direct', order: 'o1' },
    { id: 't3', customer: 'c2', at: '2026-11-12T11:00:00Z', channel: 'email', order: 'o2' },
  ]);
}

const raw = (answer: Reply, channel: string) => rowOf(answer, channel).map((cell) => cell.raw);

describe(`budget on ${testDbKind}`, () => {
  const test = useTestDb();
  const bot = () => createTestBot(test.db, { now });

  beforeAll(async () => {
    await clearData(test.db);
    await loadBudgets(test.db);
  });

  it('paces each capped channel this month and names the worst overpacer with its projected overspend', async () => {
    const answer = await ask(bot(), 'budget');
    expect(answer.problem).toBeUndefined();
    // paid_social: expected 1,000 × 25/30 = 833.33; pace 1,250 / 833.33 = 150%; projected 1,250 / 25 × 30 = 1,500, €500 over.
    expect(answer.summary).toBe('paid_social is overpacing most: €1,250.00 spent against €833.33 expected by now (150% of pace); '
      + 'at this rate it will spend €1,500.00 against a €1,000.00 cap, €500.00 over.');
    const socialRow = raw(answer, 'paid_social');
    expect(socialRow.slice(1, 4)).toEqual(['2026-11-01..2026-11-30', 1000, 1250]);
    expect(socialRow[4]).toBeCloseTo(2500 / 3, 8);
    expect(socialRow[5]).toBeCloseTo(1500, 8);
    expect(socialRow[6]).toBe('cap_exceeded');
    // paid_search: 2,500 spent = 2,500 expected (3,000 × 25/30) → on pace, projected 3,000; ROAS 300 / 2,500 = 0.12.
    expect(raw(answer, 'paid_search').slice(3)).toEqual([2500, 2500, 3000, 'on_pace', 0.12]);
    // email: 250 against 416.67 → 60%, under pace; projected 300; ROAS 100 / 250 = 0.4.
    const emailRow = rowOf(answer, 'email');
    expect(emailRow[6]?.text).toBe('under pace (60%)');
    expect(emailRow[7]?.text).toBe('0.40×');
    expect(answer.blocks).toContainEqual({ type: 'text', text: 'Spend without a cap: display (€20.00).' });
  });

  it('draws a bullet chart with one bar per budget for spent, expected and cap', async () => {
    const answer = await ask(bot(), 'budget this month');
    const chart = answer.blocks.find((block) => block.type === 'chart');
    if (chart?.type !== 'chart') throw new Error('no chart');
    expect(chart.config.data.labels).toEqual(['email', 'paid_search', 'paid_social']);
    expect(chart.config.data.datasets).toHaveLength(3);
    expect(chart.config.data.datasets[0]?.data).toEqual([250, 2500, 1250]);
    expect(chart.config.data.datasets[2]?.data).toEqual([500, 3000, 1000]);
  });

  it('shows spend only, with a sentence, when no caps are set', async () => {
    const answer = await ask(bot(), 'budget last month');
    expect(answer.problem).toBeUndefined();
    expect(answer.summary).toBe('No budget caps are set for 1 Oct 2026 – 31 Oct 2026, so there is no pacing to show; €400.00 was spent. '
      + 'Caps come from the budgets table (chat or CSV).');
    expect(tableOf(answer).rows.map((row) => row.map((cell) => cell.raw))).toEqual([['paid_search', 400]]);
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'budget');
    // Italian groups thousands only from five digits (CLDR minimumGroupingDigits 2): 1250,00 €.
    expect(answer.summary).toBe('paid_social spende più in fretta di tutti: 1250,00\u00a0€ spesi contro 833,33\u00a0€ previsti a oggi (150% del ritmo); '
      + 'di questo passo spenderà 1500,00\u00a0€ su un tetto di 1000,00\u00a0€, 500,00\u00a0€ in più.');
  });

  it('says when there is neither spend nor a cap', async () => {
    const answer = await ask(bot(), 'budget 2025-01-01..2025-01-31');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toContain('No spend and no budget caps recorded between 1 Jan 2025 and 31 Jan 2025');
  });

  it.each([
    ['budget 2026-13-01..2026-13-31', /"2026-13-01..2026-13-31" is not a period I understand/],
    ['budget 2026-11-30..2026-11-01', /The period starts after it ends \(2026-11-30 .. 2026-11-01\)/],
    ['budget banana', /I don't know what to do with "banana" in `budget`/],
  ])('answers the malformed "%s" with a helpful error', async (text, message) => {
    const answer = await ask(bot(), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toMatch(message);
  });
});
