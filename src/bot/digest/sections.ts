import type { SegmentTransition } from '../../analytics/rfm-segments.js';
import { median } from '../../analytics/median.js';
import type { IncidentRecord } from '../data-port.js';
import type { Formatter } from '../format.js';
import type { Translate } from '../messages/index.js';
import type { Block, Cell, ChartBlock, Reply, TableBlock } from '../reply.js';
import { isSlipping, VALUABLE_SEGMENTS } from '../rfm-segment-names.js';
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
 * RFM: every customer who moved into At Risk or Can't Lose Them over the week (from any segment that
 * is not slipping), how many of them came from the valuable segments (the rfm answer's "slid"), and
 * the revenue they brought so far, the value at stake. The sentence says the fields' own figures.
 */
export function rfmSection(answer: Reply, moves: readonly SegmentTransition[], context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.rfmHeading');
  if (answer.problem) return unavailableSection(heading, answer, context);
  const slipped = moves.filter((move) => move.to !== null && isSlipping(move.to) && move.from !== null && !isSlipping(move.from));
  const customers = slipped.reduce((sum, move) => sum + move.customers, 0);
  const valuable = slipped.filter((move) => move.from !== null && VALUABLE_SEGMENTS.includes(move.from)).reduce((sum, move) => sum + move.customers, 0);
  const revenue = slipped.reduce((sum, move) => sum + move.monetary, 0);
  const fields = [
    { label: t('digest.rfmMoved'), value: fmt.integer(customers), raw: customers },
    { label: t('digest.rfmValuable'), value: fmt.integer(valuable), raw: valuable },
    { label: t('digest.rfmAtStake'), value: fmt.moneyForReading(revenue), raw: revenue },
  ];
  const insight = customers === 0
    ? t('digest.rfmNoneMoved')
    : t('digest.rfmInsight', { moved: fields[0]!.value, valuable: fields[1]!.value, revenue: fields[2]!.value });
  return { heading, insight, blocks: customers === 0 ? [] : [{ type: 'fields', fields }], charts: [] };
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

const SEVERITY_RANK: Record<IncidentRecord['severity'], number> = { critical: 0, major: 1, minor: 2 };

/** Incidents open at any time in [start, end): opened before its end and not resolved before its start. */
export function incidentsOfWeek(incidents: readonly IncidentRecord[], start: Date, end: Date): IncidentRecord[] {
  const isOpenAtEnd = (incident: IncidentRecord) => incident.resolvedAt === null || incident.resolvedAt >= end;
  return incidents
    .filter((incident) => incident.openedAt < end && (incident.resolvedAt === null || incident.resolvedAt >= start))
    // Still open first, the most severe first, then the oldest: what needs someone today leads.
    .sort((a, b) => Number(isOpenAtEnd(b)) - Number(isOpenAtEnd(a)) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.openedAt.getTime() - b.openedAt.getTime());
}

export interface IncidentsSection extends DigestSection {
  /** The digest's opening line when the week had incidents. */
  headline: string | undefined;
}

/**
 * Incidents open at any time in the week (`week`, from incidentsOfWeek), still open ones first,
 * each with how long it took to acknowledge and to resolve.
 */
export function incidentsSection(week: readonly IncidentRecord[], end: Date, context: SectionContext): IncidentsSection {
  const { t, fmt } = context;
  const heading = t('digest.incidentsHeading');
  if (week.length === 0) return { heading, insight: t('digest.noIncidents'), blocks: [], charts: [], headline: undefined };
  const isOpen = (incident: IncidentRecord) => incident.resolvedAt === null || incident.resolvedAt >= end;
  const open = week.filter(isOpen).length;
  const resolved = week.length - open;
  const toAck = week.map((incident) => (incident.acknowledgedAt ? minutesBetween(incident.openedAt, incident.acknowledgedAt) : null));
  const toResolve = week.map((incident) => (incident.resolvedAt && !isOpen(incident) ? minutesBetween(incident.openedAt, incident.resolvedAt) : null));
  const duration = (minutes: number | null): string => (minutes === null ? t('digest.notYet') : fmt.duration(minutes));
  const nameOf = (incident: IncidentRecord) => `#${incident.id} ${incident.title}`;
  const medianOf = (minutes: readonly (number | null)[]): string | null => {
    const known = minutes.filter((value): value is number => value !== null);
    return known.length === 0 ? null : fmt.duration(median(known) ?? 0);
  };
  const insight = t('digest.incidentsInsight', { open, resolved, ack: medianOf(toAck), resolve: medianOf(toResolve) });
  const table: TableBlock = {
    type: 'table',
    columns: [
      { key: 'incident', label: t('digest.incident'), kind: 'text' },
      { key: 'severity', label: t('digest.severity'), kind: 'text' },
      { key: 'status', label: t('digest.status'), kind: 'text' },
      { key: 'ack', label: t('digest.timeToAck'), kind: 'number' },
      { key: 'resolve', label: t('digest.timeToResolve'), kind: 'number' },
    ],
    rows: week.map((incident, index) => {
      // As the week ended: one resolved since then was still open when the week closed.
      const status = !isOpen(incident) ? 'resolved' : incident.acknowledgedAt && incident.acknowledgedAt < end ? 'acknowledged' : 'open';
      return [
        { text: nameOf(incident), raw: incident.id },
        { text: t(`incident.severity.${incident.severity}`), raw: incident.severity },
        { text: t(`incident.status.${status}`), raw: status },
        { text: duration(toAck[index] ?? null), raw: toAck[index] ?? null },
        { text: duration(toResolve[index] ?? null), raw: toResolve[index] ?? null },
      ];
    }),
  };
  const headline = t('digest.incidentsHeadline', { open, resolved, lead: fmt.list(week.filter((incident) => isOpen(incident) === open > 0).map(nameOf)) });
  return { heading, insight, blocks: [table], charts: [], headline };
}

/**
 * Which signals the monitors could not watch this week, told from the sections that had no data
 * for them; undefined when every one had data.
 */
export function healthLine(unwatched: readonly ('tracking' | 'speed')[], { t, fmt }: SectionContext): string | undefined {
  if (unwatched.length === 0) return undefined;
  const names = unwatched.map((signal) => (signal === 'tracking' ? t('digest.signalTracking') : t('digest.signalSpeed')));
  return t('digest.health', { signals: fmt.list(names) });
}
