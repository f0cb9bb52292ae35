import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Translate } from './messages/index.js';
import type { ChartBlock } from './reply.js';

/**
 * Chart builders for commands: labels arrive formatted by the caller, values raw. Each returns a
 * ChartBlock whose config is plain JSON (no callbacks), so it can be hashed, cached and stored, and
 * whose alt text comes from the message catalog in the reply's language (`t`).
 */

// Okabe & Ito, "Color Universal Design" (2008), with grey for black as in the R Graphics Cookbook:
// distinguishable under the common colour-vision deficiencies.
const OKABE_ITO = {
  grey: '#999999', orange: '#E69F00', skyBlue: '#56B4E9', bluishGreen: '#009E73',
  yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', reddishPurple: '#CC79A7',
} as const;

export type ChartChannel =
  | 'organic_search' | 'paid_search' | 'paid_social' | 'email' | 'direct' | 'referral' | 'affiliate' | 'display';

/** One colour per channel, the same in every chart, so "email" is orange everywhere. */
export const CHANNEL_COLORS: Readonly<Record<ChartChannel, string>> = {
  organic_search: OKABE_ITO.bluishGreen, paid_search: OKABE_ITO.blue, paid_social: OKABE_ITO.reddishPurple,
  email: OKABE_ITO.orange, direct: OKABE_ITO.grey, referral: OKABE_ITO.skyBlue,
  affiliate: OKABE_ITO.vermillion, display: OKABE_ITO.yellow,
};

// Yellow last: it is the hardest to see as a thin line on white.
const SERIES_COLORS = [
  OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.bluishGreen, OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple, OKABE_ITO.skyBlue, OKABE_ITO.grey, OKABE_ITO.yellow,
] as const;
const BAND_FILL = 'rgba(153, 153, 153, 0.25)';
const BAND_EDGE = 'rgba(153, 153, 153, 0.6)';
const MARKER_COLOR = '#333333';
const TITLE_COLOR = '#222222';
const DEFAULT_SIZE = { width: 800, height: 400 };
// Beyond this many points, dots would merge into a blur; the line alone reads better.
const MAX_POINTS_WITH_DOTS = 30;
const MAX_LABELS_IN_ALT = 8;

export interface ChartSeries { label: string; values: readonly (number | null)[]; channel?: ChartChannel }
interface ChartFrame { title: string; t: Translate; width?: number; height?: number }
export interface BarChartInput extends ChartFrame { labels: readonly string[]; series: readonly ChartSeries[]; horizontal?: boolean }
export interface BaselineBand { lowerLabel: string; upperLabel: string; lower: readonly number[]; upper: readonly number[] }
/** An event drawn as a vertical line at one of the chart's labels (e.g. a deploy). */
export interface EventMarker { at: string; label: string }
export interface LineChartInput extends ChartFrame {
  labels: readonly string[];
  series: readonly ChartSeries[];
  band?: BaselineBand;
  /** Markers whose `at` is not among the labels fall outside the period and are left out. */
  markers?: readonly EventMarker[];
}
export interface BulletRow { label: string; actual: number; expected: number; cap: number }
export interface BulletChartInput extends ChartFrame {
  rows: readonly BulletRow[];
  /** Legend names, e.g. { actual: 'Spent', expected: 'Expected by today', cap: 'Budget' }. */
  legend: { actual: string; expected: string; cap: string };
}

/** Grouped bars, one colour per series; `horizontal` suits long category names. */
export function barChart(input: BarChartInput): ChartBlock {
  const { t } = input;
  const alt = t(input.horizontal ? 'chart.horizontalBar' : 'chart.bar', {
    title: input.title, series: listOf(input.series.map((s) => s.label)), categories: describeLabels(input.labels, t),
    highest: input.series.map((s) => t('chart.highest', { series: s.label, label: input.labels[indexOfMax(s.values)] ?? t('chart.none') })).join(' '),
  });
  return chartBlock(input, alt, barConfig(input, false));
}

