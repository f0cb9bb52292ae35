import type { SegmentTransition } from '../../analytics/rfm-segments.js';
import type { SegmentSummary } from '../../analytics/rfm.js';
import { stackedBarChart } from '../charts.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { AsOf, RfmAggregates } from '../data-port.js';
import { lastDays } from '../period.js';
import type { Period } from '../period.js';
import type { Reply, TableBlock } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import { isSlipping, segmentName, SLIPPING_SEGMENTS, VALUABLE_SEGMENTS } from '../rfm-segment-names.js';

const DEFAULT_DAYS = 90;
const MOVES_SHOWN = 8;

interface RfmArgs {
  period: Period;
}

export const rfm = defineCommand<RfmArgs>({
  name: 'rfm',
  heavy: true,
  aliases: ['segments', 'segmenti'],
  keywords: ['champions', 'loyal', 'recency', 'recenza'],
  summary: 'help.rfm',
  takesAsOf: true,
  examples: ['rfm', 'rfm last 30d', 'rfm last month', 'rfm 2026-10-01..2026-10-31'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    // Without a period, score as of now (the kept summaries) and measure movement over the last 90 days.
    return ok({ period: period.value?.current ?? { ...lastDays(now, timeZone, DEFAULT_DAYS).current, end: now } });
  },
  async run({ period }, context) {
    const { data, t, fmt, now } = context;
    // About a past day (as-of), the end point counts only orders before it, never the kept summaries of now.
    const atEnd: AsOf = { end: period.end, isNow: context.asOfDay === undefined && period.end.getTime() >= now.getTime() };
    // Scored in the database (scoreRfm's rule): only segment sizes and the transition matrix come back.
    const aggregates = await data.rfmAggregates({
      start: { end: period.start, isNow: false },
      end: atEnd,
      segmentMap: context.settings.rfmSegmentMap,
      valuable: VALUABLE_SEGMENTS,
      slipping: SLIPPING_SEGMENTS,
      topSlid: 0,
    });
    if (customersAt(aggregates) === 0) return fail({ kind: 'no_data', message: t('rfm.noCustomers', { asOf: fmt.date(lastInstant(period.end)) }) });
    return ok(rfmReply(period, aggregates, context));
  },
});

/** Customers scored at the end: every customer lands in exactly one segment. */
function customersAt(aggregates: RfmAggregates): number {
  return aggregates.segments.reduce((sum, segment) => sum + segment.customers, 0);
}

/** Segment sizes with their labels and shares, as summarizeSegments gives them. */
function segmentSummaries(aggregates: RfmAggregates, { settings }: Pick<CommandContext, 'settings'>): SegmentSummary[] {
  const customers = customersAt(aggregates);
  const totalRevenue = aggregates.segments.reduce((sum, segment) => sum + segment.revenue, 0);
  return aggregates.segments.map((segment) => ({
    ...segment,
    label: settings.rfmSegmentMap.segments.find((mapped) => mapped.id === segment.segmentId)?.label ?? segment.segmentId,
    customerShare: customers > 0 ? segment.customers / customers : null,
    revenueShare: totalRevenue !== 0 ? segment.revenue / totalRevenue : null,
  }));
}

