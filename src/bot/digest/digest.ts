import type { SegmentTransition } from '../../analytics/rfm-segments.js';
import type { IncidentRecord } from '../data-port.js';
import type { Block, ChartBlock, Reply } from '../reply.js';
import { reply } from '../reply.js';
import type { DigestWeek } from './schedule.js';
import type { DigestSection, SectionContext } from './sections.js';
import { channelSection, incidentsSection, kpiSection, rfmSection, summarySection, trackingSection } from './sections.js';

/** What the digest is composed from: the bot's own answers, and the incidents of the week. */
export interface DigestSources {
  /** Asks the bot one of its commands, as the digest's channel would, e.g. "kpi 2026-11-16..2026-11-22". */
  ask(text: string): Promise<Reply>;
  /** RFM segment transitions from `start` to `end`, every cell of the matrix. */
  segmentMoves(start: Date, end: Date): Promise<SegmentTransition[]>;
  /** Incidents opened in [start, end), any status. */
  incidentsOpened(start: Date, end: Date): Promise<IncidentRecord[]>;
}

export interface DigestOptions extends SectionContext {
  week: DigestWeek;
  /** The team's attribution model (BotSettings.attributionModel), as the attribution command names it. */
  attributionModel: string;
}

/** Charts a digest carries at most; a manager's weekly read, not a dashboard. */
export const MAX_DIGEST_CHARTS = 4;

/**
 * The weekly digest as one Reply: headline KPIs with week-over-week and year-over-year changes,
 * revenue by channel, RFM movement, capture rate, Core Web Vitals, incidents and budget pacing,
 * each section opened by its insight. A command without an answer becomes a one-line note.
 */
export async function composeDigest(sources: DigestSources, options: DigestOptions): Promise<Reply> {
  const { week, t, fmt } = options;
  const range = `${week.first}..${week.last}`;
  const [kpiWeek, kpiYearAgo, channels, [rfm, moves], tracking, speed, budget, incidents] = await Promise.all([
    sources.ask(`kpi ${range}`),
    sources.ask(`kpi ${week.yearAgoFirst}..${week.yearAgoLast}`),
    sources.ask(`attribution ${options.attributionModel} ${range}`),
    // The moves after the rfm answer: both score the week's two points, which the store then keeps.
    sources.ask(`rfm ${range}`).then(async (answer) => [answer, await sources.segmentMoves(week.start, week.end)] as const),
    sources.ask(`tracking ${range}`),
    sources.ask(`speed ${range}`),
    // Pacing is judged over the month the week ends in, with spend through the week's last day.
    sources.ask(`budget ${week.monthFirst}..${week.monthLast}`),
    sources.incidentsOpened(week.start, week.end),
  ]);
  const kpis = kpiSection(kpiWeek, kpiYearAgo, options);
  const sections = [
    kpis,
    channelSection(channels, options),
    rfmSection(rfm, moves, options),
    trackingSection(tracking, options),
    summarySection(t('digest.speedHeading'), speed, options),
    incidentsSection(incidents, options),
    summarySection(t('digest.budgetHeading'), budget, options),
  ];
  const charts = pickCharts([kpis, sections[1]!, sections[6]!, sections[3]!, sections[4]!]);
  const lastDay = new Date(week.end.getTime() - 1);
  return reply({
    title: t('digest.title', { first: fmt.date(week.start), last: fmt.date(lastDay) }),
    summary: kpis.insight,
    blocks: sections.flatMap((section, index) => [
      ...(index > 0 ? [{ type: 'divider' } as const] : []),
      ...sectionBlocks(section, charts, kpis.insight),
    ]),
  });
}

/** The first chart of each section, in order of priority, up to the digest's limit. */
function pickCharts(byPriority: readonly DigestSection[]): Set<ChartBlock> {
  const picked = byPriority.map((section) => section.charts[0]).filter((chart): chart is ChartBlock => chart !== undefined);
  return new Set(picked.slice(0, MAX_DIGEST_CHARTS));
}

/** Heading and insight in one line (the heading alone when the insight already opens the digest), figures, chart. */
function sectionBlocks(section: DigestSection, charts: ReadonlySet<ChartBlock>, headline: string): Block[] {
  const opening = section.insight === headline ? section.heading : `${section.heading}: ${section.insight}`;
  return [{ type: 'text', text: opening }, ...section.blocks, ...section.charts.filter((chart) => charts.has(chart))];
}
