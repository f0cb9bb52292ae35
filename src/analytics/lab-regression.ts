import { median } from './median.js';

/**
 * A lab regression: a sustained step in a lab metric of one page and form factor (Lighthouse or
 * PageSpeed Insights runs). One rule serves the `speed` answer and the page-speed monitor's incident.
 *
 * Runs of an unchanged page vary by tens of percent (page and browser nondeterminism, network), with
 * now and then a far outlier; Lighthouse's own advice is the median of several runs, five of which
 * about halve the spread (GoogleChrome/lighthouse, docs/variability.md). What a deploy or a new tag
 * does is shift the level for good, so a regression is judged on medians: the `recentRuns` runs from
 * a step on against the runs before it. A median of k runs moves only when a majority of them move,
 * so one slow run (or ⌊k/2⌋ of them) is never a regression, and the step must have held for
 * ⌈k/2⌉ runs before it counts. The baseline is the runs just before the step, not a calendar
 * window, so a regression never becomes its own baseline however long ago it began.
 */
export interface LabPoint {
  atMs: number;
  value: number;
}

/** How far the level must worsen: by both this much (in the metric's unit) and this share of the baseline. */
export interface LabThreshold {
  absolute: number;
  relative: number;
}

export interface LabRegressionRule {
  /** Times and bytes regress by rising, scores by falling. */
  worse: 'higher' | 'lower';
  /** Past `enter` a step is a regression; the level counts as recovered once it is back within `exit`. */
  enter: LabThreshold;
  exit: LabThreshold;
  /** Runs whose median is the level after a step, and the current level. */
  recentRuns: number;
  /** The baseline of a step: the median of at most `baselineRuns` runs before it, and of at least `minBaselineRuns`. */
  baselineRuns: number;
  minBaselineRuns: number;
}

/** The lab metrics judged for regressions, each by its own thresholds. */
export type LabMetric = 'lcp' | 'tbt' | 'score' | 'thirdPartyMs' | 'thirdPartyBytes';
export type LabRules = Record<LabMetric, LabRegressionRule>;

// Three recent runs: a median of three still ignores one slow run, and a regression (or its fix) is
// seen at its second run, so at three runs a day an incident opens, and resolves, within a day rather
// than the three runs five would wait for (Lighthouse's advice of five is for a single verdict without
// the baseline beside it). Twenty runs before a step (a week at three runs a day) give a baseline median
// that one more slow run barely moves, and ten are the least a baseline is trusted with.
const RUNS = { recentRuns: 3, baselineRuns: 20, minBaselineRuns: 10 };

/** The thresholds for incidents and for `speed`; a team changes LCP's with MONITOR_LCP_REGRESSION. */
export const DEFAULT_LAB_RULES: LabRules = {
  lcp: { worse: 'higher', enter: { absolute: 300, relative: 0.25 }, exit: { absolute: 300, relative: 0.12 }, ...RUNS },
  tbt: { worse: 'higher', enter: { absolute: 100, relative: 1 }, exit: { absolute: 100, relative: 0.5 }, ...RUNS },
  score: { worse: 'lower', enter: { absolute: 0.1, relative: 0 }, exit: { absolute: 0.05, relative: 0 }, ...RUNS },
  thirdPartyMs: { worse: 'higher', enter: { absolute: 200, relative: 1 }, exit: { absolute: 200, relative: 0.6 }, ...RUNS },
  thirdPartyBytes: { worse: 'higher', enter: { absolute: 100_000, relative: 0.5 }, exit: { absolute: 100_000, relative: 0.3 }, ...RUNS },
};

/** The rules with LCP's relative enter threshold set to `share`; its exit threshold keeps its ratio to it. */
export function labRulesWithLcpShare(share: number | undefined, base: LabRules = DEFAULT_LAB_RULES): LabRules {
  if (share === undefined) return base;
  const { lcp } = base;
  return { ...base, lcp: { ...lcp, enter: { ...lcp.enter, relative: share }, exit: { ...lcp.exit, relative: share * (lcp.exit.relative / lcp.enter.relative) } } };
}

export interface LabStep {
  /** The first run after the step, by index in the time-ordered runs and by time. */
  index: number;
  startMs: number;
  /** Medians of the baseline runs and of the `recentRuns` runs from the step on. */
  before: number;
  after: number;
  /** How much worse `after` is than `before` (positive is worse, whichever way the metric regresses). */
  worsening: number;
}