function rfmReply(period: Period, aggregates: RfmAggregates, context: CommandContext): Reply {
  const { t, fmt } = context;
  const segments = segmentSummaries(aggregates, context);
  const isSlide = (move: SegmentTransition) => move.from !== null && move.to !== null
    && VALUABLE_SEGMENTS.includes(move.from) && isSlipping(move.to);
  const slides = aggregates.transitions.filter(isSlide);
  const slid = { customers: slides.reduce((sum, move) => sum + move.customers, 0), monetary: slides.reduce((sum, move) => sum + move.monetary, 0) };
  const moves = aggregates.transitions.filter((move) => move.from !== move.to);
  const since = fmt.date(lastInstant(period.start));
  const slipping = t('rfm.either', { first: segmentName(SLIPPING_SEGMENTS[0], context), second: segmentName(SLIPPING_SEGMENTS[1], context) });
  const slideSentence = slid.customers > 0
    ? t('rfm.slid', { count: fmt.integer(slid.customers), since, to: slipping, value: fmt.money(slid.monetary) })
    : t('rfm.noneSlid', { since, to: slipping });
  const largest = segments.reduce((top, segment) => (segment.revenue > top.revenue ? segment : top));
  const largestSentence = t('rfm.largest', { segment: segmentName(largest.segmentId, context), customers: fmt.integer(largest.customers), share: fmt.percent(largest.revenueShare ?? 0) });

  return reply({
    title: t('rfm.title', { asOf: fmt.date(lastInstant(period.end)) }),
    summary: `${slideSentence} ${largestSentence}`,
    blocks: [
      segmentTable(segments, context),
      ...(moves.length > 0 ? [movementTable(moves.slice(0, MOVES_SHOWN), since, fmt.date(lastInstant(period.end)), context)] : []),
      segmentChart(segments.filter((segment) => segment.customers > 0), context),
      { type: 'text', text: t('rfm.method', { customers: fmt.integer(customersAt(aggregates)) }) },
    ],
  });
}

function segmentTable(segments: readonly SegmentSummary[], context: CommandContext): TableBlock {
  const { t, fmt } = context;
  const share = (value: number | null) => ({ text: value === null ? fmt.delta(null) : fmt.percent(value), raw: value });
  return {
    type: 'table',
    columns: [
      { key: 'segment', label: t('rfm.segment'), kind: 'text' },
      { key: 'customers', label: t('rfm.customers'), kind: 'number' },
      { key: 'customerShare', label: t('rfm.customerShare'), kind: 'percent' },
      { key: 'revenue', label: t('rfm.revenue'), kind: 'money' },
      { key: 'revenueShare', label: t('rfm.revenueShare'), kind: 'percent' },
    ],
    rows: segments.map((segment) => [
      { text: segmentName(segment.segmentId, context), raw: segment.segmentId },
      { text: fmt.integer(segment.customers), raw: segment.customers },
      share(segment.customerShare),
      { text: fmt.money(segment.revenue), raw: segment.revenue },
      share(segment.revenueShare),
    ]),
  };
}

function movementTable(moves: readonly SegmentTransition[], since: string, until: string, context: CommandContext): TableBlock {
  const { t, fmt } = context;
  const name = (id: string | null) => (id === null ? t('rfm.notYet') : segmentName(id, context));
  return {
    type: 'table',
    caption: t('rfm.movementCaption'),
    columns: [
      { key: 'from', label: t('rfm.from', { day: since }), kind: 'text' },
      { key: 'to', label: t('rfm.to', { day: until }), kind: 'text' },
      { key: 'customers', label: t('rfm.customers'), kind: 'number' },
      { key: 'revenue', label: t('rfm.revenue'), kind: 'money' },
    ],
    rows: moves.map((move) => [
      { text: name(move.from), raw: move.from },
      { text: name(move.to), raw: move.to },
      { text: fmt.integer(move.customers), raw: move.customers },
      { text: fmt.money(move.monetary), raw: move.monetary },
    ]),
  };
}

/** Two 100 % bars, customers and revenue, each stacked by segment. */
function segmentChart(segments: readonly SegmentSummary[], context: CommandContext) {
  const { t } = context;
  const percent = (value: number | null) => Math.round((value ?? 0) * 1000) / 10;
  return stackedBarChart({
    t,
    title: t('rfm.chartTitle'),
    labels: [t('rfm.customerShare'), t('rfm.revenueShare')],
    series: segments.map((segment) => ({ label: segmentName(segment.segmentId, context), values: [percent(segment.customerShare), percent(segment.revenueShare)] })),
  });
}

/** The last millisecond of a half-open period, for showing its last day. */
function lastInstant(end: Date): Date {
  return new Date(end.getTime() - 1);
}
