import { describe, expect, it } from 'vitest';
import { isoWeekKey, minuteSlotKey } from '../../src/jobs/period-key.js';

describe('period keys', () => {
  it('names the ISO week: Thursday 26 Nov 2026 is in week 48 (1 Jan 2026 is a Thursday, so week 1 holds it)', () => {
    expect(isoWeekKey(new Date('2026-11-26T12:00:00Z'), 'UTC')).toBe('2026-W48');
  });

  it('gives the days around New Year to the year of their Thursday', () => {
    // 2026 starts on a Thursday, so it has 53 ISO weeks; Friday 1 Jan 2027 is in its last one.
    expect(isoWeekKey(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    // Monday 30 Dec 2024 starts the week of Thursday 2 Jan 2025.
    expect(isoWeekKey(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });

  it('reads the week on the configured time zone calendar', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Rome (CET, UTC+1).
    const lateSunday = new Date('2026-11-29T23:30:00Z');
    expect(isoWeekKey(lateSunday, 'UTC')).toBe('2026-W48');
    expect(isoWeekKey(lateSunday, 'Europe/Rome')).toBe('2026-W49');
  });

  it('cuts time into UTC slots of five minutes', () => {
    const fiveMinutes = minuteSlotKey(5);
    expect(fiveMinutes(new Date('2026-11-26T10:07:59Z'))).toBe('2026-11-26T10:05Z');
    expect(fiveMinutes(new Date('2026-11-26T10:10:00Z'))).toBe('2026-11-26T10:10Z');
  });
});
