/** What every monitor yields for one signal and target, whatever it measured. */
export type Signal = 'tracking' | 'speed';
export type Severity = 'critical' | 'major' | 'minor';
export type Level = 'breach' | 'between' | 'ok' | 'unknown';

/** One measured fact behind a verdict: observed against expected, in the metric's unit. */
export interface Finding {
  /** e.g. "capture_rate", "event_volume", "event_silent", "lab_lcp", "third_party_bytes", "field_lcp". */
  metric: string;
  /** What was measured: an event name, or a URL with its form factor. */
  subject: string;
  level: Level;
  observed: number;
  expected: number;
  unit: 'count' | 'ratio' | 'ms' | 'score' | 'bytes';
}

/** A small series for the evidence chart: observed against a baseline band, at epoch-ms points. */
export interface EvidenceSeries {
  pointsMs: number[];
  observed: (number | null)[];
  lower: number[];
  upper: number[];
}

export interface Evaluation {
  /** Which monitor judged it; several monitors may speak for one signal and target. */
  monitor: 'event_volume' | 'capture_drop' | 'page_speed';
  signal: Signal;
  target: string;
  level: Level;
  severity: Severity;
  /** The breaching and borderline findings, worst first (ok findings are left out). */
  findings: Finding[];
  /** When the problem most likely began (null when nothing breaches): likely causes are looked for before it. */
  breachStartMs: number | null;
  /** The data's time resolution: a change up to this long after breachStartMs may still have caused it. */
  resolutionMs: number;
  /**
   * The last moment the signal was seen fine before the breach (page speed: the run before the step);
   * a change before it cannot be the cause. Absent: the monitors' configured cause window decides.
   */
  causeWindowStartMs?: number | null;
  /**
   * Hours of data the verdict was judged on (a quiet signal's are pooled into a longer window); null
   * when even the longest window holds too little to judge. Absent where the monitor has no windows.
   */
  windowHours?: number | null;
  /** An ok verdict: since when the recent data has been back to normal (the hold before resolving counts from it). */
  recoveredSinceMs?: number | null;
  series: EvidenceSeries | null;
  /** Page speed only: whether real-user data (CrUX p75) shows the regression too; null without field data. */
  isFieldConfirmed?: boolean | null;
}

const LEVEL_RANK: Record<Level, number> = { breach: 3, between: 2, ok: 1, unknown: 0 };

/**
 * Several findings on one target make one verdict: any breach breaches, ok needs every measured
 * finding ok, and a target with nothing measurable is unknown.
 */
export function combinedLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((worst, level) => (LEVEL_RANK[level] > LEVEL_RANK[worst] ? level : worst), 'unknown');
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, major: 2, minor: 1 };

export function isMoreSevere(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] > SEVERITY_RANK[b];
}

/** Evaluations of the same signal and target from different monitors, as one verdict. */
export function mergeEvaluations(evaluations: readonly Evaluation[]): Evaluation {
  const [first] = evaluations;
  if (!first) throw new Error('mergeEvaluations needs at least one evaluation');
  const level = combinedLevel(evaluations.map((evaluation) => evaluation.level));
  const breaching = evaluations.filter((evaluation) => evaluation.level === 'breach');
  const lead = breaching[0] ?? first;
  const starts = breaching.flatMap((evaluation) => (evaluation.breachStartMs === null ? [] : [evaluation.breachStartMs]));
  return {
    ...lead,
    level,
    severity: breaching.reduce((worst, evaluation) => (isMoreSevere(evaluation.severity, worst) ? evaluation.severity : worst), lead.severity),
    findings: [...breaching, ...evaluations.filter((evaluation) => evaluation.level !== 'breach')].flatMap((evaluation) => evaluation.findings),
    breachStartMs: starts.length > 0 ? starts.reduce((earliest, start) => Math.min(earliest, start)) : null,
    // The cause window belongs to the start: the monitor that dated the earliest start bounds it.
    causeWindowStartMs: [...breaching].sort((a, b) => (a.breachStartMs ?? Infinity) - (b.breachStartMs ?? Infinity))[0]?.causeWindowStartMs ?? null,
    // All back: since the last of them came back; one without a date leaves the merged one undated.
    recoveredSinceMs: level === 'ok' ? latestRecovery(evaluations.filter((evaluation) => evaluation.level === 'ok')) : null,
    series: lead.series ?? evaluations.find((evaluation) => evaluation.series !== null)?.series ?? null,
  };
}

function latestRecovery(evaluations: readonly Evaluation[]): number | null {
  const dates = evaluations.map((evaluation) => evaluation.recoveredSinceMs ?? null);
  return dates.length === 0 || dates.includes(null) ? null : (dates as number[]).reduce((latest, date) => Math.max(latest, date));
}
