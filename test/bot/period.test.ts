import { describe, expect, it } from 'vitest';
import { MAX_PERIOD_DAYS, parsePeriodAt } from '../../src/bot/period.js';

const now = new Date('2026-11-26T10:30:00Z');
const parse = (text: string, timeZone = 'UTC') => parsePeriodAt(text.split(' '), now, timeZone);
const range = (text: string, timeZone = 'UTC') => {
  const result = parse(text, timeZone);
  if (!result.ok) throw new Error(`not parsed: ${text}`);
  const { current, previous } = result.period;
  return { start: current.start.toISOString(), end: current.end.toISOString(), previousStart: previous.start.toISOString(), label: current.label, used: result.used };
};

describe('periods', () => {
  it('reads "last 30d" as the 30 whole days before today, compared with the 30 days before that', () => {
    // Today is 2026-11-26; 30 days back from its midnight is 2026-10-27; the previous 30 days start 2026-09-27.
    expect(range('last 30d')).toMatchObject({ start: '2026-10-27T00:00:00.000Z', end: '2026-11-26T00:00:00.000Z', previousStart: '2026-09-27T00:00:00.000Z', label: 'last 30d', used: 2 });
  });

  it('reads spelled-out and Italian windows the same way', () => {
    expect(range('last 4 weeks').start).toBe(range('last 4w').start);
    expect(range('ultimi 30 giorni').start).toBe(range('last 30d').start);
    expect(range('last 4w').start).toBe('2026-10-29T00:00:00.000Z');
  });

  it('reads "this month" as month to date and "last month" as the previous calendar month', () => {
    expect(range('this month')).toMatchObject({ start: '2026-11-01T00:00:00.000Z', end: now.toISOString() });
    expect(range('last month')).toMatchObject({ start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' });
    expect(range('ultimo mese').start).toBe('2026-10-01T00:00:00.000Z');
    expect(range('mese scorso').start).toBe('2026-10-01T00:00:00.000Z');
  });

  it('reads explicit ranges inclusively and "since" up to now', () => {
    expect(range('2026-10-01..2026-10-31')).toMatchObject({ start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z', previousStart: '2026-08-31T00:00:00.000Z' });
    expect(range('since 2026-01-01')).toMatchObject({ start: '2026-01-01T00:00:00.000Z', end: now.toISOString() });
  });

  it('puts day boundaries at midnight of the configured time zone, across a DST change', () => {
    // Rome is UTC+1 in November and UTC+2 until 25 October 2026.
    expect(range('last 7d', 'Europe/Rome')).toMatchObject({ start: '2026-11-18T23:00:00.000Z', end: '2026-11-25T23:00:00.000Z' });
    expect(range('2026-10-20..2026-10-26', 'Europe/Rome')).toMatchObject({ start: '2026-10-19T22:00:00.000Z', end: '2026-10-26T23:00:00.000Z' });
  });

  it('refuses impossible dates, reversed ranges and absurd lengths', () => {
    expect(parse('2026-02-30..2026-03-01')).toMatchObject({ ok: false, reason: 'bad_period' });
    expect(parse('2026-10-31..2026-10-01')).toMatchObject({ ok: false, reason: 'order' });
    expect(parse('last 0d')).toMatchObject({ ok: false, reason: 'bad_period' });
    expect(parse('last 99999d')).toMatchObject({ ok: false, reason: 'too_long', days: 99999, maxDays: 3660 });
    expect(parse('last 3 fortnights')).toMatchObject({ ok: false, reason: 'bad_period' });
    expect(parse('since 2027-01-01')).toMatchObject({ ok: false, reason: 'order' });
    expect(parse('banana')).toMatchObject({ ok: false, reason: 'not_a_period' });
  });

  it('caps every period at MAX_PERIOD_DAYS (3660 days), however it is spelled', () => {
    expect(range('last 3660d').start).toBe('2016-11-18T00:00:00.000Z');
    expect(parse('last 3661d')).toMatchObject({ ok: false, reason: 'too_long', days: 3661, maxDays: 3660 });
    expect(parse('last 523w')).toMatchObject({ ok: false, reason: 'too_long', days: 3661 });
    expect(parse('since 1900-01-01')).toMatchObject({ ok: false, reason: 'too_long', text: 'since 1900-01-01', maxDays: MAX_PERIOD_DAYS });
    // Without the cap the comparison period would start in 6200 BC, before PostgreSQL's first day.
    expect(parse('1900-01-01..9999-12-31')).toMatchObject({ ok: false, reason: 'too_long', days: 2_958_464 });
    expect(parse('2026-01-01..10000-01-01')).toMatchObject({ ok: false, reason: 'not_a_period' });
    expect(parse('0050-01-01..0050-01-02')).toMatchObject({ ok: false, reason: 'bad_period' });
    // Ten calendar years in Rome are ten years of days although the clocks changed in between.
    expect(parsePeriodAt(['2016-03-01..2026-03-07'], now, 'Europe/Rome')).toMatchObject({ ok: true });
  });

  it('takes a command\'s own, shorter cap and names it', () => {
    expect(parsePeriodAt(['last', '366d'], now, 'UTC', 366)).toMatchObject({ ok: true });
    expect(parsePeriodAt(['last', '367d'], now, 'UTC', 366)).toMatchObject({ ok: false, reason: 'too_long', days: 367, maxDays: 366 });
    expect(parsePeriodAt(['last', '99999d'], now, 'UTC', 366)).toMatchObject({ ok: false, reason: 'too_long', maxDays: 366 });
  });
});
