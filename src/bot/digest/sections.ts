import type { SegmentTransition } from '../../analytics/rfm-segments.js';
import { change } from '../../analytics/kpi.js';
import { median } from '../../analytics/median.js';
import type { IncidentRecord } from '../data-port.js';
import type { Formatter } from '../format.js';
import type { Translate } from '../messages/index.js';
import type { Block, Cell, ChartBlock, Reply, TableBlock } from '../reply.js';
import { isSlipping } from '../rfm-segment-names.js';
import { MINUTE_MS } from '../../analytics/time.js';

/** One part of the digest: a heading, the sentence that says what it means, its figures, its chart. */
export interface DigestSection {
  heading: string;
  insight: string;
  blocks: Block[];
  /** Candidates for the digest's charts, best first; the digest keeps a few in all. */
  charts: ChartBlock[];
}

export interface SectionContext {
  t: Translate;
  fmt: Formatter;
}

/** Channels shown in the digest's channel table; the command's own answer has them all. */
const TOP_CHANNELS = 5;

/** A section whose command had no answer: one line saying why, never a failed digest. */
export function unavailableSection(heading: string, answer: Reply, { t }: SectionContext): DigestSection {
  return { heading, insight: t('digest.unavailable', { reason: answer.summary }), blocks: [], charts: [] };
}

/** The first table that has all of these column keys, with a lookup of each key's column index. */
export function tableWith(answer: Reply, keys: readonly string[]): { table: TableBlock; at: (key: string) => number } | undefined {
  for (const block of answer.blocks) {
    if (block.type !== 'table') continue;
    const index = new Map(block.columns.map((column, at) => [column.key, at]));
    if (keys.every((key) => index.has(key))) return { table: block, at: (key) => index.get(key) ?? -1 };
  }
  return undefined;
}

const chartsOf = (answer: Reply): ChartBlock[] => answer.blocks.filter((block): block is ChartBlock => block.type === 'chart');
const numberOf = (cell: Cell | undefined): number | null => (typeof cell?.raw === 'number' ? cell.raw : null);

/**
 * Headline KPIs: this week, the change on the week before (the kpi command's own column) and on
 * the same week a year earlier, computed from the raw numbers of the two answers.
 */
export function kpiSection(week: Reply, yearAgo: Reply, context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.kpiHeading');
  const current = week.problem ? undefined : tableWith(week, ['metric', 'current', 'change']);
  if (!current) return unavailableSection(heading, week, context);
  const before = yearAgo.problem ? undefined : tableWith(yearAgo, ['metric', 'current']);
  const yearAgoValue = new Map((before?.table.rows ?? []).map((row) => [row[0]?.text ?? '', numberOf(row[before?.at('current') ?? -1])]));
  const conversionLabel = t('kpi.conversionRate');
  const rows = current.table.rows.map((row) => {
    const label = row[0]?.text ?? '';
    const value = row[current.at('current')];
    const now = numberOf(value);
    const then = yearAgoValue.get(label) ?? null;
    // A rate compares in percentage points, like the kpi command's own change column.
    const yoy = label === conversionLabel
      ? fmt.points(now !== null && then !== null ? now - then : null)
      : fmt.delta(change(now, then).relativeChange);
    const wow = row[current.at('change')]?.text ?? fmt.delta(null);
    return [{ text: label, raw: label }, value ?? { text: fmt.delta(null), raw: null }, { text: wow, raw: wow }, { text: yoy, raw: yoy }];
  });
  const revenueRow = rows[0];
  const insight = t('digest.kpiInsight', {
    revenue: revenueRow?.[1]?.text ?? fmt.delta(null),
    wow: revenueRow?.[2]?.text ?? fmt.delta(null),
    yoy: revenueRow?.[3]?.text ?? fmt.delta(null),
  });
  const table: TableBlock = {
    type: 'table',
    columns: [
      { key: 'metric', label: t('digest.metric'), kind: 'text' },
      { key: 'week', label: t('digest.thisWeek'), kind: 'number' },
      { key: 'wow', label: t('digest.vsLastWeek'), kind: 'percent' },
      { key: 'yoy', label: t('digest.vsLastYear'), kind: 'percent' },
    ],
    rows,
  };
  return { heading, insight, blocks: [table], charts: chartsOf(week) };
}

/** Revenue by channel under the team's attribution model: the top channels and the model's chart. */
export function channelSection(answer: Reply, context: SectionContext): DigestSection {
  const heading = context.t('digest.channelsHeading');
  const found = answer.problem ? undefined : tableWith(answer, ['label', 'revenue', 'share']);
  if (!found) return unavailableSection(heading, answer, context);
  const { table, at } = found;
  const keep = ['label', 'revenue', 'share', 'roas'].filter((key) => at(key) >= 0);
  const top: TableBlock = {
    type: 'table',
    columns: keep.map((key) => table.columns[at(key)]!),
    rows: table.rows.slice(0, TOP_CHANNELS).map((row) => keep.map((key) => row[at(key)] ?? { text: '', raw: null })),
    ...(table.rows.length > TOP_CHANNELS ? { totalRows: table.rows.length } : {}),
  };
  return { heading, insight: answer.summary, blocks: [top], charts: chartsOf(answer) };
}

