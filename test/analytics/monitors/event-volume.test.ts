import { describe, expect, it } from 'vitest';
import { evaluateEventVolume } from '../../../src/analytics/monitors/event-volume.js';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src/jobs/monitors/settings.js';
import { HOUR_MS, WEEK_MS } from '../../../src/analytics/time.js';

const endMs = Date.parse('2026-11-23T18:00:00Z');
const settings = DEFAULT_MONITOR_SETTINGS.events;

/** `perHour` events in every hour of the 7 weeks before endMs, with the last `recent` hours overridden. */
function counts(perHour: number, recent: number[] = []): Map<number, number> {
  const map = new Map<number, number>();
  for (let hourMs = endMs - 7 * WEEK_MS; hourMs < endMs; hourMs += HOUR_MS) map.set(hourMs, perHour);
  recent.forEach((count, index) => map.set(endMs - (recent.length - index) * HOUR_MS, count));
  return map;
}

describe('evaluateEventVolume', () => {
  it('is ok at the usual volume', () => {
    expect(evaluateEventVolume({ event: 'page_view', counts: counts(50) }, endMs, settings).level).toBe('ok');
  });

  it('an event with no events at all where 50 an hour are usual has gone silent (critical) in its first silent hour, dated to it', () => {
    const first = evaluateEventVolume({ event: 'page_view', counts: counts(50, [0]) }, endMs, settings);
    expect(first).toMatchObject({ level: 'breach', severity: 'critical', breachStartMs: endMs - HOUR_MS, windowHours: 1 });
    const evaluation = evaluateEventVolume({ event: 'page_view', counts: counts(50, [0, 0, 0, 0]) }, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'breach', severity: 'critical', breachStartMs: endMs - 4 * HOUR_MS });
    expect(evaluation.findings[0]).toMatchObject({ metric: 'event_silent', observed: 0, expected: 50 });
  });

  it('an hour at 20% of its baseline is a drop: median 50, scale √50 ≈ 7.1, z ≈ −5.7', () => {
    const evaluation = evaluateEventVolume({ event: 'page_view', counts: counts(50, [10]) }, endMs, settings);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.findings[0]).toMatchObject({ metric: 'event_volume', observed: 10, expected: 50 });
  });

  it('a 40% loss of a busy event is a drop in its first hour: median 500, z = −200/√500 ≈ −8.9', () => {
    expect(evaluateEventVolume({ event: 'page_view', counts: counts(500, [300]) }, endMs, settings).level).toBe('breach');
  });

  it('30% below is between the exit (25%) and enter (35%) thresholds', () => {
    expect(evaluateEventVolume({ event: 'page_view', counts: counts(50, [35, 35, 35]) }, endMs, settings).level).toBe('between');
  });

  it('recovery is judged on the latest hour: back at the usual volume is ok, since that hour, whatever the hours before held', () => {
    const evaluation = evaluateEventVolume({ event: 'page_view', counts: counts(50, [0, 0, 0, 0, 50]) }, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'ok', recoveredSinceMs: endMs - HOUR_MS, windowHours: 1 });
  });

  it('a quiet event is pooled over more hours rather than left blind: one an hour is judged over a day, and a day without any is a drop', () => {
    expect(evaluateEventVolume({ event: 'purchase', counts: counts(1) }, endMs, settings)).toMatchObject({ level: 'ok', windowHours: 24 });
    expect(evaluateEventVolume({ event: 'purchase', counts: counts(1, Array<number>(24).fill(0)) }, endMs, settings)).toMatchObject({ level: 'breach', windowHours: 24 });
  });

  it('an event too quiet even over a day stays unknown and says so (no window)', () => {
    const sparse = new Map([[endMs - WEEK_MS - 5 * HOUR_MS, 3]]);
    expect(evaluateEventVolume({ event: 'purchase', counts: sparse }, endMs, settings)).toMatchObject({ level: 'unknown', windowHours: null });
  });
});
