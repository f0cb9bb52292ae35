// Seasonal robust baseline for an hourly count: the same hour of the week over the previous weeks,
// summarised by median and MAD (Rousseeuw & Croux 1993; 1.4826 makes MAD estimate σ for normal data).
import { HOUR_MS, WEEK_MS } from './time.js';

const MAD_TO_SIGMA = 1.4826;
/** A series of zeros must still have a scale, or any single event would be an infinite z-score. */
const MIN_SCALE = 1;

/** `hour` is the start of the hour, as an ISO string or epoch milliseconds. */
export type HourlyPoint = { hour: string | number; count: number };

export type BaselineOptions = {
  /** How many previous weeks to look at (default 6). */
  weeks?: number;
  /** Fewer usable reference hours than this gives no baseline (default 3). */
  minWeeks?: number;
  /** Band half-width in scales: median ± k · scale (default 3). */
  bandWidth?: number;
  /**
   * Data is complete up to this instant: an hour that ends by then and has no point had 0 events.
   * A missing hour after it (or with no such instant given) is unknown and left out.
   */
  completeUntil?: string | number;
};

export type HourBaseline = {
  hourMs: number;
  value: number | null;
  /** Counts used as the reference, most recent week first. */
  reference: number[];
  median: number | null;
  /** Median absolute deviation, unscaled. */
  mad: number | null;
  /** max(1.4826 · MAD, √median, 1): a count cannot be steadier than Poisson noise, √mean. */
  scale: number | null;
  robustZ: number | null;
  /** 100 · (median − value) / median; negative when above the baseline, null when the median is 0. */
  percentBelowBaseline: number | null;
  band: { lower: number; upper: number } | null;
};

function toMs(time: string | number): number {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(time)}`);
  return ms;
}

/** Epoch ms of the start of the hour containing `time`. */
function toHourMs(time: string | number): number {
  return Math.floor(toMs(time) / HOUR_MS) * HOUR_MS;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Counts by hour start; several points in one hour (e.g. two sources) add up. */
function indexByHour(points: readonly HourlyPoint[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const point of points) {
    const hourMs = toHourMs(point.hour);
    counts.set(hourMs, (counts.get(hourMs) ?? 0) + point.count);
  }
  return counts;
}

function countAt(counts: Map<number, number>, hourMs: number, completeUntilMs: number | null): number | null {
  const count = counts.get(hourMs);
  if (count !== undefined) return count;
  return completeUntilMs !== null && hourMs + HOUR_MS <= completeUntilMs ? 0 : null;
}

/**
 * Baseline for each requested hour. Weeks are 168-hour steps in absolute time, so across a daylight
 * saving change the reference sits one local hour off; pass local wall-clock hours if that matters.
 */
export function robustBaselines(
  points: readonly HourlyPoint[],
  hours: readonly (string | number)[],
  options: BaselineOptions = {},
): HourBaseline[] {
  const counts = indexByHour(points);
  const completeUntilMs = options.completeUntil === undefined ? null : toMs(options.completeUntil);
  return hours.map((hour) => baselineAt(counts, toHourMs(hour), completeUntilMs, options));
}

export function robustBaseline(
  points: readonly HourlyPoint[],
  hour: string | number,
  options: BaselineOptions = {},
): HourBaseline {
  const [result] = robustBaselines(points, [hour], options);
  if (result === undefined) throw new Error('robustBaselines returned nothing for one hour');
  return result;
}

function baselineAt(
  counts: Map<number, number>,
  hourMs: number,
  completeUntilMs: number | null,
  options: BaselineOptions,
): HourBaseline {
  const weeks = options.weeks ?? 6;
  const value = countAt(counts, hourMs, completeUntilMs);
  const reference: number[] = [];
  for (let week = 1; week <= weeks; week++) {
    const count = countAt(counts, hourMs - week * WEEK_MS, completeUntilMs);
    if (count !== null) reference.push(count);
  }
  const empty = {
    hourMs,
    value,
    reference,
    median: null,
    mad: null,
    scale: null,
    robustZ: null,
    percentBelowBaseline: null,
    band: null,
  };
  if (reference.length === 0 || reference.length < (options.minWeeks ?? 3)) return empty;

  const center = median([...reference].sort((a, b) => a - b));
  const mad = median(reference.map((count) => Math.abs(count - center)).sort((a, b) => a - b));
  const scale = Math.max(MAD_TO_SIGMA * mad, Math.sqrt(center), MIN_SCALE);
  const k = options.bandWidth ?? 3;
  return {
    ...empty,
    median: center,
    mad,
    scale,
    robustZ: value === null ? null : (value - center) / scale,
    percentBelowBaseline: value === null || center === 0 ? null : (100 * (center - value)) / center,
    band: { lower: Math.max(0, center - k * scale), upper: center + k * scale },
  };
}
