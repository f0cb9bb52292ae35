import type { LabMetric, LabPoint, LabRules } from '../lab-regression.js';
import { labRegression, regressionBound } from '../lab-regression.js';
import { DAY_MS } from '../time.js';
import { vitalStatus } from '../web-vitals.js';
import type { VitalStatus } from '../web-vitals.js';
import type { Evaluation, Finding, Level } from './evaluation.js';

/** The page-speed monitor's settings (defaults and overrides: src/jobs/monitors/settings.ts). */
export interface PageSpeedSettings {
  /** Days of lab runs and field records read: a regression older than this has become the page's level. */
  lookbackDays: number;
  lab: LabRules;
}

export interface LabRun {
  atMs: number;
  url: string;
  formFactor: 'mobile' | 'desktop';
  score: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  thirdPartyMs: number | null;
  thirdPartyBytes: number | null;
}

/** A CrUX record: p75 over the trailing 28 days as of `atMs`. */
export interface FieldRecord {
  atMs: number;
  url: string;
  formFactor: 'mobile' | 'desktop';
  lcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
}

const LAB_METRICS: { name: string; metric: LabMetric; pick: (run: LabRun) => number | null; unit: Finding['unit'] }[] = [
  { name: 'lab_lcp', metric: 'lcp', pick: (run) => run.lcpMs, unit: 'ms' },
  { name: 'lab_tbt', metric: 'tbt', pick: (run) => run.tbtMs, unit: 'ms' },
  { name: 'lab_score', metric: 'score', pick: (run) => run.score, unit: 'score' },
  { name: 'third_party_ms', metric: 'thirdPartyMs', pick: (run) => run.thirdPartyMs, unit: 'ms' },
  { name: 'third_party_bytes', metric: 'thirdPartyBytes', pick: (run) => run.thirdPartyBytes, unit: 'bytes' },
];
// Lab runs drawn in the evidence chart: a week at three runs a day.
const SERIES_RUNS = 21;

/** One lab metric's time-ordered runs, those that measured it. */
export function labPoints(runs: readonly LabRun[], pick: (run: LabRun) => number | null): LabPoint[] {
  return [...runs].sort((a, b) => a.atMs - b.atMs).flatMap((run) => {
    const value = pick(run);
    return value === null ? [] : [{ atMs: run.atMs, value }];
  });
}

interface PageVerdict {
  findings: Finding[];
  /** Where the earliest breaching regression began, and the run before it (the last one still fine). */
  startMs: number | null;
  previousRunMs: number | null;
  series: Evaluation['series'];
}

/**
 * One page and form factor, each lab metric by the lab-regression rule (lab-regression.ts): the
 * current median of the last runs against the baseline of the step where the regression began.
 */
function judgePage(runs: readonly LabRun[], rules: LabRules): PageVerdict {
  const verdict: PageVerdict = { findings: [], startMs: null, previousRunMs: null, series: null };
  const subject = `${runs[0]?.url ?? ''} (${runs[0]?.formFactor ?? ''})`;
  for (const metric of LAB_METRICS) {
    const points = labPoints(runs, metric.pick);
    const rule = rules[metric.metric];
    const regression = labRegression(points, rule);
    if (!regression?.step || regression.level === 'ok') continue;
    const { step, current, level } = regression;
    verdict.findings.push({ metric: metric.name, subject, level, observed: current, expected: step.before, unit: metric.unit });
    if (level !== 'breach') continue;
    if (verdict.startMs === null || step.startMs < verdict.startMs) {
      verdict.startMs = step.startMs;
      verdict.previousRunMs = points[step.index - 1]?.atMs ?? null;
    }
    const shown = points.slice(-SERIES_RUNS);
    verdict.series ??= {
      pointsMs: shown.map((point) => point.atMs),
      observed: shown.map((point) => point.value),
      lower: shown.map(() => step.before),
      upper: shown.map(() => regressionBound(step.before, rule)),
    };
  }
  return verdict;
}

const STATUS_RANK: Record<VitalStatus, number> = { good: 0, needs_improvement: 1, poor: 2 };

/** Field vitals that crossed out of good between the record before `sinceMs` and the latest one. */
function fieldCrossings(records: readonly FieldRecord[], sinceMs: number): Finding[] {
  const sorted = [...records].sort((a, b) => a.atMs - b.atMs);
  const latest = sorted[sorted.length - 1];
  const earlier = [...sorted].reverse().find((record) => record.atMs < sinceMs) ?? sorted[0];
  if (!latest || !earlier) return [];
  const subject = `${latest.url} (${latest.formFactor})`;
  const vitals = [['field_lcp', 'lcp', 'lcpMs', 'ms'], ['field_inp', 'inp', 'inpMs', 'ms'], ['field_cls', 'cls', 'cls', 'ratio']] as const;
  return vitals.flatMap(([metric, name, key, unit]) => {
    const now = latest[key];
    const before = earlier[key];
    if (now === null || before === null || STATUS_RANK[vitalStatus(name, now)] <= STATUS_RANK[vitalStatus(name, before)]) return [];
    return [{ metric, subject, level: 'breach' as Level, observed: now, expected: before, unit }];
  });
}

