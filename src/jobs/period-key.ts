import { MINUTE_MS } from '../analytics/time.js';
export { isoWeekKey } from '../bot/time-zone.js';

/**
 * The slot of `minutes` an instant falls in, in UTC: '2026-11-26T10:05Z'. UTC, because local
 * clocks repeat an hour in autumn and two runs must never share a key; every zone's offset is a
 * whole multiple of 15 minutes, so 5- and 15-minute slots start on the same instants everywhere.
 */
export function minuteSlotKey(minutes: number): (asOf: Date) => string {
  const slotMs = minutes * MINUTE_MS;
  return (asOf) => new Date(Math.floor(asOf.getTime() / slotMs) * slotMs).toISOString().slice(0, 16) + 'Z';
}
