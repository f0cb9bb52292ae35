import type { Coverage } from '../../analytics/coverage.js';
import { change } from '../../analytics/kpi.js';
import { barChart, withAxisTitles } from '../charts.js';
import type { Cell, ChartBlock, Reply, TableBlock } from '../reply.js';
import type { DigestSection, SectionContext } from './sections.js';
import { tableWith, unavailableSection } from './sections.js';

/** Channels shown one by one in the digest's channel table; the rest share one row. */
const TOP_CHANNELS = 5;

interface ChannelRevenue {
  label: string;
  revenue: number;
  roas: number | null;
}

const numberOf = (cell: Cell | undefined): number | null => (typeof cell?.raw === 'number' ? cell.raw : null);

/** The channels of an attribution answer with their credited revenue, most revenue first; empty when it has none. */
function channelRevenues(answer: Reply): ChannelRevenue[] {
  const found = answer.problem ? undefined : tableWith(answer, ['label', 'revenue']);
  if (!found) return [];
  const { table, at } = found;
  return table.rows
    .map((row) => ({ label: String(row[at('label')]?.raw ?? row[at('label')]?.text ?? ''), revenue: numberOf(row[at('revenue')]) ?? 0, roas: at('roas') >= 0 ? numberOf(row[at('roas')]) : null }))
    .sort((a, b) => b.revenue - a.revenue);
}

/**
 * Revenue by channel under the team's attribution model, most revenue first, with each channel's share
 * of the week's attributed revenue and its change on the week before (left out when the week before's
 * orders are partial). The sentence names the table's first row with the table's own figures, and the
 * chart sets each channel's revenue beside the week before's.
 */
export function channelSection(answer: Reply, previous: Reply, previousCoverage: Coverage, context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const heading = t('digest.channelsHeading');
  const channels = channelRevenues(answer);
  if (channels.length === 0) return unavailableSection(heading, answer, context);
  const before = new Map(channelRevenues(previous).map((channel) => [channel.label, channel.revenue]));
  // A week before with no orders at all has no change to show (n/a); one with part of its orders, a misleading one.
  const isComparable = previousCoverage.isComparable || previousCoverage.reason === 'no_data';
  const hasPrevious = isComparable && !previous.problem;
  const total = channels.reduce((sum, channel) => sum + channel.revenue, 0);
  const rest = channels.slice(TOP_CHANNELS);
  const shown = rest.length > 0
    ? [...channels.slice(0, TOP_CHANNELS), { label: t('digest.otherChannels', { count: rest.length }), revenue: rest.reduce((sum, channel) => sum + channel.revenue, 0), roas: null, members: rest }]
    : channels;
  const previousOf = (row: ChannelRevenue & { members?: ChannelRevenue[] }): number =>
    (row.members ?? [row]).reduce((sum, channel) => sum + (before.get(channel.label) ?? 0), 0);
  const rows = shown.map((row) => {
    const share = total > 0 ? row.revenue / total : null;
    const wow = hasPrevious ? change(row.revenue, previousOf(row)).relativeChange : null;
    return [
      { text: row.label, raw: row.label },
      { text: fmt.moneyForReading(row.revenue), raw: row.revenue },
      { text: share === null ? fmt.delta(null) : fmt.percent(share), raw: share },
      { text: isComparable ? fmt.delta(wow) : t('digest.partial'), raw: wow },
      { text: row.roas === null ? '' : `${fmt.number(row.roas, 2)}×`, raw: row.roas },
    ];
  });
  const table: TableBlock = {
    type: 'table',
    caption: answer.title,
    columns: [
      { key: 'label', label: t('digest.channel'), kind: 'text' },
      { key: 'revenue', label: t('digest.revenue'), kind: 'money' },
      { key: 'share', label: t('digest.revenueShare'), kind: 'percent' },
      { key: 'wow', label: t('digest.vsLastWeek'), kind: 'percent' },
      { key: 'roas', label: t('digest.roas'), kind: 'number' },
    ],
    rows,
  };
  const [top] = rows;
  const insight = t('digest.channelsInsight', { channel: top![0]!.text, revenue: top![1]!.text, share: top![2]!.text });
  return { heading, insight, blocks: [table], charts: [channelChart(shown, previousOf, hasPrevious, context)] };
}

function channelChart(
  shown: readonly (ChannelRevenue & { members?: ChannelRevenue[] })[],
  previousOf: (row: ChannelRevenue & { members?: ChannelRevenue[] }) => number,
  hasPrevious: boolean,
  { t, fmt }: SectionContext,
): ChartBlock {
  const round = (amount: number) => Math.round(amount * 100) / 100;
  const chart = barChart({
    t,
    title: t('digest.channelsChartTitle'),
    labels: shown.map((row) => row.label),
    series: [
      { label: t('digest.thisWeek'), values: shown.map((row) => round(row.revenue)) },
      // Without a comparable week before, its bars would mislead: the series stays, empty.
      { label: t('digest.weekBefore'), values: shown.map((row) => (hasPrevious ? round(previousOf(row)) : null)) },
    ],
  });
  return withAxisTitles(chart, { x: t('digest.axisChannel'), y: t('digest.axisMoney', { what: t('digest.revenue'), symbol: fmt.currencySymbol }) });
}