export type LabLevel = 'breach' | 'between' | 'ok';

export interface LabRegression {
  /**
   * Where the regression began: of the steps past `enter`, the first of the unbroken stretch that
   * holds the largest one; null when no step is a regression.
   */
  step: LabStep | null;
  /** The median of the latest `recentRuns` runs. */
  current: number;
  /**
   * The current level against the step's baseline: still past `enter` (breach), back within `exit`
   * (ok, recovered), or in between. Without a step the page has not regressed: ok.
   */
  level: LabLevel;
}

/** The value past which a level is a regression against `before` (what an evidence chart draws as its band's edge). */
export function regressionBound(before: number, rule: LabRegressionRule): number {
  const margin = Math.max(rule.enter.absolute, rule.enter.relative * Math.abs(before));
  return rule.worse === 'higher' ? before + margin : before - margin;
}

/**
 * The runs a step at `index` compares, as [from, to) index ranges over `count` time-ordered runs:
 * the baseline before it, and the `recentRuns` runs from it on (the latest ones when fewer follow).
 */
export function stepWindows(index: number, count: number, rule: LabRegressionRule): { baseline: [number, number]; after: [number, number] } {
  const from = Math.max(0, Math.min(index, count - rule.recentRuns));
  return { baseline: [Math.max(0, index - rule.baselineRuns), index], after: [from, from + rule.recentRuns] };
}

/** Where a value lies against a baseline: past the enter threshold, back within the exit one, or in between. */
export function labLevel(value: number, before: number, rule: LabRegressionRule): LabLevel {
  const worsening = worseningOf(value, before, rule);
  if (isPast(worsening, before, rule.enter)) return 'breach';
  return isPast(worsening, before, rule.exit) ? 'between' : 'ok';
}

/**
 * The lab regression in time-ordered runs, or null when there are too few runs to judge
 * (fewer than `minBaselineRuns` plus a majority of `recentRuns`).
 */
export function labRegression(runs: readonly LabPoint[], rule: LabRegressionRule): LabRegression | null {
  const values = runs.map((run) => run.value);
  const majority = Math.ceil(rule.recentRuns / 2);
  if (values.length < rule.minBaselineRuns + majority) return null;
  const current = median(values.slice(-rule.recentRuns))!;
  const steps: (LabStep | null)[] = [];
  for (let index = 0; index < values.length; index += 1) {
    steps.push(index >= rule.minBaselineRuns && values.length - index >= majority ? regressionAt(runs, values, index, rule) : null);
  }
  const largest = steps.reduce<LabStep | null>((best, step) => (step && (!best || step.worsening > best.worsening) ? step : best), null);
  if (!largest) return { step: null, current, level: 'ok' };
  // Noise moves the largest step around inside a regression; it began where the stretch of steps holding it begins.
  let first = largest.index;
  while (steps[first - 1]) first -= 1;
  const step = steps[first]!;
  return { step, current, level: labLevel(current, step.before, rule) };
}

/**
 * The step before run `index`, when it is a regression: the `recentRuns` runs from it on (the
 * latest ones when fewer follow) worsen past `enter` against the runs before it, and the run at
 * `index` is itself at least halfway there, so the step begins on a slow run and not on a fast one
 * that the slow runs after it outvote.
 */
function regressionAt(runs: readonly LabPoint[], values: readonly number[], index: number, rule: LabRegressionRule): LabStep | null {
  const { baseline, after: recent } = stepWindows(index, values.length, rule);
  const before = median(values.slice(...baseline))!;
  const after = median(values.slice(...recent))!;
  const worsening = worseningOf(after, before, rule);
  if (!isPast(worsening, before, rule.enter) || worseningOf(values[index]!, before, rule) < worsening / 2) return null;
  return { index, startMs: runs[index]!.atMs, before, after, worsening };
}

function worseningOf(value: number, before: number, rule: LabRegressionRule): number {
  return rule.worse === 'higher' ? value - before : before - value;
}

function isPast(worsening: number, before: number, threshold: LabThreshold): boolean {
  return worsening >= threshold.absolute && worsening >= threshold.relative * Math.abs(before);
}
