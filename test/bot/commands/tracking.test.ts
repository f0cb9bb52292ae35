import { beforeAll, describe, expect, it } from 'vitest';
import { insertBatch } from '../../../src/adapters/store/insert-batch.js';
import type { ChartBlock, Reply } from '../../../src/bot/reply.js';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';
import { HOUR_MS } from '../../../src/analytics/time.js';

const now = new Date('2026-11-26T09:00:00Z');
// "2026-11-19..2026-11-25" is Thursday 00:00 to the next Thursday 00:00 UTC: exactly one week, 168 hours.
// The baseline looks six weeks further back, so the fixture starts on Thursday 2026-10-08.
const QUESTION = 'tracking 2026-11-19..2026-11-25';
const HISTORY_START = Date.parse('2026-10-08T00:00:00Z');
const HISTORY_END = Date.parse('2026-11-26T00:00:00Z');
// The broken hours: Monday 23 Nov 14:00-17:59, 40 minutes after deploy v2.3.0 at 13:20.
const DROP_START = Date.parse('2026-11-23T14:00:00Z');
const DROP_HOURS = 4;

/**
 * The same week every week: purchases 20 an hour from 09:00 to 20:59 on weekdays, 30 on weekends,
 * 2 an hour at night; add_to_cart five times that. A week of purchases is therefore
 * 5 · (12 · 20 + 12 · 2) + 2 · (12 · 30 + 12 · 2) = 1320 + 768 = 2088.
 */
function usualCount(hourMs: number, event: 'purchase' | 'add_to_cart'): number {
  const date = new Date(hourMs);
  const isWeekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  const isDaytime = date.getUTCHours() >= 9 && date.getUTCHours() <= 20;
  const purchases = isDaytime ? (isWeekend ? 30 : 20) : 2;
  return event === 'purchase' ? purchases : 5 * purchases;
}

/** During the drop only 2 purchases an hour arrive instead of 20. */
function observedCount(hourMs: number, event: 'purchase' | 'add_to_cart'): number {
  const inDrop = hourMs >= DROP_START && hourMs < DROP_START + DROP_HOURS * HOUR_MS;
  return event === 'purchase' && inDrop ? 2 : usualCount(hourMs, event);
}

function chartOf(answer: Reply): ChartBlock {
  const chart = answer.blocks.find((block) => block.type === 'chart');
  if (chart?.type !== 'chart') throw new Error(`no chart in "${answer.title}"`);
  return chart;
}

const textOf = (answer: Reply) => JSON.stringify(answer);

