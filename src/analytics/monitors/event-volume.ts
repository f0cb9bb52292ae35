import { robustBaseline } from '../baseline.js';
import { median } from '../median.js';
import { HOUR_MS, WEEK_MS } from '../time.js';
import type { Evaluation, Finding, Level } from './evaluation.js';

// How far back the start of a drop is looked for.
const START_SCAN_HOURS = 24;

/** The event-volume monitor's thresholds (defaults and overrides: src/jobs/monitors/settings.ts). */
export interface EventVolumeSettings {
  names: readonly string[];
  /** The usual window: a drop's start is dated against it, and the chart shows a day of hours. */
  windowHours: number;
  /**
   * The longest window summed when the short ones hold too few events to judge: a small shop's
   * add_to_cart is watched over a day rather than not at all.
   */
  maxWindowHours: number;
  baselineWeeks: number;
  /** Robust z at or below which the window is low, and the share below the median it must also reach. */
  enterZ: number;
  enterPercentBelow: number;
  exitPercentBelow: number;
  /** Minimum-volume guard: a window whose baseline median is below this is never judged. */
  minExpected: number;
  /** Expected count above which a window with no events at all is "gone silent" (critical). */
  silentMinExpected: number;
}

/** Hourly counts of one event, hours without a row counting as zero up to `endMs`. */
export interface EventHours {
  event: string;
  counts: ReadonlyMap<number, number>;
}

// Windows tried, shortest first: an hour catches a busy event's outage as soon as the hour is in,
// longer ones pool a quiet event's hours until there are enough to judge.
const WINDOWS_HOURS = [1, 2, 3, 6, 12, 24, 48];

function sumOver(counts: ReadonlyMap<number, number>, endMs: number, hours: number): number {
  let total = 0;
  for (let hourMs = endMs - hours * HOUR_MS; hourMs < endMs; hourMs += HOUR_MS) total += counts.get(hourMs) ?? 0;
  return total;
}

interface WindowVerdict {
  hours: number;
  observed: number;
  expected: number;
  robustZ: number;
  percentBelow: number;
}

/** The last `hours` complete hours against the same hours of the week over the previous weeks (robust median and MAD of the sums). */
function windowVerdict(data: EventHours, endMs: number, hours: number, settings: EventVolumeSettings): WindowVerdict | null {
  const sums = Array.from({ length: settings.baselineWeeks + 1 }, (_, week) => ({ hour: endMs - week * WEEK_MS, count: sumOver(data.counts, endMs - week * WEEK_MS, hours) }));
  const baseline = robustBaseline(sums, endMs, { weeks: settings.baselineWeeks });
  if (baseline.median === null || baseline.robustZ === null || baseline.percentBelowBaseline === null || baseline.value === null) return null;
  return { hours, observed: baseline.value, expected: baseline.median, robustZ: baseline.robustZ, percentBelow: baseline.percentBelowBaseline };
}

/**
 * An event's latest complete hours (ending at `endMs`, the data's frontier) against the same hours of
 * the week before. Windows of 1 to `maxWindowHours` hours are tried, shortest first, and only those
 * whose baseline holds `minExpected` events are judged: a busy event is judged on its last hour, a
 * quiet one on as many hours as it takes, and one too quiet even over the longest window stays
 * unknown (and says so: `windowHours` null). Recovery is judged on the shortest judged window, so an
 * incident resolves once the recent hours are back whatever the longer windows still remember; a
 * drop in any judged window past both `enterZ` and `enterPercentBelow` is a breach.
 */
