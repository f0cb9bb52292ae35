import type { Comparability, Coverage } from '../../analytics/coverage.js';
import { comparability } from '../../analytics/coverage.js';
import type { Kpis } from '../../analytics/kpi.js';
import { change, computeKpis } from '../../analytics/kpi.js';
import { barChart, withAxisTitles } from '../charts.js';
import type { DailyActivity, KpiTotals } from '../data-port.js';
import type { StaticMessageKey } from '../messages/index.js';
import type { Block, Cell, TableBlock } from '../reply.js';
import type { DigestSection, SectionContext } from './sections.js';

/** One week's totals (distinct customers need the store's count) and its days (for coverage and the chart). */
export interface WeekActivity {
  totals: KpiTotals;
  days: DailyActivity[];
}

export interface KpiWeeks {
  current: WeekActivity;
  previous: WeekActivity;
  yearAgo: WeekActivity;
}

/** The largest comparable change of the week, as the KPI table shows it. */
export interface LargestChange {
  sentence: string;
}

export interface KpiSection extends DigestSection {
  largest: LargestChange | undefined;
}

type Values = Kpis & { sessions: number };
interface Metric {
  label: StaticMessageKey;
  /** Which coverage decides whether it compares: what orders measure, or what sessions measure. */
  family: keyof Comparability;
  kind: 'money' | 'integer' | 'rate';
  valueOf(values: Values): number | null;
}

const METRICS: readonly Metric[] = [
  { label: 'kpi.revenue', family: 'orders', kind: 'money', valueOf: (v) => v.revenue },
  { label: 'kpi.orders', family: 'orders', kind: 'integer', valueOf: (v) => v.orders },
  { label: 'kpi.aov', family: 'orders', kind: 'money', valueOf: (v) => v.aov },
  { label: 'kpi.conversionRate', family: 'sessions', kind: 'rate', valueOf: (v) => v.conversionRate },
  { label: 'kpi.sessions', family: 'sessions', kind: 'integer', valueOf: (v) => v.sessions },
  { label: 'kpi.newCustomers', family: 'orders', kind: 'integer', valueOf: (v) => v.newCustomers },
  { label: 'kpi.returningCustomers', family: 'orders', kind: 'integer', valueOf: (v) => v.returningCustomers },
];

const valuesOf = (week: WeekActivity): Values => ({ ...computeKpis(week.totals), sessions: week.totals.sessions });

/** A comparison: its text in the table, and its size for ranking (null when not shown as a number). */
interface Compared { cell: Cell; size: number | null }

/**
 * Headline KPIs: this week, the week before and the change on it, and the change on the same week a
 * year earlier. A change against a period whose data is partial (src/analytics/coverage.ts) is not
 * shown as a number but as "partial data", with a note saying why; the sentences read their numbers
 * from the table's own cells, so the two never disagree.
 */
export function kpiSection(weeks: KpiWeeks, context: SectionContext): KpiSection {
  const { t, fmt } = context;
  if (weeks.current.totals.orders === 0) return noOrdersSection(weeks.current, context);
  const [now, before, yearAgo] = [valuesOf(weeks.current), valuesOf(weeks.previous), valuesOf(weeks.yearAgo)];
  const onPrevious = comparability(weeks.current.days, weeks.previous.days);
  const onYearAgo = comparability(weeks.current.days, weeks.yearAgo.days);
  const show = (metric: Metric, value: number | null): Cell => ({ raw: value, text: value === null ? fmt.delta(null) : formatted(metric, value, context) });
  const compare = (metric: Metric, earlier: Values, coverage: Comparability): Compared => {
    const [current, then] = [metric.valueOf(now), metric.valueOf(earlier)];
    const verdict = coverage[metric.family];
    if (!verdict.isComparable && verdict.reason !== 'no_data') return { cell: { text: t('digest.partial'), raw: null }, size: null };
    const relative = change(current, then).relativeChange;
    // A rate compares in percentage points, like the kpi command's own change column.
    const text = metric.kind === 'rate' ? fmt.points(current !== null && then !== null ? current - then : null) : fmt.delta(relative);
    return { cell: { text, raw: relative }, size: relative === null ? null : Math.abs(relative) };
  };
  const rows = METRICS.map((metric) => ({
    metric,
    label: t(metric.label),
    now: show(metric, metric.valueOf(now)),
    before: show(metric, metric.valueOf(before)),
    wow: compare(metric, before, onPrevious),
    yoy: compare(metric, yearAgo, onYearAgo),
  }));
  const table: TableBlock = {
    type: 'table',
    columns: [
      { key: 'metric', label: t('digest.metric'), kind: 'text' },
      { key: 'week', label: t('digest.thisWeek'), kind: 'number' },
      { key: 'before', label: t('digest.weekBefore'), kind: 'number' },
      { key: 'wow', label: t('digest.vsLastWeek'), kind: 'percent' },
      { key: 'yoy', label: t('digest.vsLastYear'), kind: 'percent' },
    ],
    rows: rows.map((row) => [{ text: row.label, raw: row.label }, row.now, row.before, row.wow.cell, row.yoy.cell]),
  };
  const revenue = rows[0]!;
  const comparisons = [
    ...(revenue.wow.size !== null ? [t('digest.onWeekBefore', { change: revenue.wow.cell.text })] : []),
    ...(revenue.yoy.size !== null ? [t('digest.onYearAgo', { change: revenue.yoy.cell.text })] : []),
  ];
  const insight = t('digest.kpiInsight', { revenue: revenue.now.text, comparisons: fmt.list(comparisons) });
  // Week on week is what a Monday reader acts on; a year ago only when the week before cannot compare.
  const ranked = (key: 'wow' | 'yoy') => rows.filter((row) => row[key].size !== null).sort((a, b) => (b[key].size ?? 0) - (a[key].size ?? 0))[0];
  const byWeek = ranked('wow');
  const byYear = byWeek ? undefined : ranked('yoy');
  const largest = byWeek
    ? { sentence: t('digest.largestChange', { metric: byWeek.label, change: byWeek.wow.cell.text, now: byWeek.now.text, before: byWeek.before.text, isYearAgo: false }) }
    : byYear
      ? { sentence: t('digest.largestChange', { metric: byYear.label, change: byYear.yoy.cell.text, now: byYear.now.text, before: show(byYear.metric, byYear.metric.valueOf(yearAgo)).text, isYearAgo: true }) }
      : undefined;
  const notes = [partialNote(onPrevious, false, context), partialNote(onYearAgo, true, context)]
    .filter((text): text is string => text !== undefined)
    .map((text): Block => ({ type: 'text', text }));
  return { heading: t('digest.kpiHeading'), insight, blocks: [table, ...notes], charts: [revenueChart(weeks, context)], largest };
}

