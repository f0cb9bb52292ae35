import type { CalendarDay } from './time-zone.js';
import { DAY_MS } from '../analytics/time.js';
import { addDays, addMonths, calendarDay, isoDay, parseIsoDay, zonedTime } from './time-zone.js';

/** A half-open time range [start, end) with the words that name it. */
export interface Period {
  start: Date;
  end: Date;
  /** Canonical spelling, e.g. "last 30d" or "2026-10-01..2026-10-31". */
  label: string;
}

export interface PeriodPair {
  current: Period;
  /** The comparison: the period of equal length just before the current one. */
  previous: Period;
}

export type PeriodParse =
  | { ok: true; period: PeriodPair; used: number }
  | { ok: false; reason: 'not_a_period' }
  | { ok: false; reason: 'bad_period'; text: string; used: number }
  | { ok: false; reason: 'order'; start: string; end: string; used: number }
  | { ok: false; reason: 'too_long'; text: string; days: number; maxDays: number; used: number };

const UNIT_DAYS: Record<string, number> = {
  d: 1, day: 1, days: 1, giorno: 1, giorni: 1, g: 1,
  w: 7, week: 7, weeks: 7, settimana: 7, settimane: 7, sett: 7,
  m: 30, month: 30, months: 30, mese: 30, mesi: 30,
};
const LAST_WORDS = new Set(['last', 'past', 'ultimi', 'ultime', 'ultimo', 'ultima', 'scorsi', 'scorse']);
const THIS_WORDS = new Set(['this', 'questo', 'questa', 'current']);
const SINCE_WORDS = new Set(['since', 'from', 'dal', 'da', 'dallo', 'dall']);
const MONTH_WORDS = new Set(['month', 'mese']);
const WEEK_WORDS = new Set(['week', 'settimana']);
/**
 * The longest period any command reads: ten years and a few days. Every question then reads a
 * bounded number of days (and its comparison period the same again), whatever is typed: without it
 * `since 1900-01-01` read a century of hours and `1900-01-01..9999-12-31` put the comparison period
 * before the first day PostgreSQL can store. A command may ask for less (tracking reads hours).
 */
export const MAX_PERIOD_DAYS = 3660;
/** Days outside these years are refused as not a period: JavaScript's Date.UTC reads years 0-99 as 1900-1999. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

/**
 * Reads a period at the start of `words` (lower-case tokens). Rolling windows count whole days
 * in the configured zone and end at the start of today, like analytics tools' "last 30 days":
 * a partial today would make every comparison look like a drop.
 *
 * `endBy` is the end of the as-of day when the question is about one (`now` is then that instant):
 * that day is complete, so rolling windows end with it, "today" and "this month" are that day's,
 * and a period typed past it ends there.
 */
export function parsePeriodAt(words: readonly string[], now: Date, timeZone: string, maxDays = MAX_PERIOD_DAYS, endBy?: Date): PeriodParse {
  const parsed = parseUncapped(words, now, timeZone, endBy);
  if (!parsed.ok) return parsed.reason === 'too_long' ? { ...parsed, maxDays } : parsed;
  const { current } = parsed.period;
  // Rounded: a day the clocks change on is 23 or 25 hours long.
  const days = Math.round((current.end.getTime() - current.start.getTime()) / DAY_MS);
  if (days > maxDays) return { ok: false, reason: 'too_long', text: words.slice(0, parsed.used).join(' '), days, maxDays, used: parsed.used };
  return parsed;
}