/**
 * RFM: the command's insight, and every customer who moved into At Risk or Can't Lose Them over the
 * week (from any other segment) with the revenue they brought so far, the value at stake.
 */
export function rfmSection(answer: Reply, moves: readonly SegmentTransition[], context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.rfmHeading');
  if (answer.problem) return unavailableSection(heading, answer, context);
  const slipped = moves.filter((move) => move.to !== null && isSlipping(move.to) && move.from !== null && !isSlipping(move.from));
  const customers = slipped.reduce((sum, move) => sum + move.customers, 0);
  const revenue = slipped.reduce((sum, move) => sum + move.monetary, 0);
  return {
    heading,
    insight: answer.summary,
    blocks: [{ type: 'fields', fields: [
      { label: t('digest.rfmMoved'), value: fmt.integer(customers), raw: customers },
      { label: t('digest.rfmAtStake'), value: fmt.money(revenue), raw: revenue },
    ] }],
    charts: [],
  };
}

/** Capture rate: conversions analytics reported against the orders the backend recorded, all channels together. */
export function trackingSection(answer: Reply, context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.trackingHeading');
  const capture = answer.problem ? undefined : tableWith(answer, ['channel', 'rate', 'missing']);
  // The capture table ends with the all-channel row.
  const total = capture?.table.rows.find((row) => row[capture.at('channel')]?.text === t('tracking.total'));
  if (!capture || !total) return unavailableSection(heading, answer, context);
  const rate = total[capture.at('rate')];
  const missing = total[capture.at('missing')];
  return {
    heading,
    insight: answer.summary,
    blocks: [{ type: 'fields', fields: [
      { label: t('digest.captureRate'), value: rate?.text ?? fmt.delta(null), raw: numberOf(rate) },
      { label: t('digest.missingOrders'), value: missing?.text ?? fmt.delta(null), raw: numberOf(missing) },
    ] }],
    // The command draws a chart only when an event dropped, which is then worth showing.
    charts: chartsOf(answer),
  };
}

/** A section told by its command's own insight and chart (Core Web Vitals, budget pacing). */
export function summarySection(heading: string, answer: Reply, context: SectionContext): DigestSection {
  if (answer.problem) return unavailableSection(heading, answer, context);
  return { heading, insight: answer.summary, blocks: [], charts: chartsOf(answer) };
}

const minutesBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / MINUTE_MS;

/** Incidents opened in the week, each with how long it took to acknowledge and to resolve. */
export function incidentsSection(opened: readonly IncidentRecord[], context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.incidentsHeading');
  if (opened.length === 0) return { heading, insight: t('digest.noIncidents'), blocks: [], charts: [] };
  const toAck = opened.map((incident) => (incident.acknowledgedAt ? minutesBetween(incident.openedAt, incident.acknowledgedAt) : null));
  const toResolve = opened.map((incident) => (incident.resolvedAt ? minutesBetween(incident.openedAt, incident.resolvedAt) : null));
  const duration = (minutes: number | null): string => (minutes === null ? t('digest.notYet') : fmt.duration(minutes));
  const insight = t('digest.incidentsInsight', {
    count: opened.length,
    open: opened.filter((incident) => incident.status !== 'resolved').length,
    ack: duration(median(toAck.filter((value): value is number => value !== null))),
    resolve: duration(median(toResolve.filter((value): value is number => value !== null))),
  });
  const table: TableBlock = {
    type: 'table',
    columns: [
      { key: 'incident', label: t('digest.incident'), kind: 'text' },
      { key: 'severity', label: t('digest.severity'), kind: 'text' },
      { key: 'status', label: t('digest.status'), kind: 'text' },
      { key: 'ack', label: t('digest.timeToAck'), kind: 'number' },
      { key: 'resolve', label: t('digest.timeToResolve'), kind: 'number' },
    ],
    rows: opened.map((incident, index) => [
      { text: `#${incident.id} ${incident.title}`, raw: incident.id },
      { text: t(`incident.severity.${incident.severity}`), raw: incident.severity },
      { text: t(`incident.status.${incident.status}`), raw: incident.status },
      { text: duration(toAck[index] ?? null), raw: toAck[index] ?? null },
      { text: duration(toResolve[index] ?? null), raw: toResolve[index] ?? null },
    ]),
  };
  return { heading, insight, blocks: [table], charts: [] };
}
