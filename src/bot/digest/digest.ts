import type { SegmentTransition } from '../../analytics/rfm-segments.js';
import { comparability } from '../../analytics/coverage.js';
import { withAxisTitles } from '../charts.js';
import type { IncidentRecord, TimeRange } from '../data-port.js';
import type { Block, ChartBlock, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { budgetSection } from './budget-section.js';
import { channelSection } from './channel-section.js';
import type { WeekActivity } from './kpi-section.js';
import { kpiSection } from './kpi-section.js';
import type { DigestWeek } from './schedule.js';
import type { DigestSection, SectionContext } from './sections.js';
import { healthLine, incidentsOfWeek, incidentsSection, rfmSection, summarySection, trackingSection } from './sections.js';

/** What the digest is composed from: the bot's own answers, the week's figures and the incidents. */
export interface DigestSources {
  /** Asks the bot one of its commands, as the digest's channel would, e.g. "rfm 2026-11-16..2026-11-22". */
  ask(text: string): Promise<Reply>;
  /** KPI totals and day-by-day orders and sessions of a range. */
  weekActivity(range: TimeRange): Promise<WeekActivity>;
  /** RFM segment transitions from `start` to `end`, every cell of the matrix. */
  segmentMoves(start: Date, end: Date): Promise<SegmentTransition[]>;
  /** The latest incidents, any status, enough to hold every one open in the week. */
  recentIncidents(): Promise<IncidentRecord[]>;
}

export interface DigestOptions extends SectionContext {
  week: DigestWeek;
  /** The team's attribution model (BotSettings.attributionModel), as the attribution command names it. */
  attributionModel: string;
}

/** Charts a digest carries at most; a manager's weekly read, not a dashboard. */
export const MAX_DIGEST_CHARTS = 4;

/**
 * The weekly digest as one Reply, the news a manager needs on Monday first: the incidents open during
 * the week, then the largest change among the KPIs, then revenue by channel, RFM movement, capture
 * rate, Core Web Vitals and budget pacing, and a line naming the signals nobody could watch. Each
 * section's sentence is made from the figures it shows; a command without an answer becomes a note.
 */
export async function composeDigest(sources: DigestSources, options: DigestOptions): Promise<Reply> {
  const { week, t, fmt } = options;
  const range = `${week.first}..${week.last}`;
  const [current, previous, yearAgo, channels, channelsBefore, [rfm, moves], tracking, speed, budget, incidents] = await Promise.all([
    sources.weekActivity({ start: week.start, end: week.end }),
    sources.weekActivity(week.previous),
    sources.weekActivity(week.yearAgo),
    sources.ask(`attribution ${options.attributionModel} ${range}`),
    sources.ask(`attribution ${options.attributionModel} ${week.previousFirst}..${week.previousLast}`),
    // The moves after the rfm answer: both score the week's two points, which the store then keeps.
    sources.ask(`rfm ${range}`).then(async (answer) => [answer, await sources.segmentMoves(week.start, week.end)] as const),
    sources.ask(`tracking ${range}`),
    sources.ask(`speed ${range}`),
    // Pacing is judged over the month the week ends in, with spend through the week's last day.
    sources.ask(`budget ${week.monthFirst}..${week.monthLast}`),
    sources.recentIncidents(),
  ]);
  const kpis = kpiSection({ current, previous, yearAgo }, options);
  const incidentSection = incidentsSection(incidentsOfWeek(incidents, week.start, week.end), week.end, options);
  const channelPart = channelSection(channels, channelsBefore, comparability(current.days, previous.days).orders, options);
  const trackingPart = axisTitled(trackingSection(tracking, options), { x: t('digest.axisHour'), y: t('digest.axisEventsPerHour') });
  const speedPart = axisTitled(summarySection(t('digest.speedHeading'), speed, options), { x: t('digest.axisDate'), y: t('digest.axisLcp') });
  const budgetPart = axisTitled(budgetSection(t('digest.budgetHeading'), budget, options), { x: t('digest.axisMoney', { what: t('budget.spend'), symbol: fmt.currencySymbol }) });
  const hasIncidents = incidentSection.headline !== undefined;
  const sections: DigestSection[] = [
    ...(hasIncidents ? [incidentSection] : []),
    kpis,
    channelPart,
    rfmSection(rfm, moves, options),
    trackingPart,
    speedPart,
    budgetPart,
    ...(hasIncidents ? [] : [incidentSection]),
  ];
  const charts = pickCharts([kpis, channelPart, trackingPart, budgetPart, speedPart]);
  const summary = [incidentSection.headline, kpis.largest?.sentence ?? kpis.insight].filter(Boolean).join(' ');
  const health = healthLine([...(tracking.problem === 'no_data' ? ['tracking' as const] : []), ...(speed.problem === 'no_data' ? ['speed' as const] : [])], options);
  const lastDay = new Date(week.end.getTime() - 1);
  return reply({
    title: t('digest.title', { first: fmt.date(week.start), last: fmt.date(lastDay) }),
    summary,
    blocks: [
      ...sections.flatMap((section, index) => [
        ...(index > 0 ? [{ type: 'divider' } as const] : []),
        ...sectionBlocks(section, charts, summary),
      ]),
      ...(health ? [{ type: 'divider' } as const, { type: 'text', text: health } as const] : []),
    ],
  });
}

/** A section taken from a command's answer, its charts with axes that say what they measure. */
function axisTitled(section: DigestSection, titles: { x?: string; y?: string }): DigestSection {
  return { ...section, charts: section.charts.map((chart) => withAxisTitles(chart, titles)) };
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
