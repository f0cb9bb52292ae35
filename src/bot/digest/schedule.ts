import type { CalendarDay } from '../time-zone.js';
import { addDays, calendarDay, isoDay, isoWeekKey, wallClock, zonedTime } from '../time-zone.js';

/** When a subscription's digest is posted: a weekday and wall-clock time in its own time zone. */
export interface DigestSchedule {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 'HH:MM'. */
  localTime: string;
  timeZone: string;
  /** Slots before this moment are not owed (a subscription made on Wednesday for Mondays starts next week). */
  createdAt: Date;
}

export interface DigestSlot {
  /** The ISO week of the slot in the subscription's time zone: one digest per subscription and week. */
  weekKey: string;
  scheduledAt: Date;
}

/** Same weekdays a year earlier: 52 weeks back, so a Monday compares with a Monday. */
const YEAR_AGO_DAYS = 364;

/** The subscription's slot in the ISO week that `asOf` falls in (in its time zone). */
export function slotOfWeek(schedule: DigestSchedule, asOf: Date): DigestSlot {
  const clock = wallClock(asOf, schedule.timeZone);
  const isoWeekday = clock.weekday === 0 ? 7 : clock.weekday;
  const monday = addDays(calendarDay(asOf, schedule.timeZone), 1 - isoWeekday);
  const day = addDays(monday, (schedule.weekday + 6) % 7);
  const [hour, minute] = schedule.localTime.split(':').map(Number);
  return { weekKey: isoWeekKey(asOf, schedule.timeZone), scheduledAt: zonedTime(day, schedule.timeZone, hour ?? 0, minute ?? 0) };
}

/** This week's slot when it has come and is owed, else undefined. */
export function dueSlot(schedule: DigestSchedule, asOf: Date): DigestSlot | undefined {
  const slot = slotOfWeek(schedule, asOf);
  const isPast = slot.scheduledAt.getTime() <= asOf.getTime();
  const isOwed = slot.scheduledAt.getTime() >= schedule.createdAt.getTime();
  return isPast && isOwed ? slot : undefined;
}

/** The days a digest reports on, as YYYY-MM-DD in the bot's time zone. */
export interface DigestWeek {
  /** The seven days before the digest's day. */
  first: string;
  last: string;
  /** The seven days before those, for week-on-week changes. */
  previousFirst: string;
  previousLast: string;
  /** The same seven weekdays 52 weeks earlier. */
  yearAgoFirst: string;
  yearAgoLast: string;
  /** The calendar month of the week's last day, for budget pacing. */
  monthFirst: string;
  monthLast: string;
  /** The week as instants: [start, end). */
  start: Date;
  end: Date;
  /** The week before and the same week a year earlier as instants, [start, end) each. */
  previous: { start: Date; end: Date };
  yearAgo: { start: Date; end: Date };
}

/** The seven full days before the day a digest is scheduled, so a Monday digest covers Monday to Sunday. */
export function digestWeek(scheduledAt: Date, timeZone: string): DigestWeek {
  const today = calendarDay(scheduledAt, timeZone);
  const first = addDays(today, -7);
  const last = addDays(today, -1);
  const monthFirst: CalendarDay = { ...last, day: 1 };
  const nextMonth = last.month === 12 ? { year: last.year + 1, month: 1, day: 1 } : { year: last.year, month: last.month + 1, day: 1 };
  return {
    first: isoDay(first),
    last: isoDay(last),
    previousFirst: isoDay(addDays(first, -7)),
    previousLast: isoDay(addDays(last, -7)),
    yearAgoFirst: isoDay(addDays(first, -YEAR_AGO_DAYS)),
    yearAgoLast: isoDay(addDays(last, -YEAR_AGO_DAYS)),
    monthFirst: isoDay(monthFirst),
    monthLast: isoDay(addDays(nextMonth, -1)),
    start: zonedTime(first, timeZone),
    end: zonedTime(today, timeZone),
    previous: { start: zonedTime(addDays(first, -7), timeZone), end: zonedTime(first, timeZone) },
    yearAgo: { start: zonedTime(addDays(first, -YEAR_AGO_DAYS), timeZone), end: zonedTime(addDays(today, -YEAR_AGO_DAYS), timeZone) },
  };
}
