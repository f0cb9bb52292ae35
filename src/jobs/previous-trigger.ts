import type { ScheduledTask } from 'node-cron';
import { parse } from 'node-cron';
import { addDays, calendarDay, zonedTime } from '../bot/time-zone.js';

// Longest gap we look back over: a monthly job still catches up; older misses are history.
const LOOK_BACK_DAYS = 32;

/**
 * The latest minute at or before `before` when the task's schedule fires, in `timeZone`.
 * node-cron only looks forward, so this walks back day by day in the zone over the hours and
 * minutes the expression names, newest first, and lets the task's own matcher decide (day of
 * month, weekday, month, clock changes). Sub-minute schedules are not for period-keyed jobs.
 */
export function previousTrigger(task: Pick<ScheduledTask, 'match' | 'getPattern'>, before: Date, timeZone: string): Date | undefined {
  const fields = parse(task.getPattern());
  const hours = [...fields.hour].sort((a, b) => b - a);
  const minutes = [...fields.minute].sort((a, b) => b - a);
  const today = calendarDay(before, timeZone);
  for (let back = 0; back <= LOOK_BACK_DAYS; back += 1) {
    const day = addDays(today, -back);
    for (const hour of hours) {
      for (const minute of minutes) {
        const candidate = zonedTime(day, timeZone, hour, minute);
        if (candidate.getTime() <= before.getTime() && task.match(candidate)) return candidate;
      }
    }
  }
  return undefined;
}
