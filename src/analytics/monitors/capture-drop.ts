import { binomialLowerTail } from '../stats.js';
import { HOUR_MS } from '../time.js';
import type { Evaluation, Finding } from './evaluation.js';

// Orders are sparse, so the hour a shortfall seems to start is known only to within a couple of hours.
const START_UNCERTAINTY_MS = 2 * HOUR_MS;

/** The capture monitor's thresholds (defaults and overrides: src/jobs/monitors/settings.ts). */
export interface CaptureDropSettings {
  event: string;
  /** How far back a drop may have begun. */
  lookbackHours: number;
  baselineDays: number;
  minOrders: number;
  /** One-sided binomial p-value (Bonferroni over the start hours tried) at or below which capture dropped. */
  alpha: number;
  /** Capture below this share of its baseline is a drop; at or above `exitShare` it has recovered. */
  enterShare: number;
  exitShare: number;
  /** The fewest latest hours recovery is judged on (more when they hold fewer than `minOrders` orders). */
  exitWindowHours: number;
}

/** Backend orders in one hour and how many of them the analytics event reported. */
export interface CaptureHour {
  hourMs: number;
  orders: number;
  captured: number;
}

interface Drop {
  startMs: number;
  orders: number;
  captured: number;
  /** Bonferroni-adjusted over the start hours tried. */
  pValue: number;
}

/**
 * The most significant shortfall ending now: for each start hour in the lookback, captured events
 * against Binomial(orders, baseline rate); the smallest adjusted p-value wins and dates the drop.
 */
function strongestDrop(hours: readonly CaptureHour[], baselineRate: number, minOrders: number): Drop | null {
  const sorted = [...hours].sort((a, b) => b.hourMs - a.hourMs);
  const candidates: Omit<Drop, 'pValue'>[] = [];
  let orders = 0;
  let captured = 0;
  for (const hour of sorted) {
    orders += hour.orders;
    captured += hour.captured;
    if (hour.orders > 0 && orders >= minOrders) candidates.push({ startMs: hour.hourMs, orders, captured });
  }
  let best: Drop | null = null;
  for (const candidate of candidates) {
    const pValue = Math.min(1, candidates.length * binomialLowerTail(candidate.captured, candidate.orders, baselineRate));
    if (!best || pValue < best.pValue) best = { ...candidate, pValue };
  }
  return best;
}

/**
 * The latest hours, at least `exitWindowHours` of them and as many more as it takes to hold
 * `minOrders` orders (a quiet night pools hours rather than judging nothing); null when the whole
 * lookback holds fewer.
 */
function recentWindow(hours: readonly CaptureHour[], settings: CaptureDropSettings): { startMs: number; orders: number; captured: number } | null {
  const latestFirst = [...hours].sort((a, b) => b.hourMs - a.hourMs);
  let orders = 0;
  let captured = 0;
  for (const [index, hour] of latestFirst.entries()) {
    orders += hour.orders;
    captured += hour.captured;
    if (index + 1 >= settings.exitWindowHours && orders >= settings.minOrders) return { startMs: hour.hourMs, orders, captured };
  }
  return null;
}

/**
 * Capture rate of the purchase event against backend orders, hour by hour. Recovery is judged
 * first, on the recent window alone at the gentler `exitShare`, so an outage that ended does not
 * keep the incident open for as long as the lookback still holds it. A drop needs both significance
 * (few orders at night cannot prove anything) and size (below `enterShare` of the baseline rate).
 */
export function evaluateCaptureDrop(hours: readonly CaptureHour[], baselineRate: number | null, asOfMs: number, settings: CaptureDropSettings): Evaluation {
  const base: Evaluation = { monitor: 'capture_drop', signal: 'tracking', target: settings.event, level: 'unknown', severity: 'major', findings: [], breachStartMs: null, resolutionMs: START_UNCERTAINTY_MS, series: null, windowHours: null };
  if (baselineRate === null || baselineRate <= 0) return base;
  const series = captureSeries(hours, baselineRate);
  const recent = recentWindow(hours.filter((hour) => hour.hourMs < asOfMs), settings);
  const windowHours = recent === null ? null : Math.round((asOfMs - recent.startMs) / HOUR_MS);
  if (recent && recent.captured / recent.orders >= settings.exitShare * baselineRate) {
    return { ...base, level: 'ok', series, windowHours, recoveredSinceMs: recent.startMs };
  }
  const drop = strongestDrop(hours, baselineRate, settings.minOrders);
  if (drop && drop.pValue <= settings.alpha && drop.captured / drop.orders < settings.enterShare * baselineRate) {
    const finding: Finding = { metric: 'capture_rate', subject: settings.event, level: 'breach', observed: drop.captured / drop.orders, expected: baselineRate, unit: 'ratio' };
    const severity = drop.captured === 0 ? 'critical' : 'major';
    return { ...base, level: 'breach', severity, causeWindowStartMs: lastFineHourMs(hours, drop.startMs, baselineRate, settings), findings: [finding, { metric: 'orders_unreported', subject: settings.event, level: 'breach', observed: drop.orders - drop.captured, expected: Math.round(drop.orders * (1 - baselineRate)), unit: 'count' }], breachStartMs: drop.startMs, series, windowHours };
  }
  if (!recent) return { ...base, series };
  return { ...base, level: 'between', findings: [{ metric: 'capture_rate', subject: settings.event, level: 'between', observed: recent.captured / recent.orders, expected: baselineRate, unit: 'ratio' }], series, windowHours };
}

/**
 * The start of the latest hour before a drop whose orders were reported as usual: sparse orders date
 * a drop to the first hour that holds one, but it may have begun any time after that fine hour, so a
 * change from then on may have caused it (and one before it did not).
 */
function lastFineHourMs(hours: readonly CaptureHour[], startMs: number, baselineRate: number, settings: CaptureDropSettings): number | null {
  const before = hours.filter((hour) => hour.hourMs < startMs && hour.orders > 0).sort((a, b) => b.hourMs - a.hourMs);
  return before.find((hour) => hour.captured / hour.orders >= settings.exitShare * baselineRate)?.hourMs ?? null;
}

function captureSeries(hours: readonly CaptureHour[], baselineRate: number): Evaluation['series'] {
  const sorted = [...hours].sort((a, b) => a.hourMs - b.hourMs);
  return {
    pointsMs: sorted.map((hour) => hour.hourMs),
    observed: sorted.map((hour) => hour.captured),
    lower: sorted.map((hour) => Math.round(hour.orders * baselineRate * 0.5 * 10) / 10),
    upper: sorted.map((hour) => hour.orders),
  };
}
