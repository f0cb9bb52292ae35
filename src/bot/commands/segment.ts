import { compareSegments } from '../../analytics/segmentation.js';
import type { SegmentChange, SegmentKpiInput } from '../../analytics/segmentation.js';
import { barChart } from '../charts.js';
import type { CommandContext, ParseContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { OrderDimension, OrderSplit, SessionDimension, SessionSplit, TimeRange } from '../data-port.js';
import type { StaticMessageKey } from '../messages/index.js';
import type { PeriodPair } from '../period.js';
import { lastDays } from '../period.js';
import type { Reply, TableBlock } from '../reply.js';
import { reply } from '../reply.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Words } from '../words.js';
import { segmentName } from '../rfm-segment-names.js';
import { DAY_MS } from '../../analytics/time.js';

const DEFAULT_DAYS = 30;
/** Significant changes named in the insight sentence; the table has them all. */
const CHANGES_IN_SUMMARY = 3;

type Kpi = 'revenue' | 'orders' | 'aov' | 'conversion_rate' | 'repeat_rate';
const KPIS: readonly Kpi[] = ['revenue', 'orders', 'aov', 'conversion_rate', 'repeat_rate'];
const DIMENSIONS: readonly OrderDimension[] = ['channel', 'device', 'country', 'new_returning', 'rfm_segment'];
const KPI_WORDS: Record<string, Kpi> = {
  revenue: 'revenue', sales: 'revenue', fatturato: 'revenue', ricavi: 'revenue', vendite: 'revenue',
  orders: 'orders', order: 'orders', ordini: 'orders',
  aov: 'aov', average_order_value: 'aov', scontrino: 'aov', scontrino_medio: 'aov',
  conversion_rate: 'conversion_rate', 'conversion-rate': 'conversion_rate', conversion: 'conversion_rate', cr: 'conversion_rate', conversione: 'conversion_rate', tasso_di_conversione: 'conversion_rate',
  repeat_rate: 'repeat_rate', 'repeat-rate': 'repeat_rate', repeat: 'repeat_rate', riacquisto: 'repeat_rate', tasso_di_riacquisto: 'repeat_rate',
};
// Filler around a two-word KPI ("conversion rate", "tasso di conversione").
const KPI_FILLER = ['rate', 'tasso', 'di'];
const DIMENSION_WORDS: Record<string, OrderDimension> = {
  channel: 'channel', channels: 'channel', canale: 'channel', canali: 'channel',
  device: 'device', devices: 'device', dispositivo: 'device', dispositivi: 'device',
  country: 'country', countries: 'country', paese: 'country', paesi: 'country', nazione: 'country',
  new_returning: 'new_returning', 'new-returning': 'new_returning', 'new/returning': 'new_returning', nuovi_ricorrenti: 'new_returning',
  rfm_segment: 'rfm_segment', 'rfm-segment': 'rfm_segment', rfm: 'rfm_segment', segmento_rfm: 'rfm_segment',
};
/** Sessions carry no customer for anonymous visitors, so conversion splits only by what a session has. */
const ALLOWED_DIMENSIONS: Record<Kpi, readonly OrderDimension[]> = {
  revenue: DIMENSIONS, orders: DIMENSIONS, aov: DIMENSIONS,
  conversion_rate: ['channel', 'device', 'country'],
  // Everyone in an RFM segment (or "returning") ordered before, so their repeat rate is 100 % by definition.
  repeat_rate: ['channel', 'device', 'country'],
};
const KPI_LABELS: Record<Kpi, StaticMessageKey> = {
  revenue: 'segment.kpiRevenue', orders: 'segment.kpiOrders', aov: 'segment.kpiAov', conversion_rate: 'segment.kpiConversionRate', repeat_rate: 'segment.kpiRepeatRate',
};
const DIMENSION_LABELS: Record<OrderDimension, StaticMessageKey> = {
  channel: 'segment.dimChannel', device: 'segment.dimDevice', country: 'segment.dimCountry', new_returning: 'segment.dimNewReturning', rfm_segment: 'segment.dimRfmSegment',
};
const TEST_LABELS: Record<Kpi, StaticMessageKey> = {
  revenue: 'segment.testRevenue', orders: 'segment.testOrders', aov: 'segment.testAov', conversion_rate: 'segment.testProportion', repeat_rate: 'segment.testProportion',
};

interface SegmentArgs {
  kpi: Kpi;
  dimension: OrderDimension;
  period: PeriodPair;
}

export const segment = defineCommand<SegmentArgs>({
  name: 'segment',
  heavy: true,
  aliases: ['split', 'dividi'],
  summary: 'help.segment',
  takesAsOf: true,
  examples: ['segment revenue by channel', 'segment conversion_rate by device last 7d', 'segment aov by rfm_segment last month'],
  parse: parseSegment,
  async run(args, context) {
    const { period } = args;
    const [current, previous] = await Promise.all([splitOf(args, period.current, context), splitOf(args, period.previous, context)]);
    const keys = [...new Set([...current.keys(), ...previous.keys()])].sort();
    if (keys.length === 0) {
      const { t, fmt } = context;
      return fail({ kind: 'no_data', message: t('segment.noData', { start: fmt.date(period.current.start), end: fmt.date(new Date(period.current.end.getTime() - 1)) }) });
    }
    return ok(segmentReply(args, keys, current, previous, context));
  },
});

function parseSegment(words: Words, { now, timeZone, t }: ParseContext): Result<SegmentArgs> {
  const dimensionWord = words.takeAfter(['by', 'per']);
  const dimension = dimensionWord === undefined || dimensionWord === 'missing' ? undefined : DIMENSION_WORDS[dimensionWord];
  if (dimensionWord === undefined || dimensionWord === 'missing') return fail(words.problem(t('segment.missingDimension', { choices: DIMENSIONS.join(', ') })));
  if (!dimension) return fail(words.problem(t('parse.badChoice', { what: t('segment.what.dimension'), value: dimensionWord, choices: DIMENSIONS.join(', ') })));
  const period = words.takePeriod(now, timeZone, t);
  if (!period.ok) return period;
  const kpiWord = words.takeWord(Object.keys(KPI_WORDS));
  if (kpiWord === undefined) {
    const unknown = words.leftover().find((word) => !KPI_FILLER.includes(word));
    return fail(words.problem(unknown === undefined
      ? t('segment.missingKpi', { choices: KPIS.join(', ') })
      : t('parse.badChoice', { what: t('segment.what.kpi'), value: unknown, choices: KPIS.join(', ') })));
  }
  const kpi = KPI_WORDS[kpiWord]!;
  while (words.takeWord(KPI_FILLER) !== undefined);
  if (!ALLOWED_DIMENSIONS[kpi].includes(dimension)) {
    return fail(words.problem(t('segment.badPair', { kpi: t(KPI_LABELS[kpi]), choices: ALLOWED_DIMENSIONS[kpi].join(', ') })));
  }
  words.understood.push(`${kpi} by ${dimension}`);
  return ok({ kpi, dimension, period: period.value ?? lastDays(now, timeZone, DEFAULT_DAYS) });
}

/** What one period's split holds per segment key: the order figures and, for conversion, the sessions. */
type Split = Map<string, { orders?: OrderSplit; sessions?: SessionSplit }>;

async function splitOf({ kpi, dimension }: SegmentArgs, range: TimeRange, { data, timeZone, settings }: CommandContext): Promise<Split> {
  const split: Split = new Map();
  if (kpi === 'conversion_rate') {
    for (const row of await data.sessionsBy(range, dimension as SessionDimension)) split.set(row.key, { sessions: row });
    return split;
  }
  // Each period groups customers by the RFM segment they were in when it began (scored in the store).
  for (const row of await data.ordersBy(range, dimension, timeZone, settings.rfmSegmentMap)) split.set(row.key, { orders: row });
  return split;
}

const EMPTY_ORDERS: OrderSplit = { key: '', orders: 0, revenue: 0, revenueSquares: 0, dailyRevenueSquares: 0, customers: 0, returningCustomers: 0 };
const EMPTY_SESSIONS: SessionSplit = { key: '', sessions: 0, convertedSessions: 0 };

/** The analytics input for a KPI; revenue is compared as mean daily revenue over the period's days (zeros included). */
function kpiInput(kpi: Kpi, keys: readonly string[], current: Split, previous: Split, days: number): SegmentKpiInput {
  const orders = (split: Split, key: string) => split.get(key)?.orders ?? EMPTY_ORDERS;
  const sessions = (split: Split, key: string) => split.get(key)?.sessions ?? EMPTY_SESSIONS;
  const both = <T>(pick: (split: Split, key: string) => T) => keys.map((key) => ({ key, current: pick(current, key), previous: pick(previous, key) }));
  switch (kpi) {
    case 'revenue': return { kind: 'mean', segments: both((s, k) => ({ count: days, sum: orders(s, k).revenue, sumSquares: orders(s, k).dailyRevenueSquares })) };
    case 'orders': return { kind: 'rate', segments: both((s, k) => ({ count: orders(s, k).orders, exposure: days })) };
    case 'aov': return { kind: 'mean', segments: both((s, k) => ({ count: orders(s, k).orders, sum: orders(s, k).revenue, sumSquares: orders(s, k).revenueSquares })) };
    case 'conversion_rate': return { kind: 'proportion', segments: both((s, k) => ({ successes: sessions(s, k).convertedSessions, trials: sessions(s, k).sessions })) };
    case 'repeat_rate': return { kind: 'proportion', segments: both((s, k) => ({ successes: orders(s, k).returningCustomers, trials: orders(s, k).customers })) };
  }
}

function segmentReply(args: SegmentArgs, keys: readonly string[], current: Split, previous: Split, context: CommandContext): Reply {
  const { t, fmt } = context;
  const { kpi, dimension, period } = args;
  const days = Math.max(1, Math.ceil((period.current.end.getTime() - period.current.start.getTime()) / DAY_MS));
  const changes = compareSegments(kpiInput(kpi, keys, current, previous, days));
  // Revenue and orders were tested per day; people read them as the period's totals.
  const shown = (value: number | null) => (value === null ? null : kpi === 'orders' ? Math.round(value * days) : kpi === 'revenue' ? value * days : value);
  const text = (value: number | null) => value === null ? fmt.delta(null)
    : kpi === 'revenue' || kpi === 'aov' ? fmt.money(value) : kpi === 'orders' ? fmt.integer(value) : fmt.percent(value);
  const isShare = kpi === 'conversion_rate' || kpi === 'repeat_rate';
  const changeText = (change: SegmentChange) => (isShare ? fmt.points(change.absoluteChange) : fmt.delta(change.relativeChange));
  const name = (key: string) => segmentLabel(key, dimension, context);
  const kpiLabel = t(KPI_LABELS[kpi]);

  const significant = changes.filter((change) => change.isSignificant).sort((a, b) => (a.adjustedPValue ?? 1) - (b.adjustedPValue ?? 1));
  const summary = significant.length === 0
    ? t('segment.noneSignificant', { kpi: kpiLabel.toLowerCase(), count: changes.length })
    : t('segment.significant', {
      kpi: kpiLabel, count: significant.length,
      changes: significant.slice(0, CHANGES_IN_SUMMARY).map((change) => t('segment.change', { segment: name(change.key), delta: changeText(change), p: pComparison(change.adjustedPValue, context) })).join('; '),
    });
  const pCell = (p: number | null) => ({ text: pText(p, context), raw: p });
  const table: TableBlock = {
    type: 'table',
    columns: [
      { key: 'segment', label: t('segment.segment'), kind: 'text' },
      { key: 'current', label: t('segment.current'), kind: isShare ? 'percent' : kpi === 'orders' ? 'number' : 'money' },
      { key: 'previous', label: t('segment.previous'), kind: isShare ? 'percent' : kpi === 'orders' ? 'number' : 'money' },
      { key: 'change', label: t('segment.changeColumn'), kind: 'percent' },
      { key: 'p', label: t('segment.pValue'), kind: 'number' },
      { key: 'adjustedP', label: t('segment.adjustedP'), kind: 'number' },
      { key: 'significant', label: t('segment.isSignificant'), kind: 'text' },
    ],
    rows: changes.map((change) => [
      { text: name(change.key), raw: change.key },
      { text: text(shown(change.current)), raw: shown(change.current) },
      { text: text(shown(change.previous)), raw: shown(change.previous) },
      { text: changeText(change), raw: isShare ? change.absoluteChange : change.relativeChange },
      pCell(change.pValue),
      pCell(change.adjustedPValue),
      { text: change.isSignificant ? t('segment.yes') : t('segment.no'), raw: String(change.isSignificant) },
    ]),
  };
  const chartValue = (value: number | null) => (value === null ? null : Math.round((isShare ? value * 100 : value) * 100) / 100);
  return reply({
    title: t('segment.title', { kpi: kpiLabel, dimension: t(DIMENSION_LABELS[dimension]), period: `${fmt.date(period.current.start)} – ${fmt.date(new Date(period.current.end.getTime() - 1))}` }),
    summary,
    blocks: [
      table,
      barChart({
        t,
        title: t('segment.title', { kpi: kpiLabel, dimension: t(DIMENSION_LABELS[dimension]), period: period.current.label }),
        labels: changes.map((change) => name(change.key)),
        series: [
          { label: t('segment.previous'), values: changes.map((change) => chartValue(shown(change.previous))) },
          { label: t('segment.current'), values: changes.map((change) => chartValue(shown(change.current))) },
        ],
        horizontal: changes.length > 6,
      }),
      { type: 'text', text: t('segment.method', { test: t(TEST_LABELS[kpi]) }) },
    ],
  });
}

/** Below this a p-value reads as "< 0.001": more digits only suggest a precision the tests do not have. */
const SMALLEST_P_SHOWN = 0.001;

function pText(p: number | null, { fmt }: CommandContext): string {
  if (p === null) return fmt.delta(null);
  return p < SMALLEST_P_SHOWN ? `< ${fmt.number(SMALLEST_P_SHOWN, 3)}` : fmt.number(p, 3);
}

/** "= 0.004" or "< 0.001", to follow "adjusted p". */
function pComparison(p: number | null, context: CommandContext): string {
  const text = pText(p, context);
  return text.startsWith('<') ? text : `= ${text}`;
}

function segmentLabel(key: string, dimension: OrderDimension, context: CommandContext): string {
  const { t } = context;
  if (key === 'unknown') return t('segment.unknown');
  if (dimension === 'new_returning') return key === 'new' ? t('segment.new') : t('segment.returning');
  if (dimension === 'rfm_segment') return key === 'none' ? t('segment.noHistory') : segmentName(key, context);
  return key;
}
