import { calendarDay } from '../bot/time-zone.js';

/** The ISO 8601 week an instant falls in, on the calendar of `timeZone`: '2026-W48'. */
export function isoWeekKey(asOf: Date, timeZone: string): string {
  const day = calendarDay(asOf, timeZone);
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day));
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  // The week belongs to the year of its Thursday (ISO 8601).
  const thursday = new Date(date.getTime() + (4 - isoWeekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The slot of `minutes` an instant falls in, in UTC: '2026-11-26T10:05Z'. UTC, because local
 * clocks repeat an hour in autumn and two runs must never share a key; every zone's offset is a
 * whole multiple of 15 minutes, so 5- and 15-minute slots start on the same instants everywhere.
 */
export function minuteSlotKey(minutes: number): (asOf: Date) => string {
  const slotMs = minutes * 60_000;
  return (asOf) => new Date(Math.floor(asOf.getTime() / slotMs) * slotMs).toISOString().slice(0, 16) + 'Z';
}
