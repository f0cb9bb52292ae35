import { describe, expect, it } from 'vitest';
import type { FieldRecord, LabRun } from '../../../src/analytics/monitors/page-speed.js';
import { evaluatePageSpeed } from '../../../src/analytics/monitors/page-speed.js';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src/jobs/monitors/settings.js';
import { HOUR_MS, DAY_MS } from '../../../src/analytics/time.js';

const asOfMs = Date.parse('2026-11-20T12:00:00Z');
const settings = DEFAULT_MONITOR_SETTINGS.speed;
const url = 'https://shop.example/';

/** Three healthy lab runs a day for 28 days (LCP 2.2 s, TBT 190 ms, score 0.95), then `slow` overrides for the latest runs. */
function labRuns(slow: Partial<LabRun>[] = []): LabRun[] {
  const runs: LabRun[] = [];
  for (let atMs = asOfMs - 28 * DAY_MS; atMs < asOfMs; atMs += 8 * HOUR_MS) {
    runs.push({ atMs, url, formFactor: 'mobile', score: 0.95, lcpMs: 2200, tbtMs: 190, thirdPartyMs: 380, thirdPartyBytes: 410_000 });
  }
  slow.forEach((patch, index) => Object.assign(runs[runs.length - slow.length + index]!, patch));
  return runs;
}

const slowRun = { lcpMs: 3600, tbtMs: 520, score: 0.75, thirdPartyMs: 1360, thirdPartyBytes: 818_000 };

describe('evaluatePageSpeed', () => {
  it('a single slow lab run never breaches: the median of the last five stays healthy', () => {
    expect(evaluatePageSpeed('https://shop.example', labRuns([slowRun]), [], asOfMs, settings).level).toBe('ok');
  });

  it('three slow runs of the last five breach, dated to the first of them, with LCP 3.6 s against 2.2 s', () => {
    const runs = labRuns([slowRun, slowRun, slowRun]);
    const evaluation = evaluatePageSpeed('https://shop.example', runs, [], asOfMs, settings);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.severity).toBe('major');
    expect(evaluation.breachStartMs).toBe(runs[runs.length - 3]!.atMs);
    expect(evaluation.findings).toContainEqual({ metric: 'lab_lcp', subject: `${url} (mobile)`, level: 'breach', observed: 3600, expected: 2200, unit: 'ms' });
    expect(evaluation.isFieldConfirmed).toBeNull();
  });

  it('third-party weight alone is a minor incident', () => {
    const evaluation = evaluatePageSpeed('https://shop.example', labRuns([{ thirdPartyBytes: 700_000 }, { thirdPartyBytes: 700_000 }, { thirdPartyBytes: 700_000 }]), [], asOfMs, settings);
    expect(evaluation).toMatchObject({ level: 'breach', severity: 'minor' });
  });

  it('says field data confirms a lab regression when CrUX LCP p75 crossed from good to needs improvement', () => {
    const runs = labRuns([slowRun, slowRun, slowRun]);
    const field: FieldRecord[] = [
      { atMs: asOfMs - 3 * DAY_MS, url, formFactor: 'mobile', lcpMs: 2300, inpMs: 170, cls: 0.05 },
      { atMs: asOfMs - 6 * HOUR_MS, url, formFactor: 'mobile', lcpMs: 2700, inpMs: 175, cls: 0.05 },
    ];
    const evaluation = evaluatePageSpeed('https://shop.example', runs, field, asOfMs, settings);
    expect(evaluation.isFieldConfirmed).toBe(true);
    expect(evaluation.findings).toContainEqual({ metric: 'field_lcp', subject: `${url} (mobile)`, level: 'ok', observed: 2700, expected: 2300, unit: 'ms' });
  });

  it('says field data does not confirm it yet when CrUX has barely moved', () => {
    const field: FieldRecord[] = [
      { atMs: asOfMs - 3 * DAY_MS, url, formFactor: 'mobile', lcpMs: 2300, inpMs: 170, cls: 0.05 },
      { atMs: asOfMs - 6 * HOUR_MS, url, formFactor: 'mobile', lcpMs: 2350, inpMs: 170, cls: 0.05 },
    ];
    expect(evaluatePageSpeed('https://shop.example', labRuns([slowRun, slowRun, slowRun]), field, asOfMs, settings).isFieldConfirmed).toBe(false);
  });

  it('a page measured only by CrUX breaches when its p75 crosses into needs improvement', () => {
    const other = 'https://shop.example/cart';
    const field: FieldRecord[] = [
      { atMs: asOfMs - 27 * DAY_MS, url: other, formFactor: 'mobile', lcpMs: 2400, inpMs: 170, cls: 0.05 },
      { atMs: asOfMs - 6 * HOUR_MS, url: other, formFactor: 'mobile', lcpMs: 2600, inpMs: 170, cls: 0.05 },
    ];
    const evaluation = evaluatePageSpeed('https://shop.example', labRuns(), field, asOfMs, settings);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.findings[0]).toMatchObject({ metric: 'field_lcp', subject: `${other} (mobile)`, observed: 2600, expected: 2400 });
  });
});