const keyOf = (record: { url: string; formFactor: string }): string => `${record.url} ${record.formFactor}`;

function groupBy<T extends { url: string; formFactor: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * Page speed of one site (the target is its origin). Lab regressions and third-party weight decide;
 * CrUX p75 lags by its 28-day window, so for a page with lab runs it only confirms (or not) what the
 * lab saw, and a field crossing into needs-improvement or poor is a breach only on pages the lab does
 * not measure. Third-party weight alone is a minor incident.
 */
export function evaluatePageSpeed(origin: string, lab: readonly LabRun[], field: readonly FieldRecord[], asOfMs: number, settings: PageSpeedSettings): Evaluation {
  const base: Evaluation = { monitor: 'page_speed', signal: 'speed', target: origin, level: 'unknown', severity: 'major', findings: [], breachStartMs: null, resolutionMs: 0, series: null, isFieldConfirmed: null };
  const labPages = groupBy(lab);
  const fieldPages = groupBy(field);
  const verdicts = [...labPages.values()].map((runs) => ({ key: keyOf(runs[0]!), ...judgePage(runs, settings.lab) }));
  const findings = verdicts.flatMap((verdict) => verdict.findings);
  const labStarts = verdicts.flatMap((verdict) => (verdict.startMs === null ? [] : [verdict.startMs]));
  const fieldOnly = [...fieldPages].filter(([key]) => !labPages.has(key)).flatMap(([, records]) => fieldCrossings(records, asOfMs - settings.lookbackDays * DAY_MS));
  const all = [...findings, ...fieldOnly];
  if (lab.length === 0 && field.length === 0) return base;
  const level: Level = all.some((finding) => finding.level === 'breach') ? 'breach' : all.length > 0 ? 'between' : 'ok';
  const breachStartMs = labStarts.length > 0 ? labStarts.reduce((earliest, start) => Math.min(earliest, start)) : null;
  const causeWindowStartMs = verdicts.find((verdict) => verdict.startMs !== null && verdict.startMs === breachStartMs)?.previousRunMs ?? null;
  const breachedPages = verdicts.filter((verdict) => verdict.startMs !== null).map((verdict) => verdict.key);
  const confirming = breachStartMs === null ? [] : breachedPages.flatMap((key) => fieldCrossingsOrRise(fieldPages.get(key) ?? [], breachStartMs));
  const hasField = breachedPages.some((key) => (fieldPages.get(key) ?? []).length > 0);
  const isLabSpeed = all.some((finding) => finding.level === 'breach' && !finding.metric.startsWith('third_party'));
  return {
    ...base,
    level,
    severity: isLabSpeed ? 'major' : 'minor',
    findings: [...all.filter((finding) => finding.level === 'breach'), ...all.filter((finding) => finding.level !== 'breach'), ...confirming],
    breachStartMs,
    causeWindowStartMs,
    series: verdicts.find((verdict) => verdict.series !== null)?.series ?? null,
    isFieldConfirmed: hasField ? confirming.length > 0 : null,
  };
}

// A rise in p75 this large since the regression began counts as field confirmation even while still "good".
const FIELD_CONFIRMING_RISE = 0.1;

/** Field evidence for a lab regression: a status crossing, or LCP p75 up by FIELD_CONFIRMING_RISE since it began. */
function fieldCrossingsOrRise(records: readonly FieldRecord[], sinceMs: number): Finding[] {
  const crossings = fieldCrossings(records, sinceMs).map((finding) => ({ ...finding, level: 'ok' as Level }));
  if (crossings.length > 0) return crossings;
  const sorted = [...records].sort((a, b) => a.atMs - b.atMs);
  const latest = sorted[sorted.length - 1];
  const earlier = [...sorted].reverse().find((record) => record.atMs < sinceMs);
  if (!latest?.lcpMs || !earlier?.lcpMs || latest.lcpMs < earlier.lcpMs * (1 + FIELD_CONFIRMING_RISE)) return [];
  return [{ metric: 'field_lcp', subject: `${latest.url} (${latest.formFactor})`, level: 'ok', observed: latest.lcpMs, expected: earlier.lcpMs, unit: 'ms' }];
}
