import { median } from '../median.js';
import { DAY_MS } from '../time.js';
import { vitalStatus } from '../web-vitals.js';
import type { VitalStatus } from '../web-vitals.js';
import type { Evaluation, Finding, Level } from './evaluation.js';

/** The page-speed monitor's thresholds (defaults and overrides: src/jobs/monitors/settings.ts). */
export interface PageSpeedSettings {
  recentRuns: number;
  baselineDays: number;
  /** Runs this recent are left out of the baseline, so it stays the page's healthy state. */
  baselineGapDays: number;
  minBaselineRuns: number;
  lcp: { enterRelative: number; exitRelative: number; minChangeMs: number };
  tbt: { enterRelative: number; exitRelative: number; minChangeMs: number };
  score: { enterDrop: number; exitDrop: number };
  thirdPartyMs: { enterRelative: number; exitRelative: number; minChangeMs: number };
  thirdPartyBytes: { enterRelative: number; exitRelative: number; minChangeBytes: number };
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

type Rise = { enterRelative: number; exitRelative: number; minChange: number };
type Metric = { name: string; pick: (run: LabRun) => number | null; unit: Finding['unit']; rise?: Rise; drop?: { enter: number; exit: number } };

function metrics(settings: PageSpeedSettings): Metric[] {
  return [
    { name: 'lab_lcp', pick: (run) => run.lcpMs, unit: 'ms', rise: { ...settings.lcp, minChange: settings.lcp.minChangeMs } },
    { name: 'lab_tbt', pick: (run) => run.tbtMs, unit: 'ms', rise: { ...settings.tbt, minChange: settings.tbt.minChangeMs } },
    { name: 'lab_score', pick: (run) => run.score, unit: 'score', drop: { enter: settings.score.enterDrop, exit: settings.score.exitDrop } },
    { name: 'third_party_ms', pick: (run) => run.thirdPartyMs, unit: 'ms', rise: { ...settings.thirdPartyMs, minChange: settings.thirdPartyMs.minChangeMs } },
    { name: 'third_party_bytes', pick: (run) => run.thirdPartyBytes, unit: 'bytes', rise: { ...settings.thirdPartyBytes, minChange: settings.thirdPartyBytes.minChangeBytes } },
  ];
}

/** One value against its baseline: past the enter threshold, short of the exit one, or in between. */
function levelOf(metric: Metric, value: number, before: number): Level {
  if (metric.drop) {
    const drop = before - value;
    return drop >= metric.drop.enter ? 'breach' : drop < metric.drop.exit ? 'ok' : 'between';
  }
  const rise = metric.rise!;
  const change = value - before;
  if (change >= rise.minChange && change >= rise.enterRelative * before) return 'breach';
  return change < rise.exitRelative * before || change < rise.minChange ? 'ok' : 'between';
}

interface PageVerdict {
  findings: Finding[];
  /** The first run of the latest streak of single runs past the enter threshold, for a breaching metric. */
  startMs: number | null;
  series: Evaluation['series'];
}

/**
 * One page and form factor: the median of the last `recentRuns` lab runs against the median of the
 * runs in the baseline window, which ends `baselineGapDays` ago so a regression does not become its
 * own baseline. A single slow run moves neither median, which is why it never opens an incident.
 */
function judgePage(runs: readonly LabRun[], asOfMs: number, settings: PageSpeedSettings): PageVerdict {
  const sorted = [...runs].sort((a, b) => a.atMs - b.atMs);
  const baselineEndMs = asOfMs - settings.baselineGapDays * DAY_MS;
  const verdict: PageVerdict = { findings: [], startMs: null, series: null };
  const subject = `${sorted[0]?.url ?? ''} (${sorted[0]?.formFactor ?? ''})`;
  for (const metric of metrics(settings)) {
    const values = sorted.flatMap((run) => { const value = metric.pick(run); return value === null ? [] : [{ atMs: run.atMs, value }]; });
    const baselineValues = values.filter((point) => point.atMs < baselineEndMs).map((point) => point.value);
    const recent = median(values.slice(-settings.recentRuns).map((point) => point.value));
    const before = median(baselineValues);
    if (recent === null || before === null || baselineValues.length < settings.minBaselineRuns || values.length < settings.recentRuns) continue;
    const level = levelOf(metric, recent, before);
    if (level === 'ok') continue;
    verdict.findings.push({ metric: metric.name, subject, level, observed: recent, expected: before, unit: metric.unit });
    if (level !== 'breach') continue;
    let startMs = values[values.length - 1]!.atMs;
    for (let index = values.length - 1; index >= 0 && levelOf(metric, values[index]!.value, before) === 'breach'; index -= 1) startMs = values[index]!.atMs;
    verdict.startMs = verdict.startMs === null ? startMs : Math.min(verdict.startMs, startMs);
    verdict.series ??= {
      label: `${metric.name} of ${subject}, lab runs against the baseline median`,
      pointsMs: values.slice(-21).map((point) => point.atMs),
      observed: values.slice(-21).map((point) => point.value),
      lower: values.slice(-21).map(() => before),
      upper: values.slice(-21).map(() => (metric.rise ? before * (1 + metric.rise.enterRelative) : before - (metric.drop?.enter ?? 0))),
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
  const verdicts = [...labPages.values()].map((runs) => ({ key: keyOf(runs[0]!), ...judgePage(runs, asOfMs, settings) }));
  const findings = verdicts.flatMap((verdict) => verdict.findings);
  const labStarts = verdicts.flatMap((verdict) => (verdict.startMs === null ? [] : [verdict.startMs]));
  const fieldOnly = [...fieldPages].filter(([key]) => !labPages.has(key)).flatMap(([, records]) => fieldCrossings(records, asOfMs - settings.baselineDays * DAY_MS));
  const all = [...findings, ...fieldOnly];
  if (lab.length === 0 && field.length === 0) return base;
  const level: Level = all.some((finding) => finding.level === 'breach') ? 'breach' : all.length > 0 ? 'between' : 'ok';
  const breachStartMs = labStarts.length > 0 ? Math.min(...labStarts) : null;
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
