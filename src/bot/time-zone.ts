import { MINUTE_MS, DAY_MS, WEEK_MS } from '../analytics/time.js';

/**
 * Calendar arithmetic in an IANA time zone without a date library: day boundaries are found
 * by asking Intl for the zone's offset at an instant.
 */
export interface CalendarDay { year: number; month: number; day: number }

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): CalendarDay & { hour: number; minute: number; weekday: number } {
  const parts = Object.fromEntries(partsFormatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return { year, month, day, hour: Number(parts.hour), minute: Number(parts.minute), weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** Offset of the zone from UTC at an instant, in minutes (Europe/Rome in summer: +120). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const clock = wallClock(instant, timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The instant a wall-clock time happens in the zone (the earlier one when clocks go back). */
export function zonedTime(day: CalendarDay, timeZone: string, hour = 0, minute = 0): Date {
  const guess = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const first = guess - zoneOffsetMinutes(new Date(guess), timeZone) * MINUTE_MS;
  const second = guess - zoneOffsetMinutes(new Date(first), timeZone) * MINUTE_MS;
  return new Date(Math.min(first, second));
}

export function calendarDay(instant: Date, timeZone: string): CalendarDay {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

/** Adds days on the calendar (month and year roll over), independent of any zone. */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addMonths(day: CalendarDay, months: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1 + months, 1));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: Math.min(day.day, daysInMonth(date.getUTCFullYear(), date.getUTCMonth() + 1)) };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDay(day: CalendarDay): string {
  return `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

export function parseIsoDay(text: string): CalendarDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const day = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (day.month < 1 || day.month > 12 || day.day < 1 || day.day > daysInMonth(day.year, day.month)) return undefined;
  return day;
}

/** The ISO 8601 week an instant falls in, on the calendar of `timeZone`: '2026-W48'. */
export function isoWeekKey(asOf: Date, timeZone: string): string {
  const day = calendarDay(asOf, timeZone);
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day));
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  // The week belongs to the year of its Thursday (ISO 8601).
  const thursday = new Date(date.getTime() + (4 - isoWeekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (WEEK_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
