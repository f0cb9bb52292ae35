// Budget pacing: spend to date against a period's cap, assuming even daily pacing, with a linear
// run-rate projection to the period end and ROAS. Days are calendar dates (YYYY-MM-DD), inclusive.
import { DAY_MS } from './time.js';

const DEFAULT_TOLERANCE = 0.1;

export type BudgetLine = {
  channel: string;
  periodStart: string;
  periodEnd: string;
  cap: number;
  spendToDate: number;
  /** Revenue attributed to the channel over the same days; omit when unknown. */
  revenueToDate?: number;
};

export type PacingVerdict = 'not_started' | 'under' | 'on_pace' | 'over' | 'cap_exceeded';

export type Pacing = {
  channel: string;
  totalDays: number;
  daysElapsed: number;
  expectedSpendToDate: number;
  /** spendToDate / daysElapsed · totalDays; null before the first day. */
  projectedSpend: number | null;
  /** spendToDate / expectedSpendToDate (= projected / cap); null when nothing was expected yet. */
  paceRatio: number | null;
  verdict: PacingVerdict;
  remainingBudget: number;
  /** What can still be spent per remaining day to land on the cap; null when no days remain. */
  dailyAllowance: number | null;
  /** revenue / spend; null without revenue or spend. */
  roas: number | null;
};

function dayNumber(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/**
 * `spendThrough` is the last day whose spend is included in spendToDate (usually yesterday, as ad
 * platforms report a day once it is over). Within ±tolerance of the even-pace line is on pace.
 */
export function paceBudget(line: BudgetLine, options: { spendThrough: string; tolerance?: number }): Pacing {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const start = dayNumber(line.periodStart);
  const totalDays = dayNumber(line.periodEnd) - start + 1;
  if (totalDays < 1) throw new Error(`budget period ends before it starts: ${line.periodStart}..${line.periodEnd}`);
  const daysElapsed = Math.min(totalDays, Math.max(0, dayNumber(options.spendThrough) - start + 1));
  const expectedSpendToDate = (line.cap * daysElapsed) / totalDays;
  const paceRatio = expectedSpendToDate > 0 ? line.spendToDate / expectedSpendToDate : null;
  const remainingDays = totalDays - daysElapsed;
  return {
    channel: line.channel,
    totalDays,
    daysElapsed,
    expectedSpendToDate,
    projectedSpend: daysElapsed > 0 ? (line.spendToDate / daysElapsed) * totalDays : null,
    paceRatio,
    verdict: verdictFor(line, daysElapsed, paceRatio, tolerance),
    remainingBudget: line.cap - line.spendToDate,
    dailyAllowance: remainingDays > 0 ? Math.max(0, line.cap - line.spendToDate) / remainingDays : null,
    roas: line.revenueToDate !== undefined && line.spendToDate > 0 ? line.revenueToDate / line.spendToDate : null,
  };
}

function verdictFor(line: BudgetLine, daysElapsed: number, paceRatio: number | null, tolerance: number): PacingVerdict {
  if (line.spendToDate > line.cap) return 'cap_exceeded';
  if (daysElapsed === 0) return 'not_started';
  if (paceRatio === null) return 'on_pace';
  if (paceRatio > 1 + tolerance) return 'over';
  if (paceRatio < 1 - tolerance) return 'under';
  return 'on_pace';
}
