import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/reply.js';
import { ask, createTestBot, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import { RFM_OCTOBER_ORDERS } from '../../support/hand-scored-shops.js';

const now = new Date('2026-11-26T09:00:00Z');

/** Non-empty segments as [id, customers, revenue]. */
function segmentsOf(answer: Reply): [unknown, unknown, unknown][] {
  return tableOf(answer).rows.filter((row) => row[1]?.raw !== 0).map((row) => [row[0]?.raw, row[1]?.raw, row[3]?.raw]);
}

// Scores are 1 + floor(5 · worse / n) (worse: customers with a strictly worse value), FM = floor((F + M + 1) / 2).
//
// As of 30 Sep (n = 5), recency days / orders / revenue:
//   P 1/2/600, T 15/1/100, Q 29/1/50, R 60/1/20, S 91/1/10
//   R: P5 T4 Q3 R2 S1; F: P5, others 1; M: P5 T4 Q3 R2 S1; FM: P5 T3 Q2 R2 S1
//   → P champions, T potential_loyalist, Q about_to_sleep, R hibernating, S lost
// As of 31 Oct (n = 6), after October orders from Q, R, S, T and the new U:
//   P 32/2/600, Q 1/2/100, R 2/2/60, S 3/2/40, T 4/2/200, U 11/1/5
//   R: P1 U1 T2 S3 R4 Q5; F: U1, others 1 + floor(5/6) = 1; M: U1 S1 R2 Q3 T4 P5; FM: P3 T3 Q2 R2 S1 U1
//   → P at_risk, T at_risk, Q potential_loyalist, R potential_loyalist, S about_to_sleep, U lost
// Revenue 1005: at_risk 800 (79.6 %), potential_loyalist 160, about_to_sleep 40, lost 5.
describe(`rfm on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, RFM_OCTOBER_ORDERS);
  });

  it('scores October from raw orders: segments, sizes and revenue', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'rfm 2026-10-01..2026-10-31');
    expect(answer.problem).toBeUndefined();
    expect(answer.title).toBe('RFM segments as of 31 Oct 2026');
    expect(segmentsOf(answer)).toEqual([['potential_loyalist', 2, 160], ['about_to_sleep', 1, 40], ['at_risk', 2, 800], ['lost', 1, 5]]);
    const atRisk = tableOf(answer).rows.find((row) => row[0]?.raw === 'at_risk');
    expect(atRisk?.[4]?.raw as number).toBeCloseTo(800 / 1005, 12);
  });

  it('says which valuable customers slid into at risk and what they are worth', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'rfm 2026-10-01..2026-10-31');
    // P (champion) and T (potential loyalist) are at risk now: 600 + 200.
    expect(answer.summary).toBe("2 valuable customers (Champions, Loyal or Potential Loyalist on 30 Sept 2026) slid into At Risk or Can't Lose Them, worth €800.00 in revenue to date. "
      + 'The largest segment by revenue is At Risk: 2 customers, 79.6% of revenue.');
    const moves = tableOf(answer, 1).rows.map((row) => `${row[0]?.raw}>${row[1]?.raw}:${row[2]?.raw}:${row[3]?.raw}`);
    expect(moves.sort()).toEqual([
      'about_to_sleep>potential_loyalist:1:100', 'champions>at_risk:1:600', 'hibernating>potential_loyalist:1:60',
      'lost>about_to_sleep:1:40', 'null>lost:1:5', 'potential_loyalist>at_risk:1:200',
    ]);
  });

  it('draws customers and revenue as two bars stacked by segment, in percent', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'rfm 2026-10-01..2026-10-31');
    const chart = answer.blocks.find((block) => block.type === 'chart');
    if (chart?.type !== 'chart') throw new Error('no chart');
    const datasets = chart.config.data.datasets.map((dataset) => [dataset.label, dataset.data]);
    // customers 2/6, 1/6, 2/6, 1/6; revenue 160/1005, 40/1005, 800/1005, 5/1005
    expect(datasets).toEqual([['Potential Loyalist', [33.3, 15.9]], ['About to Sleep', [16.7, 4]], ['At Risk', [33.3, 79.6]], ['Lost', [16.7, 0.5]]]);
  });

  it('scores as of now from the kept summaries, with the same ranks as at the end of October', async () => {
    // No order since 31 Oct: every recency grows by 26 days, so every score and segment stays.
    const answer = await ask(createTestBot(test.db, { now }), 'rfm');
    expect(answer.title).toBe('RFM segments as of 26 Nov 2026');
    expect(segmentsOf(answer)).toEqual([['potential_loyalist', 2, 160], ['about_to_sleep', 1, 40], ['at_risk', 2, 800], ['lost', 1, 5]]);
  });

  it('says nobody slid when no valuable customer did', async () => {
    // As of 31 Aug only R (1 Aug) and S (1 Jul) were customers; a month earlier only S.
    const answer = await ask(createTestBot(test.db, { now }), 'rfm 2026-08-01..2026-08-31');
    expect(answer.summary).toMatch(/^No valuable customer slid into At Risk or Can't Lose Them since 31 Jul 2026\./);
  });

  it('answers a period before the first order with no data', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'rfm 2025-01-01..2025-01-31');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toContain('There are no orders up to 31 Jan 2025');
  });

  it.each([
    ['rfm last 0d', '"last 0d" is not a period I understand.'],
    ['rfm planets', 'I don\'t know what to do with "planets" in `rfm`.'],
    ['rfm 2026-10-31..2026-10-01', 'The period starts after it ends (2026-10-31 .. 2026-10-01).'],
  ])('answers "%s" with what would work', async (text, message) => {
    const answer = await ask(createTestBot(test.db, { now }), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary.startsWith(message)).toBe(true);
  });
});
