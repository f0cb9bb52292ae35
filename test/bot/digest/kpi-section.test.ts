import { describe, expect, it } from 'vitest';
import type { DailyActivity, KpiTotals } from '../../../src/bot/data-port.js';
import type { KpiWeeks, WeekActivity } from '../../../src/bot/digest/kpi-section.js';
import { kpiSection } from '../../../src/bot/digest/kpi-section.js';
import { createFormatter } from '../../../src/bot/format.js';
import { translator } from '../../../src/bot/messages/index.js';
import type { TableBlock } from '../../../src/bot/reply.js';

const en = { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') };

function weekOf(firstDay: number, days: { orders: number; revenue: number; sessions: number }[], customers: Pick<KpiTotals, 'newCustomers' | 'returningCustomers'>): WeekActivity {
  const daily: DailyActivity[] = days.map((day, index) => ({ day: `2026-11-${String(firstDay + index).padStart(2, '0')}`, ...day }));
  const sum = (key: 'orders' | 'revenue' | 'sessions') => daily.reduce((total, day) => total + day[key], 0);
  return {
    totals: { revenue: sum('revenue'), orders: sum('orders'), sessions: sum('sessions'), customers: customers.newCustomers + customers.returningCustomers, ...customers },
    days: daily,
  };
}
const sevenDays = (day: { orders: number; revenue: number; sessions: number }) => Array.from({ length: 7 }, () => day);

// This week: 7 orders of €100, 210 sessions (30 per order), conversion 7 / 210 = 3.33 %.
const current = weekOf(23, sevenDays({ orders: 1, revenue: 100, sessions: 30 }), { newCustomers: 3, returningCustomers: 4 });
// The week before: 5 orders of €100 on five days, 250 sessions every day (50 per order), conversion 2.00 %.
const previous = weekOf(16, [
  ...Array.from({ length: 5 }, () => ({ orders: 1, revenue: 100, sessions: 40 })),
  { orders: 0, revenue: 0, sessions: 25 }, { orders: 0, revenue: 0, sessions: 25 },
], { newCustomers: 2, returningCustomers: 3 });
// A year ago: 7 orders of €50 but only 14 sessions recorded (2 per order, under 30 / 3): sessions partial.
const yearAgo = weekOf(1, sevenDays({ orders: 1, revenue: 50, sessions: 2 }), { newCustomers: 7, returningCustomers: 0 });
const weeks: KpiWeeks = { current, previous, yearAgo };

const tableOf = (blocks: readonly { type: string }[]) => blocks.find((block): block is TableBlock => block.type === 'table')!;
const rowOf = (table: TableBlock, metric: string) => table.rows.find((row) => row[0]?.text === metric)!.map((cell) => cell.text);

describe('the digest\'s KPI section', () => {
  const section = kpiSection(weeks, en);
  const table = tableOf(section.blocks);

  it('shows this week, the week before and both changes, money rounded for reading', () => {
    // 700 / 500 = +40 %, 700 / 350 = +100 %; AOV 100 / 100 = 0 %, 100 / 50 = +100 %
    expect(rowOf(table, 'Revenue')).toEqual(['Revenue', '€700', '€500', '+40.0%', '+100.0%']);
    expect(rowOf(table, 'Average order value')).toEqual(['Average order value', '€100', '€100', '0.0%', '+100.0%']);
    // 3 new customers against 2 (+50 %) and 7 (−57.1 %); 4 returning against 3 (+33.3 %) and none (no base)
    expect(rowOf(table, 'New customers')).toEqual(['New customers', '3', '2', '+50.0%', '-57.1%']);
    expect(rowOf(table, 'Returning customers')).toEqual(['Returning customers', '4', '3', '+33.3%', 'n/a']);
  });

  it('marks the year-ago sessions and conversion rate as partial data instead of "+1,400.0%", and says why', () => {
    expect(rowOf(table, 'Sessions')).toEqual(['Sessions', '210', '250', '-16.0%', 'partial data']);
    // 3.33 % − 2.00 % = +1.3 pp on the week before
    expect(rowOf(table, 'Conversion rate')).toEqual(['Conversion rate', '3.33%', '2.00%', '+1.3 pp', 'partial data']);
    expect(section.blocks).toContainEqual({
      type: 'text',
      text: 'Conversion rate and Sessions: not compared with the same week last year, whose data is partial (2.0 sessions per order against 30.0 this week).',
    });
  });

  it('says in its sentences the numbers its table shows', () => {
    expect(section.insight).toBe('Revenue was €700: +40.0% on the week before and +100.0% on the same week last year.');
    const [, now, before, change] = rowOf(table, 'Conversion rate');
    // The conversion rate moved most: +66.7 % relative (3.33 / 2.00), shown in points as in the table.
    expect(section.largest?.sentence).toBe(`Largest change: Conversion rate ${change} on the week before (${now} against ${before}).`);
  });

  it('leaves out the week before when its orders stop mid-week, and takes the largest change from a year ago', () => {
    // 10 orders a day on three days, then none: ten a day makes the empty days missing data, not chance.
    const busy = weekOf(23, sevenDays({ orders: 10, revenue: 1000, sessions: 300 }), { newCustomers: 30, returningCustomers: 40 });
    const cutShort = weekOf(16, [
      ...Array.from({ length: 3 }, () => ({ orders: 10, revenue: 1000, sessions: 300 })),
      ...Array.from({ length: 4 }, () => ({ orders: 0, revenue: 0, sessions: 0 })),
    ], { newCustomers: 10, returningCustomers: 20 });
    const lastYear = weekOf(1, sevenDays({ orders: 8, revenue: 800, sessions: 240 }), { newCustomers: 28, returningCustomers: 28 });
    const partial = kpiSection({ current: busy, previous: cutShort, yearAgo: lastYear }, en);
    const rows = tableOf(partial.blocks);
    expect(rowOf(rows, 'Revenue')).toEqual(['Revenue', '€7,000', '€3,000', 'partial data', '+25.0%']);
    expect(partial.insight).toBe('Revenue was €7,000: +25.0% on the same week last year.');
    // 40 returning against 28: +42.9 %, the largest of the year-ago changes (revenue and orders +25 %, new +7.1 %)
    expect(partial.largest?.sentence).toBe('Largest change: Returning customers +42.9% on the same week last year (40 against 28).');
    expect(partial.blocks).toContainEqual({
      type: 'text',
      text: 'Revenue, Orders, Average order value, Conversion rate, Sessions, New customers and Returning customers: not compared with the week before, whose data is partial (data on 3 days against 7 this week).',
    });
  });

  it('charts revenue per day beside the week before, with the currency on the value axis', () => {
    const [chart] = section.charts;
    expect(chart?.config.data.datasets.map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['This week', [100, 100, 100, 100, 100, 100, 100]],
      ['Week before', [100, 100, 100, 100, 100, 0, 0]],
    ]);
    expect(chart?.config.data.labels).toEqual(['23 Nov', '24 Nov', '25 Nov', '26 Nov', '27 Nov', '28 Nov', '29 Nov']);
    const scales = chart?.config.options?.scales as Record<string, { title?: { display: boolean; text: string } }>;
    expect(scales.y?.title).toEqual({ display: true, text: 'Revenue (€)' });
    expect(scales.x?.title).toEqual({ display: true, text: 'Day of this week' });
  });

  it('says it all in Italian, currency after the amount', () => {
    const it = kpiSection(weeks, { t: translator('it'), fmt: createFormatter('it', 'EUR', 'UTC') });
    expect(it.insight).toBe('Il fatturato è stato 700\u00a0€: +40,0% rispetto alla settimana prima e +100,0% rispetto alla stessa settimana dell\'anno scorso.');
    expect(rowOf(tableOf(it.blocks), 'Sessioni')).toEqual(['Sessioni', '210', '250', '-16,0%', 'dati parziali']);
    const scales = it.charts[0]?.config.options?.scales as Record<string, { title?: { text: string } }>;
    expect(scales.y?.title?.text).toBe('Fatturato (€)');
  });
});
