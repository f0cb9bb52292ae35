/**
 * Replays the monitors over stored history: the scheduler's pass (monitorPass) at each step from
 * `from` to `to`, so incidents open, change, hand over and resolve, and their posts are queued,
 * exactly as they would have been had the bot been running. A dry run does the same inside one
 * transaction that is rolled back at the end, so it reports the timeline and changes nothing.
 */
import type { Db } from '../../adapters/store/db.js';
import { latestIncident } from '../../adapters/store/queries/incidents.js';
import { forgetMonitorHistory, latestMonitorEvaluation, outboxRowCount } from '../../adapters/store/queries/monitors.js';
import type { IncidentRecord } from '../../bot/data-port.js';
import type { MonitorRunReport } from './run-monitors.js';

export interface ReplayOptions {
  from: Date;
  to: Date;
  everyMs: number;
  dryRun: boolean;
  /** Told after each step, for progress lines. */
  onStep?(done: number, total: number): void;
  /** Checked before each step: a replay stops cleanly between steps once it says stop. */
  shouldStop?(): boolean;
}

/** One change a step made to an incident. */
export interface ReplayEntry {
  at: Date;
  action: 'open' | 'reopen' | 'update' | 'handover' | 'resolve';
  signal: string;
  target: string;
  incidentId: number | null;
  severity: IncidentRecord['severity'] | null;
  ownerTeam: IncidentRecord['ownerTeam'] | null;
  /** The ref of the change named as likely cause, when one is. */
  cause: string | null;
}

export interface ReplayReport {
  steps: number;
  /** The instants stepped through: the first and the last. */
  firstAt: Date | null;
  lastAt: Date | null;
  timeline: ReplayEntry[];
  postsQueued: number;
  dryRun: boolean;
  /** The dry run forgot the stored monitor memory and incidents first (the monitors had judged a later moment). */
  startedAfresh: boolean;
  /** Stopped by `shouldStop` before `to`. */
  stopped: boolean;
}

export type ReplayResult =
  | { ok: true; report: ReplayReport }
  | { ok: false; reason: 'already_evaluated'; lastEvaluatedAt: Date };

/** One pass of every monitor at `asOf`, as the scheduled job runs it. */
export type MonitorPass = (db: Db, asOf: Date) => Promise<MonitorRunReport>;

/** How many steps a replay takes: the scheduler's grid (multiples of `everyMs` since the epoch) from `from` to `to`, both included. */
export function replayStepCount(from: Date, to: Date, everyMs: number): number {
  return Math.max(0, Math.floor(to.getTime() / everyMs) - Math.ceil(from.getTime() / everyMs) + 1);
}

/** The steps of a replay, on the scheduler's grid. */
export function replaySteps(from: Date, to: Date, everyMs: number): Date[] {
  const first = Math.ceil(from.getTime() / everyMs) * everyMs;
  return Array.from({ length: replayStepCount(from, to, everyMs) }, (_, index) => new Date(first + index * everyMs));
}

class DryRunRollback extends Error {
  constructor(readonly report: ReplayReport) {
    super('dry run rolled back');
  }
}

/**
 * A replay that writes starts where the monitors left off: a step at or before their latest evaluation
 * would be skipped by every monitor ('already evaluated'), so it is refused with that moment instead.
 * A dry run over such a period starts the monitors afresh (no memory, no incidents) inside its transaction.
 */
export async function replayMonitors(db: Db, pass: MonitorPass, options: ReplayOptions): Promise<ReplayResult> {
  const steps = replaySteps(options.from, options.to, options.everyMs);
  const lastEvaluatedAt = await latestMonitorEvaluation(db);
  const overlaps = lastEvaluatedAt !== null && steps.length > 0 && steps[0]!.getTime() <= lastEvaluatedAt.getTime();
  if (!options.dryRun) {
    if (overlaps) return { ok: false, reason: 'already_evaluated', lastEvaluatedAt };
    return { ok: true, report: await stepThrough(db, pass, steps, options, false) };
  }
  try {
    await db.transaction(async (tx) => {
      if (overlaps) await forgetMonitorHistory(tx);
      throw new DryRunRollback(await stepThrough(tx, pass, steps, options, overlaps));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return { ok: true, report: error.report };
    throw error;
  }
  throw new Error('a dry-run replay ended without rolling back');
}

async function stepThrough(db: Db, pass: MonitorPass, steps: readonly Date[], options: ReplayOptions, startedAfresh: boolean): Promise<ReplayReport> {
  const postsBefore = await outboxRowCount(db);
  const timeline: ReplayEntry[] = [];
  let done = 0;
  for (const asOf of steps) {
    if (options.shouldStop?.()) break;
    const report = await pass(db, asOf);
    for (const { signal, target, action } of report.actions) {
      if (action === 'none' || action === 'already_evaluated') continue;
      const incident = await latestIncident(db, signal, target);
      timeline.push({
        at: asOf, action, signal, target, incidentId: incident?.id ?? null, severity: incident?.severity ?? null,
        ownerTeam: incident?.ownerTeam ?? null, cause: incident?.causes[0]?.ref ?? null,
      });
    }
    done += 1;
    options.onStep?.(done, steps.length);
  }
  return {
    steps: done, firstAt: steps[0] ?? null, lastAt: done > 0 ? steps[done - 1]! : null, timeline,
    postsQueued: (await outboxRowCount(db)) - postsBefore, dryRun: options.dryRun, startedAfresh, stopped: done < steps.length,
  };
}