/** A week without orders has no KPIs to show, and says so as the kpi command would. */
function noOrdersSection(week: WeekActivity, { t, fmt }: SectionContext): KpiSection {
  const dayOf = (day: DailyActivity | undefined) => fmt.date(new Date(`${day?.day ?? ''}T12:00:00Z`));
  const reason = t('kpi.noOrders', { start: dayOf(week.days[0]), end: dayOf(week.days.at(-1)) });
  return { heading: t('digest.kpiHeading'), insight: t('digest.unavailable', { reason }), blocks: [], charts: [], largest: undefined };
}

function formatted(metric: Metric, value: number, { fmt }: SectionContext): string {
  switch (metric.kind) {
    case 'money': return fmt.moneyForReading(value);
    case 'rate': return fmt.percent(value, 2);
    case 'integer': return fmt.integer(value);
  }
}

/** One line per earlier period that is partial, naming the metrics left uncompared and why. */
function partialNote(coverage: Comparability, isYearAgo: boolean, context: SectionContext): string | undefined {
  const { t, fmt } = context;
  const partial = (Object.keys(coverage) as (keyof Comparability)[]).filter((family) => isPartial(coverage[family]));
  if (partial.length === 0) return undefined;
  const metrics = fmt.list(METRICS.filter((metric) => partial.includes(metric.family)).map((metric) => t(metric.label)));
  // Orders' reason first: when orders are partial, so is everything measured per order.
  const verdict = coverage[partial[0]!];
  const reason = verdict.isComparable || verdict.reason === 'no_data'
    ? ''
    : verdict.reason === 'days'
      ? t('digest.partialDays', { earlier: verdict.earlierDays, current: verdict.currentDays })
      : t('digest.partialDensity', { earlier: fmt.number(verdict.earlierPerOrder, 1), current: fmt.number(verdict.currentPerOrder, 1) });
  return t('digest.partialNote', { isYearAgo, metrics, reason });
}

const isPartial = (coverage: Coverage): boolean => !coverage.isComparable && coverage.reason !== 'no_data';

/** Revenue per day of this week beside the same weekday of the week before, in the shop's currency. */
function revenueChart(weeks: KpiWeeks, { t, fmt }: SectionContext) {
  // Days are calendar days in the bot's zone; noon UTC names the same day in any zone within ±12 h.
  const labels = weeks.current.days.map((day) => fmt.dayLabel(new Date(`${day.day}T12:00:00Z`)));
  const chart = barChart({
    t,
    title: t('digest.revenueChartTitle'),
    labels,
    series: [
      { label: t('digest.thisWeek'), values: weeks.current.days.map((day) => roundMoney(day.revenue)) },
      { label: t('digest.weekBefore'), values: labels.map((_, index) => roundMoney(weeks.previous.days[index]?.revenue ?? 0)) },
    ],
  });
  return withAxisTitles(chart, { x: t('digest.axisDay'), y: t('digest.axisMoney', { what: t('kpi.revenue'), symbol: fmt.currencySymbol }) });
}

const roundMoney = (amount: number): number => Math.round(amount * 100) / 100;