export function evaluateEventVolume(data: EventHours, endMs: number, settings: EventVolumeSettings): Evaluation {
  const base: Evaluation = { monitor: 'event_volume', signal: 'tracking', target: data.event, level: 'unknown', severity: 'major', findings: [], breachStartMs: null, resolutionMs: HOUR_MS, series: null, windowHours: null };
  const windows = WINDOWS_HOURS.filter((hours) => hours <= Math.max(settings.maxWindowHours, 1)).flatMap((hours) => windowVerdict(data, endMs, hours, settings) ?? []);
  const silent = windows.find((window) => window.hours <= settings.windowHours && window.observed === 0 && window.expected >= settings.silentMinExpected);
  const judged = windows.filter((window) => window.expected >= settings.minExpected);
  const series = volumeSeries(data, endMs, settings);
  if (silent) {
    const finding: Finding = { metric: 'event_silent', subject: data.event, level: 'breach', observed: 0, expected: silent.expected, unit: 'count' };
    return { ...base, level: 'breach', severity: 'critical', findings: [finding], breachStartMs: dropStartMs(data.counts, endMs, settings, silent.hours), series, windowHours: silent.hours };
  }
  const [recent] = judged;
  if (!recent) return base;
  if (recent.percentBelow < settings.exitPercentBelow) return { ...base, level: 'ok', series, windowHours: recent.hours, recoveredSinceMs: endMs - recent.hours * HOUR_MS };
  // A quiet event judged over pooled hours would remember a drop for as long as its window: once the
  // usual window's hours hold enough events to see, and are back, the drop no longer reaches the present.
  const usual = windows.find((window) => window.hours === settings.windowHours);
  if (recent.hours > settings.windowHours && usual && usual.expected >= settings.minExpected / 4 && usual.percentBelow < settings.exitPercentBelow) {
    return { ...base, level: 'ok', series, windowHours: recent.hours, recoveredSinceMs: endMs - usual.hours * HOUR_MS };
  }
  const low = judged.find((window) => window.robustZ <= settings.enterZ && window.percentBelow >= settings.enterPercentBelow);
  const shown = low ?? recent;
  const level: Level = low ? 'breach' : 'between';
  return {
    ...base,
    level,
    findings: [{ metric: 'event_volume', subject: data.event, level, observed: shown.observed, expected: shown.expected, unit: 'count' }],
    breachStartMs: low ? dropStartMs(data.counts, endMs, settings, low.hours) : null,
    series,
    windowHours: recent.hours,
  };
}

/** Median of the same hour in previous weeks (a missing hour counts as zero). */
function hourlyMedian(counts: ReadonlyMap<number, number>, hourMs: number, weeks: number): number {
  return median(Array.from({ length: weeks }, (_, index) => counts.get(hourMs - (index + 1) * WEEK_MS) ?? 0)) ?? 0;
}

/** The first hour of the run of low hours that ends at the frontier (hours too quiet to judge do not break it). */
function dropStartMs(counts: ReadonlyMap<number, number>, endMs: number, settings: EventVolumeSettings, windowHours: number): number {
  let startMs = endMs - Math.min(windowHours, settings.windowHours) * HOUR_MS;
  for (let hourMs = endMs - HOUR_MS; hourMs >= endMs - START_SCAN_HOURS * HOUR_MS; hourMs -= HOUR_MS) {
    const expected = hourlyMedian(counts, hourMs, settings.baselineWeeks);
    if (expected < 1) continue;
    if ((counts.get(hourMs) ?? 0) > expected * (1 - settings.enterPercentBelow / 100)) break;
    startMs = hourMs;
  }
  return startMs;
}

function volumeSeries(data: EventHours, endMs: number, settings: EventVolumeSettings): Evaluation['series'] {
  const pointsMs = Array.from({ length: START_SCAN_HOURS }, (_, index) => endMs - (START_SCAN_HOURS - index) * HOUR_MS);
  const expected = pointsMs.map((hourMs) => hourlyMedian(data.counts, hourMs, settings.baselineWeeks));
  return {
    pointsMs,
    observed: pointsMs.map((hourMs) => data.counts.get(hourMs) ?? 0),
    lower: expected.map((value) => value * (1 - settings.enterPercentBelow / 100)),
    upper: expected,
  };
}
