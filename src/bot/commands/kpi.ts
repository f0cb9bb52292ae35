import { change, computeKpis } from '../../analytics/kpi.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { KpiTotals } from '../data-port.js';
import type { PeriodPair } from '../period.js';
import { lastDays } from '../period.js';
import { lastInstantOf } from '../period-text.js';
import type { Cell, ChartBlock, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';

const DEFAULT_DAYS = 30;
/** Below this relative change a KPI counts as level in the insight sentence. */
const LEVEL_CHANGE = 0.02;

interface KpiArgs {
  period: PeriodPair;
}

export const kpi = defineCommand<KpiArgs>({
  name: 'kpi',
  heavy: true,
  aliases: ['kpis'],
  keywords: ['revenue', 'fatturato', 'orders', 'ordini', 'aov', 'sales', 'vendite'],
  summary: 'help.kpi',
  takesAsOf: true,
  examples: ['kpi', 'kpi last 7d', 'kpi this month', 'kpi 2026-10-01..2026-10-31'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    return ok({ period: period.value ?? lastDays(now, timeZone, DEFAULT_DAYS) });
  },
  async run({ period }, context) {
    const { data, t, fmt, timeZone } = context;
    const [current, previous, daily] = await Promise.all([
      data.kpiTotals(period.current),
      data.kpiTotals(period.previous),
      data.dailyRevenue(period.current, timeZone),
    ]);
    if (current.orders === 0) {
      return fail({ kind: 'no_data', message: t('kpi.noOrders', { start: fmt.date(period.current.start), end: fmt.date(lastInstantOf(period.current)) }) });
    }
    return ok(kpiReply(period, current, previous, daily, context));
  },
});

/** Relative change against the comparison period; null when there is no base to compare with. */
const relativeChange = (current: number | null, previous: number | null) => change(current, previous).relativeChange;

function kpiReply(period: PeriodPair, currentTotals: KpiTotals, previousTotals: KpiTotals, daily: { day: string; revenue: number }[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const current = { ...computeKpis(currentTotals), sessions: currentTotals.sessions };
  const previous = { ...computeKpis(previousTotals), sessions: previousTotals.sessions };
  const revenueChange = relativeChange(current.revenue, previousTotals.orders > 0 ? previous.revenue : null);
  const ordersChange = relativeChange(current.orders, previous.orders);
  const aovChange = relativeChange(current.aov, previous.aov);

  const rows: { label: string; kind: 'money' | 'number' | 'percent'; now: number | null; before: number | null; change: string }[] = [
    { label: t('kpi.revenue'), kind: 'money', now: current.revenue, before: previous.revenue, change: fmt.delta(revenueChange) },
    { label: t('kpi.orders'), kind: 'number', now: current.orders, before: previous.orders, change: fmt.delta(ordersChange) },
    { label: t('kpi.aov'), kind: 'money', now: current.aov, before: previous.aov, change: fmt.delta(aovChange) },
    {
      label: t('kpi.conversionRate'), kind: 'percent', now: current.conversionRate, before: previous.conversionRate,
      change: fmt.points(current.conversionRate !== null && previous.conversionRate !== null ? current.conversionRate - previous.conversionRate : null),
    },
    { label: t('kpi.sessions'), kind: 'number', now: current.sessions, before: previous.sessions, change: fmt.delta(relativeChange(current.sessions, previous.sessions)) },
    { label: t('kpi.newCustomers'), kind: 'number', now: current.newCustomers, before: previous.newCustomers, change: fmt.delta(relativeChange(current.newCustomers, previous.newCustomers)) },
    { label: t('kpi.returningCustomers'), kind: 'number', now: current.returningCustomers, before: previous.returningCustomers, change: fmt.delta(relativeChange(current.returningCustomers, previous.returningCustomers)) },
  ];
  const show = (kind: 'money' | 'number' | 'percent', value: number | null): Cell => ({
    raw: value,
    text: value === null ? fmt.delta(null) : kind === 'money' ? fmt.money(value) : kind === 'percent' ? fmt.percent(value, 2) : fmt.integer(value),
  });

  const driver = Math.abs(ordersChange ?? 0) < LEVEL_CHANGE && Math.abs(aovChange ?? 0) < LEVEL_CHANGE
    ? t('kpi.driverFlat')
    : Math.abs(ordersChange ?? 0) >= Math.abs(aovChange ?? 0)
      ? t('kpi.driverOrders', { delta: fmt.delta(ordersChange) })
      : t('kpi.driverAov', { delta: fmt.delta(aovChange) });
  const summary = previousTotals.orders === 0
    ? `${t('kpi.revenue')}: ${fmt.money(current.revenue)}. ${t('kpi.noPrevious')}`
    : t('kpi.summary', { revenue: fmt.money(current.revenue), delta: fmt.delta(revenueChange), driver });

  const periodText = `${fmt.date(period.current.start)} – ${fmt.date(lastInstantOf(period.current))}`;
  return reply({
    title: t('kpi.title', { period: periodText }),
    summary,
    blocks: [
      {
        type: 'table',
        columns: [
          { key: 'metric', label: t('kpi.metric'), kind: 'text' },
          { key: 'current', label: t('kpi.current'), kind: 'number' },
          { key: 'previous', label: t('kpi.previous'), kind: 'number' },
          { key: 'change', label: t('kpi.change'), kind: 'percent' },
        ],
        rows: rows.map((row) => [{ text: row.label, raw: row.label }, show(row.kind, row.now), show(row.kind, row.before), { text: row.change, raw: row.change }]),
      },
      revenueChart(daily, context),
    ],
  });
}

function revenueChart(daily: { day: string; revenue: number }[], { t, fmt }: CommandContext): ChartBlock {
  const best = daily.reduce((top, point) => (point.revenue > top.revenue ? point : top), daily[0] ?? { day: '', revenue: 0 });
  return {
    type: 'chart',
    title: t('kpi.chartTitle'),
    alt: t('kpi.chartAlt', { days: daily.length, max: fmt.money(best.revenue), maxDay: best.day }),
    width: 800,
    height: 360,
    config: {
      type: 'line',
      data: {
        labels: daily.map((point) => point.day),
        datasets: [{ label: t('kpi.revenue'), data: daily.map((point) => Math.round(point.revenue * 100) / 100), borderColor: '#0072B2', backgroundColor: 'rgba(0,114,178,0.15)', fill: true, pointRadius: 0, tension: 0.2 }],
      },
      options: { plugins: { title: { display: true, text: t('kpi.chartTitle') }, legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    },
  };
}