/** Bars stacked per category, e.g. revenue per channel stacked by device. */
export function stackedBarChart(input: BarChartInput): ChartBlock {
  const totals = input.labels.map((_, i) => input.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const { t } = input;
  const alt = t('chart.stackedBar', {
    title: input.title, series: listOf(input.series.map((s) => s.label)), categories: describeLabels(input.labels, t),
    largest: input.labels[indexOfMax(totals)] ?? t('chart.none'),
  });
  return chartBlock(input, alt, barConfig(input, true));
}

/**
 * Lines over time. The baseline band is two line datasets, the upper one filled down to the lower
 * (`fill: '-1'`). Event markers are floating bar datasets (`[low, high]` at the marker's label, 2 px
 * wide) spanning the plotted values: chart.js draws them without the annotation plugin.
 */
export function lineChart(input: LineChartInput): ChartBlock {
  const { labels, series, band } = input;
  series.forEach((s) => assertLength(s.values, labels, s.label));
  const markers = (input.markers ?? []).filter((marker) => labels.includes(marker.at));
  const hasDots = labels.length <= MAX_POINTS_WITH_DOTS;
  const lines: ChartDataset[] = series.map((s, i) => ({
    type: 'line', label: s.label, data: [...s.values], borderColor: colorOf(s, i), backgroundColor: colorOf(s, i),
    borderWidth: 2, pointRadius: hasDots ? 2 : 0, fill: false,
  }));
  const bandSets: ChartDataset[] = band ? bandDatasets(band, labels) : [];
  const plotted = [...series.flatMap((s) => s.values), ...(band ? [...band.lower, ...band.upper] : [])];
  const markerSets = markers.map((marker) => markerDataset(marker, labels, valueRange(plotted)));
  const config: ChartConfiguration = {
    type: 'line',
    // Series first so they draw on top of the band; the band pair stays adjacent for fill: '-1'.
    data: { labels: [...labels], datasets: [...lines, ...bandSets, ...markerSets] },
    options: { plugins: titled(input.title), scales: { y: { beginAtZero: false } } },
  };
  const { t } = input;
  const described = { title: input.title, series: listOf(series.map((s) => s.label)), points: labels.length };
  const alt = [
    labels.length > 0 ? t('chart.lineFromTo', { ...described, from: labels[0]!, to: labels[labels.length - 1]! }) : t('chart.line', described),
    band ? t('chart.band', { lower: band.lowerLabel, upper: band.upperLabel, outside: pointsOutside(series[0], band, t) }) : '',
    markers.length > 0 ? t('chart.marked', { markers: listOf(markers.map((m) => t('chart.markerAt', { label: m.label, at: m.at }))) }) : '',
  ].filter(Boolean).join(' ');
  return chartBlock(input, alt, config);
}

/**
 * Budget pacing as horizontal bullet bars: a wide light bar for the cap, a medium bar for the spend
 * expected by now, a thin bar for the actual spend (vermillion once over the cap). Overlaid, not grouped.
 */
export function bulletChart(input: BulletChartInput): ChartBlock {
  const { rows, legend } = input;
  const overlaid = (label: string, data: number[], color: string | string[], barPercentage: number): ChartDataset<'bar'> =>
    ({ label, data, backgroundColor: color, barPercentage, categoryPercentage: 0.9, grouped: false });
  const actualColors = rows.map((row) => (row.actual > row.cap ? OKABE_ITO.vermillion : OKABE_ITO.blue));
  const config: ChartConfiguration = {
    type: 'bar',
    // Chart.js draws the last dataset first, so the cap sits behind and the actual bar on top.
    data: {
      labels: rows.map((row) => row.label),
      datasets: [
        overlaid(legend.actual, rows.map((row) => row.actual), actualColors, 0.3),
        overlaid(legend.expected, rows.map((row) => row.expected), OKABE_ITO.grey, 0.6),
        overlaid(legend.cap, rows.map((row) => row.cap), '#DDDDDD', 0.9),
      ],
    },
    options: { indexAxis: 'y', plugins: titled(input.title), scales: { x: { beginAtZero: true } } },
  };
  const over = rows.filter((row) => row.actual > row.cap).map((row) => row.label);
  const ahead = rows.filter((row) => row.actual > row.expected && row.actual <= row.cap).map((row) => row.label);
  const { t } = input;
  const alt = t('chart.bullet', {
    title: input.title, ...legend, categories: describeLabels(rows.map((row) => row.label), t),
    over: listOf(over) || t('chart.none'), ahead: listOf(ahead) || t('chart.none'),
  });
  return chartBlock(input, alt, config);
}

function barConfig(input: BarChartInput, isStacked: boolean): ChartConfiguration {
  input.series.forEach((s) => assertLength(s.values, input.labels, s.label));
  return {
    type: 'bar',
    data: {
      labels: [...input.labels],
      datasets: input.series.map((s, i) => ({ label: s.label, data: [...s.values], backgroundColor: colorOf(s, i) })),
    },
    options: {
      indexAxis: input.horizontal ? 'y' : 'x',
      plugins: titled(input.title),
      scales: isStacked ? { x: { stacked: true }, y: { stacked: true } } : {},
    },
  };
}

function bandDatasets(band: BaselineBand, labels: readonly string[]): ChartDataset[] {
  assertLength(band.lower, labels, band.lowerLabel);
  assertLength(band.upper, labels, band.upperLabel);
  const edge = { type: 'line', borderColor: BAND_EDGE, backgroundColor: BAND_FILL, borderWidth: 1, pointRadius: 0 } as const;
  return [
    { ...edge, label: band.lowerLabel, data: [...band.lower], fill: false },
    { ...edge, label: band.upperLabel, data: [...band.upper], fill: '-1' },
  ];
}

function markerDataset(marker: EventMarker, labels: readonly string[], [low, high]: [number, number]): ChartDataset {
  return {
    type: 'bar', label: marker.label, backgroundColor: MARKER_COLOR, barThickness: 2, grouped: false,
    data: labels.map((label) => (label === marker.at ? [low, high] : null)),
  } as ChartDataset;
}

function valueRange(values: readonly (number | null)[]): [number, number] {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return [0, 1];
  // A loop, not Math.min(...present): spreading a long series (hours over months) overflows the stack.
  let low = Infinity;
  let high = -Infinity;
  for (const value of present) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

function pointsOutside(series: ChartSeries | undefined, band: BaselineBand, t: Translate): string {
  if (!series) return t('chart.noSeries');
  const outside = series.values.filter((v, i) => v !== null && (v < (band.lower[i] ?? v) || v > (band.upper[i] ?? v)));
  return t('chart.pointsOutside', { count: outside.length, total: series.values.length, series: series.label });
}

function indexOfMax(values: readonly (number | null)[]): number {
  let best = -1;
  values.forEach((v, i) => { if (v !== null && (best < 0 || v > (values[best] ?? -Infinity))) best = i; });
  return best;
}

function describeLabels(labels: readonly string[], t: Translate): string {
  if (labels.length <= MAX_LABELS_IN_ALT) return t('chart.categories', { count: labels.length, list: listOf(labels) });
  return t('chart.categoriesMore', { count: labels.length, list: listOf(labels.slice(0, MAX_LABELS_IN_ALT)), more: labels.length - MAX_LABELS_IN_ALT });
}

function listOf(items: readonly string[]): string {
  return items.join(', ');
}

function colorOf(series: ChartSeries, index: number): string {
  return series.channel ? CHANNEL_COLORS[series.channel] : SERIES_COLORS[index % SERIES_COLORS.length] ?? OKABE_ITO.grey;
}

function titled(title: string) {
  return { title: { display: true, text: title, color: TITLE_COLOR, font: { size: 16 } } } as const;
}

function assertLength(values: readonly unknown[], labels: readonly string[], name: string): void {
  if (values.length !== labels.length) throw new RangeError(`${name}: ${values.length} values for ${labels.length} labels`);
}

function chartBlock(frame: ChartFrame, alt: string, config: ChartConfiguration): ChartBlock {
  return { type: 'chart', title: frame.title, alt, config, width: frame.width ?? DEFAULT_SIZE.width, height: frame.height ?? DEFAULT_SIZE.height };
}

/** What each axis measures, with its unit, e.g. { x: 'Day', y: 'Revenue (€)' }. */
export interface AxisTitles { x?: string; y?: string }

/**
 * The chart with titled axes, its other scale options kept: a number on an axis means little
 * without its unit. Returns a new block; the one given is left as it was (answers may be cached).
 */
export function withAxisTitles(chart: ChartBlock, titles: AxisTitles): ChartBlock {
  const options = chart.config.options ?? {};
  const scales: Record<string, object> = { ...(options.scales as Record<string, object> | undefined) };
  for (const axis of ['x', 'y'] as const) {
    const text = titles[axis];
    if (text !== undefined) scales[axis] = { ...scales[axis], title: { display: true, text } };
  }
  return { ...chart, config: { ...chart.config, options: { ...options, scales } } as ChartConfiguration };
}
