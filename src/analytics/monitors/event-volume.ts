import { robustBaseline } from '../baseline.js';
import { median } from '../median.js';
import { HOUR_MS, WEEK_MS } from '../time.js';
import type { Evaluation, Finding, Level } from './evaluation.js';

// How far back the start of a drop is looked for.
const START_SCAN_HOURS = 24;

/** The event-volume monitor's thresholds (defaults and overrides: src/jobs/monitors/settings.ts). */
export interface EventVolumeSettings {
  names: readonly string[];
  /** Hours summed per evaluation, so a few quiet hours do not look like a drop. */
  windowHours: number;
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

function sumOver(counts: ReadonlyMap<number, number>, endMs: number, hours: number): number {
  let total = 0;
  for (let hourMs = endMs - hours * HOUR_MS; hourMs < endMs; hourMs += HOUR_MS) total += counts.get(hourMs) ?? 0;
  return total;
}

/**
 * An event's last `windowHours` complete hours (ending at `endMs`, the data's frontier) against the
 * same hours of the week over the previous weeks: robust median and MAD of the window sums. Too little
 * expected volume leaves the verdict unknown, so a quiet night is never an outage.
 */
export function evaluateEventVolume(data: EventHours, endMs: number, settings: EventVolumeSettings): Evaluation {
  const { windowHours } = settings;
  const sums = Array.from({ length: settings.baselineWeeks + 1 }, (_, week) => ({ hour: endMs - week * WEEK_MS, count: sumOver(data.counts, endMs - week * WEEK_MS, windowHours) }));
  const baseline = robustBaseline(sums, endMs, { weeks: settings.baselineWeeks });
  const base: Evaluation = { monitor: 'event_volume', signal: 'tracking', target: data.event, level: 'unknown', severity: 'major', findings: [], breachStartMs: null, resolutionMs: HOUR_MS, series: null };
  if (baseline.median === null || baseline.robustZ === null || baseline.percentBelowBaseline === null || baseline.value === null) return base;
  const observed = baseline.value;
  const expected = baseline.median;
  const isSilent = observed === 0 && expected >= settings.silentMinExpected;
  if (!isSilent && expected < settings.minExpected) return base;
  const isLow = baseline.robustZ <= settings.enterZ && baseline.percentBelowBaseline >= settings.enterPercentBelow;
  const level: Level = isSilent || isLow ? 'breach' : baseline.percentBelowBaseline < settings.exitPercentBelow ? 'ok' : 'between';
  const findings: Finding[] = level === 'ok' ? [] : [{ metric: isSilent ? 'event_silent' : 'event_volume', subject: data.event, level, observed, expected, unit: 'count' }];
  return {
    ...base,
    level,
    severity: isSilent ? 'critical' : 'major',
    findings,
    breachStartMs: level === 'breach' ? dropStartMs(data.counts, endMs, settings) : null,
    series: volumeSeries(data, endMs, settings),
  };
}

/** Median of the same hour in previous weeks (a missing hour counts as zero). */
function hourlyMedian(counts: ReadonlyMap<number, number>, hourMs: number, weeks: number): number {
  return median(Array.from({ length: weeks }, (_, index) => counts.get(hourMs - (index + 1) * WEEK_MS) ?? 0)) ?? 0;
}

/** The first hour of the run of low hours that ends at the frontier (hours too quiet to judge do not break it). */
function dropStartMs(counts: ReadonlyMap<number, number>, endMs: number, settings: EventVolumeSettings): number {
  let startMs = endMs - settings.windowHours * HOUR_MS;
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