describe(`tracking on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    const rows: [string, string, number][] = [];
    for (let hour = HISTORY_START; hour < HISTORY_END; hour += HOUR_MS) {
      for (const event of ['purchase', 'add_to_cart'] as const) rows.push([new Date(hour).toISOString(), event, observedCount(hour, event)]);
    }
    await insertBatch(test.db, 'tracking_events', ['hour', 'event_name', 'count'], ['timestamptz', 'text', 'int8'], rows);
    await test.db.query(
      `INSERT INTO changes (at, kind, ref, summary) VALUES
         ('2026-11-22T10:00:00Z', 'tag_manager', 'GTM-7', 'Consent banner'),
         ('2026-11-23T12:00:00Z', 'campaign', 'black-friday', 'Black Friday emails'),
         ('2026-11-23T13:20:00Z', 'deploy', 'v2.3.0', 'New checkout')`,
    );
    // Backend orders in the period and the channel of their last non-direct touch:
    //   email:        o1 (20 Nov), o3 (21 Nov: paid_search then email), o7 (24 Nov)   = 3
    //   paid_search:  o2 (21 Nov), o6 (23 Nov)                                           = 2
    //   direct:       o4 (22 Nov, direct touch only), o5 (22 Nov, no touch at all)      = 2
    // o0 (18 Nov) and o8 (26 Nov) fall outside the period.
    await insertOrders(test.db, [
      { id: 'o0', customer: 'c0', at: '2026-11-18T12:00:00Z', revenue: 10 },
      { id: 'o1', customer: 'c1', at: '2026-11-20T10:00:00Z', revenue: 10 },
      { id: 'o2', customer: 'c2', at: '2026-11-21T10:00:00Z', revenue: 10 },
      { id: 'o3', customer: 'c3', at: '2026-11-21T11:00:00Z', revenue: 10 },
      { id: 'o4', customer: 'c4', at: '2026-11-22T10:00:00Z', revenue: 10 },
      { id: 'o5', customer: 'c5', at: '2026-11-22T11:00:00Z', revenue: 10 },
      { id: 'o6', customer: 'c6', at: '2026-11-23T10:00:00Z', revenue: 10 },
      { id: 'o7', customer: 'c7', at: '2026-11-24T10:00:00Z', revenue: 10 },
      { id: 'o8', customer: 'c8', at: '2026-11-26T08:00:00Z', revenue: 10 },
    ]);
    await insertTouchpoints(test.db, [
      { id: 't0', customer: 'c0', at: '2026-11-18T11:00:00Z', channel: 'email', order: 'o0' },
      { id: 't1a', customer: 'c1', at: '2026-11-19T09:00:00Z', channel: 'email', order: 'o1' },
      { id: 't1b', customer: 'c1', at: '2026-11-20T09:30:00Z', channel: 'direct', order: 'o1' },
      { id: 't2', customer: 'c2', at: '2026-11-21T09:00:00Z', channel: 'paid_search', order: 'o2' },
      { id: 't3a', customer: 'c3', at: '2026-11-20T09:00:00Z', channel: 'paid_search', order: 'o3' },
      { id: 't3b', customer: 'c3', at: '2026-11-21T08:00:00Z', channel: 'email', order: 'o3' },
      { id: 't4', customer: 'c4', at: '2026-11-22T09:00:00Z', channel: 'direct', order: 'o4' },
      { id: 't6', customer: 'c6', at: '2026-11-23T09:00:00Z', channel: 'paid_search', order: 'o6' },
      { id: 't7', customer: 'c7', at: '2026-11-24T09:00:00Z', channel: 'email', order: 'o7' },
      { id: 't8', customer: 'c8', at: '2026-11-26T07:00:00Z', channel: 'email', order: 'o8' },
    ]);
    // What analytics reported, per day and channel (18 and 26 Nov are outside the period):
    //   email:       20 Nov 1 (of 1), 21 Nov none (of 1), 24 Nov 2 (of 1) -> 3 of 3, yet 1 missing on 21 Nov
    //   paid_search: 21 Nov 1 (of 1), 23 Nov none (of 1)                  -> 1 of 2, 1 missing
    //   direct:      22 Nov 1 (of 2)                                       -> 1 of 2, 1 missing
    await test.db.query(
      `INSERT INTO reported_conversions (day, channel, conversions) VALUES
         ('2026-11-18', 'email', 5), ('2026-11-20', 'email', 1), ('2026-11-24', 'email', 2),
         ('2026-11-21', 'paid_search', 1), ('2026-11-22', 'direct', 1), ('2026-11-26', 'email', 4)`,
    );
  });

  it('finds the 4-hour purchase drop and blames the deploy made 40 minutes before it', async () => {
    const answer = await ask(createTestBot(test.db, { now }), QUESTION);
    expect(answer.problem).toBeUndefined();
    // Drop: 4 hours × 2 seen = 8 against 4 × 20 usual = 80, so 1 − 8/80 = 90 % below.
    // The deploy at 13:20 is 40 min before the 14:00 start (< 60 min: "right after"); the campaign
    // at 12:00 scores 0.5 · 2^(−120/120) = 0.25 against the deploy's 2^(−40/120) = 0.79; the
    // tag-manager publish 28 h before is outside the 24 h lookback.
    // Capture: reported 3 + 1 + 1 = 5 of 7 backend orders = 71.4 %; missing 1 + 1 + 1 = 3.
    expect(answer.summary).toBe(
      'purchase events fell 90% below their usual level for 4 h from 23 Nov 2026, 14:00, right after deploy v2.3.0 (23 Nov 2026, 13:20).'
      + ' Analytics recorded 71.4% of backend orders (3 of 7 missing).',
    );
    expect(answer.title).toBe('Tracking health, 19 Nov 2026 – 25 Nov 2026');
  });

  it('lists the drop window with its start, hours, observed and expected counts and cause', async () => {
    const answer = await ask(createTestBot(test.db, { now }), QUESTION);
    const drops = tableOf(answer, 1);
    expect(drops.caption).toBe('Drops below the usual level');
    expect(drops.rows).toHaveLength(1);
    expect(drops.rows[0]!.map((cell) => cell.raw)).toEqual(['purchase', '2026-11-23T14:00:00.000Z', 4, 8, 80, 'v2.3.0']);
    expect(drops.rows[0]![5]!.text).toBe('deploy v2.3.0 (23 Nov 2026, 13:20)');
  });

  it('compares each event with its usual week: the drop costs 72 purchases, add_to_cart is on its usual level', async () => {
    const answer = await ask(createTestBot(test.db, { now }), QUESTION);
    // purchase: 2088 usual − 4 × (20 − 2) = 2016 seen; (2016 − 2088) / 2088 = −3.45 % -> "-3.4%"; 4 low hours.
    expect(rowOf(answer, 'purchase').map((cell) => cell.text)).toEqual(['purchase', '2,016', '2,088', '-3.4%', '4']);
    // add_to_cart: 5 × 2088 = 10440 both ways.
    expect(rowOf(answer, 'add_to_cart').map((cell) => cell.raw)).toEqual(['add_to_cart', 10440, 10440, 0, 0]);
  });

  it('gives the capture rate and the missing orders per channel, counting misses day by day', async () => {
    const answer = await ask(createTestBot(test.db, { now }), QUESTION);
    const capture = tableOf(answer, 2);
    expect(capture.caption).toBe('Analytics-reported vs backend orders');
    // channel, backend, reported, capture rate, missing
    expect(capture.rows.map((row) => row.map((cell) => cell.raw))).toEqual([
      ['direct', 2, 1, 0.5, 1],
      // 3 of 3 overall, but 21 Nov lost one order that 24 Nov over-reported: over-reporting does not hide a miss.
      ['email', 3, 3, 1, 1],
      ['paid_search', 2, 1, 0.5, 1],
      ['All channels', 7, 5, 5 / 7, 3],
    ]);
    expect(capture.rows[3]![3]!.text).toBe('71.4%');
  });

  it('charts the dropped event per hour inside its usual band and marks only the likely cause', async () => {
    const chart = chartOf(await ask(createTestBot(test.db, { now }), QUESTION));
    expect(chart.title).toBe('purchase per hour against its usual range');
    const labels = chart.config.data.labels as string[];
    expect(labels).toHaveLength(168);
    expect(labels[0]).toBe('19 Nov, 00');
    const datasets = chart.config.data.datasets;
    expect(datasets.map((dataset) => dataset.label)).toEqual(['purchase', 'usual range (low)', 'usual range (high)', 'deploy v2.3.0']);
    // Monday 23 Nov 14:00 is hour 4 · 24 + 14 = 110 of the period. Its median is 20 with MAD 0, so the
    // scale is max(1.4826 · 0, √20, 1) = 4.472 and the band 20 ± 3 · 4.472 = [6.584, 33.416].
    const dropHour = 4 * 24 + 14;
    expect(labels[dropHour]).toBe('23 Nov, 14');
    expect(datasets[0]!.data[dropHour]).toBe(2);
    expect(datasets[1]!.data[dropHour]).toBeCloseTo(20 - 3 * Math.sqrt(20), 9);
    expect(datasets[2]!.data[dropHour]).toBeCloseTo(20 + 3 * Math.sqrt(20), 9);
    // At night the median is 2: scale max(√2, 1) = 1.414, lower edge max(0, 2 − 4.24) = 0.
    expect(datasets[1]!.data[3]).toBe(0);
    // The marker stands in the deploy's hour, 13:00, and nowhere else.
    const marker = datasets[3]!.data as unknown[];
    expect(marker.flatMap((value, index) => (value === null ? [] : [labels[index]]))).toEqual(['23 Nov, 13']);
  });

  it('reports a healthy week without a drop sentence when the period misses the drop', async () => {
    // 12..18 Nov is a usual week; its baseline has 5 of the 6 weeks (history starts 8 Oct), more than the 3 needed.
    const answer = await ask(createTestBot(test.db, { now }), 'tracking purchase 2026-11-12..2026-11-18');
    expect(answer.problem).toBeUndefined();
    // The one backend order in 12..18 Nov is o0 (email, 18 Nov), which analytics reported 5 times: 5 / 1 = 500 %.
    expect(answer.summary).toBe('Every tracked event stayed within its usual range. Analytics recorded 500.0% of backend orders (0 of 1 missing).');
    expect(answer.blocks.filter((block) => block.type === 'table')).toHaveLength(2);
    expect(chartOf(answer).config.data.datasets).toHaveLength(3);
  });

  it('names the valid events when asked about an unknown one', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'tracking bogus_event');
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toBe('"bogus_event" is not a known event. Valid: add_to_cart, purchase.');
  });

  it('answers in Italian with Italian dates and numbers', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), QUESTION);
    expect(answer.summary).toBe(
      'Gli eventi purchase sono scesi del 90% sotto il livello abituale per 4 h dalle 23 nov 2026, 14:00, subito dopo il deploy v2.3.0 (23 nov 2026, 13:20).'
      + ' L\'analytics ha registrato il 71,4% degli ordini del backend (3 su 7 mancanti).',
    );
    expect(tableOf(answer, 2).rows[3]![0]!.text).toBe('Tutti i canali');
    expect(rowOf(answer, 'purchase')[1]!.text).toBe('2016');
  });

  it('says there were no events in a period without any, instead of zeros', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'tracking 2025-01-01..2025-01-07');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toBe('No tracking events between 1 Jan 2025 and 7 Jan 2025. Connect GA4 (GA4_PROPERTY_ID) or import events, then ask again.');
    expect(textOf(answer)).not.toMatch(/NaN|Infinity|undefined/);
  });

  // Last: it empties the tables the other tests read.
  it('says there are no events at all when nothing was ever tracked', async () => {
    await clearData(test.db);
    const answer = await ask(createTestBot(test.db, { now }), 'tracking');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toMatch(/^No tracking events between 19 Nov 2026 and 26 Nov 2026\./);
    expect(textOf(answer)).not.toMatch(/NaN|Infinity|undefined/);
  });
});
