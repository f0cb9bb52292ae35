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

  it('an event with no events at all where 150 are usual has gone silent (critical), dated to the first silent hour', () => {
    const evaluation = evaluateEventVolume({ event: 'page_view', counts: counts(50, [0, 0, 0, 0]) }, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'breach', severity: 'critical', breachStartMs: endMs - 4 * HOUR_MS });
    expect(evaluation.findings[0]).toMatchObject({ metric: 'event_silent', observed: 0, expected: 150 });
  });

  it('a window at 20% of its baseline is a drop: median 150, scale √150 ≈ 12.2, z ≈ −9.8', () => {
    const evaluation = evaluateEventVolume({ event: 'page_view', counts: counts(50, [10, 10, 10]) }, endMs, settings);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.findings[0]).toMatchObject({ metric: 'event_volume', observed: 30, expected: 150 });
  });

  it('30% below is between the exit (25%) and enter (50%) thresholds', () => {
    expect(evaluateEventVolume({ event: 'page_view', counts: counts(50, [35, 35, 35]) }, endMs, settings).level).toBe('between');
  });

  it('a quiet event is never judged: the minimum-volume guard leaves it unknown', () => {
    expect(evaluateEventVolume({ event: 'purchase', counts: counts(1, [0, 0, 0]) }, endMs, settings).level).toBe('unknown');
  });
});
