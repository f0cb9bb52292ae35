import { describe, expect, it } from 'vitest';
import type { DigestSchedule } from '../../../src/bot/digest/schedule.js';
import { digestWeek, dueSlot, slotOfWeek } from '../../../src/bot/digest/schedule.js';

const longAgo = new Date('2026-01-01T00:00:00Z');
const schedule = (weekday: number, localTime: string, timeZone: string, createdAt = longAgo): DigestSchedule => ({ weekday, localTime, timeZone, createdAt });

describe('digest slots', () => {
  it('puts Monday 09:00 in Rome at 08:00 UTC in winter (CET, UTC+1) and in ISO week 49', () => {
    expect(slotOfWeek(schedule(1, '09:00', 'Europe/Rome'), new Date('2026-12-02T12:00:00Z')))
      .toEqual({ weekKey: '2026-W49', scheduledAt: new Date('2026-11-30T08:00:00Z') });
  });

  it('puts Monday 09:00 in Rome at 07:00 UTC the day after clocks went forward (CEST, UTC+2, from 29 Mar 2026)', () => {
    expect(slotOfWeek(schedule(1, '09:00', 'Europe/Rome'), new Date('2026-04-01T12:00:00Z')).scheduledAt).toEqual(new Date('2026-03-30T07:00:00Z'));
  });

  it('is due from its minute on, not a minute before', () => {
    const rome = schedule(1, '09:00', 'Europe/Rome');
    expect(dueSlot(rome, new Date('2026-11-30T07:59:00Z'))).toBeUndefined();
    expect(dueSlot(rome, new Date('2026-11-30T08:00:00Z'))?.weekKey).toBe('2026-W49');
  });

  it('keeps a Sunday evening slot in the subscriber\'s week while UTC is already on Monday', () => {
    // 04:30 UTC on Monday 7 Dec is 23:30 on Sunday 6 Dec in New York (EST, UTC−5): still week 49 there.
    expect(dueSlot(schedule(0, '18:00', 'America/New_York'), new Date('2026-12-07T04:30:00Z')))
      .toEqual({ weekKey: '2026-W49', scheduledAt: new Date('2026-12-06T23:00:00Z') });
  });

  it('finds a Monday morning in Auckland on Sunday evening UTC (NZDT, UTC+13)', () => {
    expect(dueSlot(schedule(1, '09:00', 'Pacific/Auckland'), new Date('2026-11-29T20:00:00Z')))
      .toEqual({ weekKey: '2026-W49', scheduledAt: new Date('2026-11-29T20:00:00Z') });
  });

  it('owes nothing for a slot that passed before the subscription was made', () => {
    const madeOnTuesday = schedule(1, '09:00', 'UTC', new Date('2026-12-01T10:00:00Z'));
    expect(dueSlot(madeOnTuesday, new Date('2026-12-03T10:00:00Z'))).toBeUndefined();
    expect(dueSlot(madeOnTuesday, new Date('2026-12-07T09:00:00Z'))?.weekKey).toBe('2026-W50');
  });
});

describe('digest week', () => {
  it('covers the seven days before a Monday digest, the same weekdays 52 weeks earlier, and the month of the last day', () => {
    const week = digestWeek(new Date('2026-11-30T08:00:00Z'), 'UTC');
    expect(week).toEqual({
      first: '2026-11-23', last: '2026-11-29',
      previousFirst: '2026-11-16', previousLast: '2026-11-22',
      // 364 days before Monday 23 Nov 2026 is Monday 24 Nov 2025.
      yearAgoFirst: '2025-11-24', yearAgoLast: '2025-11-30',
      monthFirst: '2026-11-01', monthLast: '2026-11-30',
      start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z'),
      previous: { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') },
      yearAgo: { start: new Date('2025-11-24T00:00:00Z'), end: new Date('2025-12-01T00:00:00Z') },
    });
  });

  it('takes its days in the bot\'s time zone and rolls the month over the new year', () => {
    const week = digestWeek(new Date('2027-01-04T08:00:00Z'), 'Europe/Rome');
    expect([week.first, week.last, week.monthFirst, week.monthLast]).toEqual(['2026-12-28', '2027-01-03', '2027-01-01', '2027-01-31']);
    expect(week.start).toEqual(new Date('2026-12-27T23:00:00Z'));
    const december = digestWeek(new Date('2026-12-28T08:00:00Z'), 'UTC');
    expect([december.monthFirst, december.monthLast]).toEqual(['2026-12-01', '2026-12-31']);
  });
});
