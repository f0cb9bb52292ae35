import type { Db } from '../../adapters/store/db.js';
import type { Formatter } from '../../bot/format.js';
import type { Translate } from '../../bot/messages/index.js';
import { mergeEvaluations } from '../../analytics/monitors/evaluation.js';
import type { MonitorSettings } from './settings.js';
import { evaluateSpeed, trackingMonitorVerdicts } from './run-monitors.js';

/**
 * Which signals the monitors can watch now and which they cannot, and why: a signal too quiet to
 * judge is pooled over longer windows first, and only one too quiet even then is blind. Shown by
 * `mkt sources check` and `mkt jobs list`, and for the digest's health line (monitorCoverage, coverageSentence).
 */
export interface SignalCoverage {
  signal: 'tracking' | 'speed';
  target: string;
  /** Hours of data pooled to judge the signal now (tracking); null for page speed or when it cannot be watched. */
  windowHours: number | null;
  /** Why it cannot be watched; null when it is watched. */
  blind: null | 'no_recent_data' | 'too_quiet' | 'no_runs';
}

/** Every watched signal as the monitors see it at `asOf`: the configured events, and page speed. */
export async function monitorCoverage(db: Db, asOf: Date, settings: MonitorSettings): Promise<SignalCoverage[]> {
  const verdicts = await trackingMonitorVerdicts(db, asOf, settings);
  const tracking = settings.events.names.map((event): SignalCoverage => {
    const own = verdicts.filter((evaluation) => evaluation.target === event);
    // No verdict at all: no tracking data has arrived in the last hours (ingestion stopped or never ran).
    if (own.length === 0) return { signal: 'tracking', target: event, windowHours: null, blind: 'no_recent_data' };
    const merged = mergeEvaluations(own);
    const windows = own.flatMap((evaluation) => (evaluation.windowHours == null ? [] : [evaluation.windowHours]));
    if (merged.level === 'unknown' || windows.length === 0) return { signal: 'tracking', target: event, windowHours: null, blind: 'too_quiet' };
    return { signal: 'tracking', target: event, windowHours: Math.min(...windows), blind: null };
  });
  const speed = await evaluateSpeed(db, asOf, settings.speed);
  const pages: SignalCoverage[] = speed.length === 0
    ? [{ signal: 'speed', target: 'lab runs', windowHours: null, blind: 'no_runs' }]
    : speed.map((evaluation) => ({ signal: 'speed', target: evaluation.target, windowHours: null, blind: evaluation.level === 'unknown' ? 'no_runs' : null }));
  return [...tracking, ...pages];
}

/** One signal's coverage in a sentence, in the reader's language. */
export function coverageSentence(coverage: SignalCoverage, settings: MonitorSettings, { t, fmt }: { t: Translate; fmt: Formatter }): string {
  const { target } = coverage;
  if (coverage.blind === 'no_recent_data') return t('monitors.coverage.noRecentData', { target });
  if (coverage.blind === 'too_quiet') return t('monitors.coverage.tooQuiet', { target, min: fmt.integer(settings.events.minExpected), hours: fmt.integer(settings.events.maxWindowHours) });
  if (coverage.blind === 'no_runs') return t('monitors.coverage.noRuns', { target });
  if (coverage.windowHours === null) return t('monitors.coverage.watchedSpeed', { target });
  return t('monitors.coverage.watched', { target, hours: fmt.integer(coverage.windowHours) });
}
