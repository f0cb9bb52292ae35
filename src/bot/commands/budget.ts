import { attribute } from '../../analytics/attribution/attribute.js';
import type { ChannelSpend } from '../../analytics/attribution/roas.js';
import type { Pacing, PacingVerdict } from '../../analytics/budget.js';
import { paceBudget } from '../../analytics/budget.js';
import { barChart, bulletChart } from '../charts.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { BudgetSpend, DataPort } from '../data-port.js';
import type { StaticMessageKey } from '../messages/index.js';
import type { PeriodPair } from '../period.js';
import { MAX_PERIOD_DAYS, parsePeriodAt } from '../period.js';
import type { Block, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import { addDays, calendarDay, isoDay, parseIsoDay, zonedTime } from '../time-zone.js';

/** Orders look back this far for the touch that earned them, as in `attribution`. */
const LOOKBACK_DAYS = 30;
const VERDICT: Record<PacingVerdict, StaticMessageKey> = {
  not_started: 'budget.verdict.not_started', under: 'budget.verdict.under', on_pace: 'budget.verdict.on_pace',
  over: 'budget.verdict.over', cap_exceeded: 'budget.verdict.cap_exceeded',
};

interface BudgetArgs {
  period: PeriodPair;
}

interface PacedBudget {
  budget: BudgetSpend;
  pacing: Pacing;
}

export const budget = defineCommand<BudgetArgs>({
  name: 'budget',
  aliases: ['budgets', 'pacing'],
  summary: 'budget.help',
  takesAsOf: true,
  examples: ['budget', 'budget last month', 'budget 2026-10-01..2026-10-31'],
  parse(words, { now, timeZone, t, asOfDay }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    if (period.value) return ok({ period: period.value });
    // As of a day, "this month" is that day's month (now is the first instant after it).
    const thisMonth = parsePeriodAt(['this', 'month'], now, timeZone, MAX_PERIOD_DAYS, asOfDay === undefined ? undefined : now);
    if (!thisMonth.ok) throw new Error('"this month" must always parse');
    return ok({ period: thisMonth.period });
  },
  async run({ period }, context) {
    const { data, t, fmt, timeZone, now } = context;
    const lastInstant = new Date(period.current.end.getTime() - 1);
    // Ad platforms report a day once it is over, so spend counts through yesterday.
    const spendThrough = isoDay(addDays(calendarDay(now, timeZone), -1));
    const [budgets, spend] = await Promise.all([
      data.budgetsOverlapping(isoDay(calendarDay(period.current.start, timeZone)), isoDay(calendarDay(lastInstant, timeZone)), spendThrough),
      data.spendBy(period.current, 'channel', timeZone),
    ]);
    const start = fmt.date(period.current.start);
    const end = fmt.date(lastInstant);
    if (budgets.length === 0 && spend.length === 0) return fail({ kind: 'no_data', message: t('budget.noData', { start, end }) });
    if (budgets.length === 0) return ok(spendOnlyReply(period, spend, context));
    const revenue = await revenueByBudget(budgets, spendThrough, data, timeZone);
    const paced = budgets.map((line, index) => ({
      budget: line,
      pacing: paceBudget({ ...line, ...(revenue[index] === undefined ? {} : { revenueToDate: revenue[index] }) }, { spendThrough }),
    }));
    return ok(pacingReply(period, paced, spend, context));
  },
});

/**
 * Revenue per budget line: orders from the budget's start through the last day with spend, credited by
 * last non-direct click. Budgets sharing a window share one query.
 */
async function revenueByBudget(budgets: readonly BudgetSpend[], spendThrough: string, data: DataPort, timeZone: string): Promise<(number | undefined)[]> {
  const windows = new Map<string, Promise<Map<string, number>>>();
  return Promise.all(budgets.map(async (line) => {
    const lastDay = line.periodEnd < spendThrough ? line.periodEnd : spendThrough;
    const first = parseIsoDay(line.periodStart);
    const last = parseIsoDay(lastDay);
    if (!first || !last || lastDay < line.periodStart) return undefined;
    const key = `${line.periodStart}..${lastDay}`;
    let credited = windows.get(key);
    if (!credited) {
      const range = { start: zonedTime(first, timeZone), end: zonedTime(addDays(last, 1), timeZone) };
      credited = data.journeys({ range, lookbackDays: LOOKBACK_DAYS, dimension: 'channel', withNonConverting: false })
        .then((journeys) => new Map(attribute('last_non_direct', journeys.paths).map((credit) => [credit.channel, credit.revenue])));
      windows.set(key, credited);
    }
    return (await credited).get(line.channel) ?? 0;
  }));
}

function pacingReply(period: PeriodPair, paced: readonly PacedBudget[], spend: readonly ChannelSpend[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const noValue = fmt.delta(null);
  const overpacing = paced
    .filter(({ pacing }) => (pacing.verdict === 'over' || pacing.verdict === 'cap_exceeded') && pacing.paceRatio !== null)
    .sort((a, b) => (b.pacing.paceRatio ?? 0) - (a.pacing.paceRatio ?? 0));
  const worst = overpacing[0];
  const sum = (pick: (entry: PacedBudget) => number) => paced.reduce((total, entry) => total + pick(entry), 0);
  const summary = worst
    ? t('budget.overpacing', {
      channel: worst.budget.channel, spent: fmt.money(worst.budget.spendToDate), expected: fmt.money(worst.pacing.expectedSpendToDate),
      pace: fmt.percent(worst.pacing.paceRatio ?? 0, 0), projected: fmt.money(worst.pacing.projectedSpend ?? worst.budget.spendToDate),
      cap: fmt.money(worst.budget.cap), over: fmt.money((worst.pacing.projectedSpend ?? worst.budget.spendToDate) - worst.budget.cap),
    })
    : t('budget.onTrack', {
      spent: fmt.money(sum((e) => e.budget.spendToDate)), cap: fmt.money(sum((e) => e.budget.cap)),
      projected: fmt.money(sum((e) => e.pacing.projectedSpend ?? e.budget.spendToDate)),
    });
  // A channel with two budgets in the period (two months) needs its dates to tell the bars apart.
  const labelOf = ({ budget: line }: PacedBudget) => (paced.filter((e) => e.budget.channel === line.channel).length > 1
    ? `${line.channel} ${line.periodStart}` : line.channel);
  const capped = new Set(paced.map((entry) => entry.budget.channel));
  const uncapped = spend.filter((row) => !capped.has(row.channel));
  const blocks: Block[] = [
    {
      type: 'table',
      caption: t('budget.roasNote'),
      columns: [
        { key: 'channel', label: t('budget.channel'), kind: 'text' },
        { key: 'period', label: t('budget.period'), kind: 'text' },
        { key: 'cap', label: t('budget.cap'), kind: 'money' },
        { key: 'spent', label: t('budget.spent'), kind: 'money' },
        { key: 'expected', label: t('budget.expected'), kind: 'money' },
        { key: 'projected', label: t('budget.projected'), kind: 'money' },
        { key: 'pace', label: t('budget.pace'), kind: 'text' },
        { key: 'roas', label: t('budget.roas'), kind: 'number' },
      ],
      rows: paced.map(({ budget: line, pacing }) => [
        { text: line.channel, raw: line.channel },
        { text: `${dayText(line.periodStart, context)} – ${dayText(line.periodEnd, context)}`, raw: `${line.periodStart}..${line.periodEnd}` },
        { text: fmt.money(line.cap), raw: line.cap },
        { text: fmt.money(line.spendToDate), raw: line.spendToDate },
        { text: fmt.money(pacing.expectedSpendToDate), raw: pacing.expectedSpendToDate },
        { text: pacing.projectedSpend === null ? noValue : fmt.money(pacing.projectedSpend), raw: pacing.projectedSpend },
        { text: pacing.paceRatio === null ? t(VERDICT[pacing.verdict]) : `${t(VERDICT[pacing.verdict])} (${fmt.percent(pacing.paceRatio, 0)})`, raw: pacing.verdict },
        { text: pacing.roas === null ? noValue : `${fmt.number(pacing.roas, 2)}×`, raw: pacing.roas },
      ]),
    },
    bulletChart({
      t,
      title: t('budget.chartTitle'),
      rows: paced.map((entry) => ({ label: labelOf(entry), actual: entry.budget.spendToDate, expected: entry.pacing.expectedSpendToDate, cap: entry.budget.cap })),
      legend: { actual: t('budget.legendSpent'), expected: t('budget.legendExpected'), cap: t('budget.legendCap') },
    }),
  ];
  if (uncapped.length > 0) {
    blocks.push({ type: 'text', text: t('budget.uncapped', { channels: fmt.list(uncapped.map((row) => `${row.channel} (${fmt.money(row.spend)})`)) }) });
  }
  return reply({ title: t('budget.title', { period: period.current.label }), summary, blocks });
}

function spendOnlyReply(period: PeriodPair, spend: readonly ChannelSpend[], { t, fmt }: CommandContext): Reply {
  const total = spend.reduce((sum, row) => sum + row.spend, 0);
  return reply({
    title: t('budget.spendTitle', { period: period.current.label }),
    summary: t('budget.noCaps', { spent: fmt.money(total), start: fmt.date(period.current.start), end: fmt.date(new Date(period.current.end.getTime() - 1)) }),
    blocks: [
      {
        type: 'table',
        columns: [{ key: 'channel', label: t('budget.channel'), kind: 'text' }, { key: 'spend', label: t('budget.spend'), kind: 'money' }],
        rows: spend.map((row) => [{ text: row.channel, raw: row.channel }, { text: fmt.money(row.spend), raw: row.spend }]),
      },
      barChart({ t, title: t('budget.spendChartTitle'), labels: spend.map((row) => row.channel), series: [{ label: t('budget.spend'), values: spend.map((row) => row.spend) }] }),
    ],
  });
}

function dayText(day: string, { fmt, timeZone }: CommandContext): string {
  const parsed = parseIsoDay(day);
  return parsed ? fmt.date(zonedTime(parsed, timeZone)) : day;
}