function parseUncapped(words: readonly string[], now: Date, timeZone: string, endBy: Date | undefined): PeriodParse {
  const [first, second, third] = words;
  if (first === undefined) return { ok: false, reason: 'not_a_period' };
  // Rolling windows end at the start of the day `now` falls in; calendar words name the day of its last moment.
  const rollingEnd = calendarDay(now, timeZone);
  const today = endBy ? calendarDay(new Date(now.getTime() - 1), timeZone) : rollingEnd;
  const startOf = (day: CalendarDay) => zonedTime(day, timeZone);
  const clipped = (from: CalendarDay, start: Date, end: Date, label: string, used: number): PeriodParse => {
    if (!endBy || end.getTime() <= endBy.getTime()) return done(start, end, label, used);
    if (start.getTime() >= endBy.getTime()) return { ok: false, reason: 'order', start: isoDay(from), end: isoDay(today), used };
    return done(start, endBy, `${isoDay(from)}..${isoDay(today)}`, used);
  };

  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(first);
  if (range) {
    const from = periodDay(range[1]!);
    const to = periodDay(range[2]!);
    if (!from || !to) return { ok: false, reason: 'bad_period', text: first, used: 1 };
    if (isoDay(from) > isoDay(to)) return { ok: false, reason: 'order', start: isoDay(from), end: isoDay(to), used: 1 };
    return clipped(from, startOf(from), startOf(addDays(to, 1)), `${isoDay(from)}..${isoDay(to)}`, 1);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(first) && words.length === 1) {
    const day = periodDay(first);
    if (!day) return { ok: false, reason: 'bad_period', text: first, used: 1 };
    return clipped(day, startOf(day), startOf(addDays(day, 1)), `${isoDay(day)}..${isoDay(day)}`, 1);
  }
  if (SINCE_WORDS.has(first) && second !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(second)) {
    const day = periodDay(second);
    if (!day) return { ok: false, reason: 'bad_period', text: `${first} ${second}`, used: 2 };
    if (startOf(day) >= now) return { ok: false, reason: 'order', start: isoDay(day), end: isoDay(today), used: 2 };
    return done(startOf(day), now, `since ${isoDay(day)}`, 2);
  }
  if (first === 'today' || first === 'oggi') return done(startOf(today), now, 'today', 1);
  if (first === 'yesterday' || first === 'ieri') return done(startOf(addDays(today, -1)), startOf(today), 'yesterday', 1);
  if ((THIS_WORDS.has(first) && second !== undefined && MONTH_WORDS.has(second)) || (first === 'mese' && second === 'corrente')) {
    return done(startOf({ ...today, day: 1 }), now, 'this month', 2);
  }
  if (THIS_WORDS.has(first) && second !== undefined && WEEK_WORDS.has(second)) {
    const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7;
    return done(startOf(addDays(today, -weekday)), now, 'this week', 2);
  }
  // "last month" / "ultimo mese" / "mese scorso": the previous calendar month.
  if ((LAST_WORDS.has(first) && second !== undefined && MONTH_WORDS.has(second)) || (first === 'mese' && second === 'scorso')) {
    const monthStart = { ...today, day: 1 };
    return done(startOf(addMonths(monthStart, -1)), startOf(monthStart), 'last month', 2);
  }
  if ((LAST_WORDS.has(first) && second !== undefined && WEEK_WORDS.has(second)) || (first === 'settimana' && second === 'scorsa')) {
    const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7;
    const weekStart = addDays(today, -weekday);
    return done(startOf(addDays(weekStart, -7)), startOf(weekStart), 'last week', 2);
  }
  if (LAST_WORDS.has(first) && second !== undefined) {
    // "last 30d", "last 30 days", "ultimi 30 giorni"
    const compact = /^(\d+)([a-z]+)$/.exec(second);
    const count = compact ? Number(compact[1]) : /^\d+$/.test(second) ? Number(second) : undefined;
    const unit = compact ? compact[2] : third;
    const used = compact ? 2 : 3;
    if (count === undefined) return { ok: false, reason: 'not_a_period' };
    const unitDays = unit === undefined ? undefined : UNIT_DAYS[unit];
    if (unitDays === undefined || count < 1) return { ok: false, reason: 'bad_period', text: words.slice(0, used).join(' '), used };
    // Refused here rather than by the cap after it: a count of a million years is no date at all.
    if (count * unitDays > MAX_PERIOD_DAYS) return { ok: false, reason: 'too_long', text: words.slice(0, used).join(' '), days: count * unitDays, maxDays: MAX_PERIOD_DAYS, used };
    const days = count * unitDays;
    const label = unitDays === 7 ? `last ${count}w` : `last ${days}d`;
    return done(startOf(addDays(rollingEnd, -days)), startOf(rollingEnd), label, used);
  }
  return { ok: false, reason: 'not_a_period' };
}

function periodDay(text: string): CalendarDay | undefined {
  const day = parseIsoDay(text);
  return day && day.year >= FIRST_YEAR && day.year <= LAST_YEAR ? day : undefined;
}

function done(start: Date, end: Date, label: string, used: number): PeriodParse {
  return { ok: true, period: withPrevious({ start, end, label }), used };
}

/** Adds the comparison period: the same length, ending where the current one starts. */
export function withPrevious(current: Period): PeriodPair {
  const length = current.end.getTime() - current.start.getTime();
  const previousStart = new Date(current.start.getTime() - length);
  return { current, previous: { start: previousStart, end: current.start, label: 'previous period' } };
}

/** The default window of a command, e.g. `defaultPeriod(now, zone, 30)` is "last 30d". */
export function lastDays(now: Date, timeZone: string, days: number): PeriodPair {
  const result = parsePeriodAt(['last', `${days}d`], now, timeZone);
  if (!result.ok) throw new Error(`lastDays(${days}) is not a valid period`);
  return result.period;
}
