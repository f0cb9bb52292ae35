import { describe, expect, it } from 'vitest';
import type { CaptureHour } from '../../../src/analytics/monitors/capture-drop.js';
import { evaluateCaptureDrop } from '../../../src/analytics/monitors/capture-drop.js';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src/jobs/monitors/settings.js';
import { HOUR_MS } from '../../../src/analytics/time.js';

const endMs = Date.parse('2026-11-23T22:00:00Z');
const settings = DEFAULT_MONITOR_SETTINGS.capture;

/** 24 hours ending at endMs; `pattern` gives [orders, captured] for the last hours, earlier hours get 2 of 2. */
function hours(last: [number, number][]): CaptureHour[] {
  return Array.from({ length: 24 }, (_, index) => {
    const fromEnd = 24 - index;
    const [orders, captured] = last[last.length - fromEnd] ?? [2, 2];
    return { hourMs: endMs - fromEnd * HOUR_MS, orders, captured };
  });
}

describe('evaluateCaptureDrop', () => {
  it('finds six orders without a purchase event since 16:00 and dates the drop to that hour', () => {
    const evaluation = evaluateCaptureDrop(hours([[1, 0], [2, 0], [0, 0], [1, 0], [2, 0], [0, 0]]), 0.875, endMs, settings);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.severity).toBe('critical');
    expect(evaluation.breachStartMs).toBe(Date.parse('2026-11-23T16:00:00Z'));
    expect(evaluation.findings[0]).toMatchObject({ metric: 'capture_rate', observed: 0, expected: 0.875 });
    expect(evaluation.findings[1]).toMatchObject({ metric: 'orders_unreported', observed: 6 });
  });

  it('two unreported orders at night prove nothing: not a breach', () => {
    const evaluation = evaluateCaptureDrop(hours([[1, 0], [0, 0], [1, 0]]), 0.875, endMs, settings);
    expect(evaluation.level).not.toBe('breach');
  });

  it('is ok when the last hours capture as usual', () => {
    expect(evaluateCaptureDrop(hours([]), 0.875, endMs, settings).level).toBe('ok');
  });

  it('a partial loss is a drop too: purchases reported for half the orders over twelve hours (share 0.57 of the usual 0.875)', () => {
    const half: [number, number][] = Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? [3, 2] : [3, 1]));
    const evaluation = evaluateCaptureDrop(hours(half), 0.875, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'breach', severity: 'major', breachStartMs: endMs - 12 * HOUR_MS });
  });

  it('recovery is judged on the latest hours alone: two hours back to normal after six without a purchase event are ok, since those two hours', () => {
    const evaluation = evaluateCaptureDrop(hours([[2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 2], [2, 2]]), 0.875, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'ok', recoveredSinceMs: endMs - 2 * HOUR_MS, windowHours: 2 });
  });

  it('a quiet night pools hours until they hold enough orders before judging recovery', () => {
    const evaluation = evaluateCaptureDrop(hours([[3, 0], [3, 0], [1, 1], [0, 0], [1, 1], [0, 0], [1, 1]]), 0.875, endMs, settings);
    expect(evaluation).toMatchObject({ level: 'ok', recoveredSinceMs: endMs - 5 * HOUR_MS, windowHours: 5 });
  });

  it('is unknown without a baseline rate', () => {
    expect(evaluateCaptureDrop(hours([]), null, endMs, settings).level).toBe('unknown');
  });
});
