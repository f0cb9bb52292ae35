import { CHANNELS } from './channels.js';
import { HOUR_MS } from '../../../analytics/time.js';
import type { ShopCalendar } from './calendar.js';

/**
 * What analytics would have seen of the backend orders, kept as fixed-size arrays while customers
 * stream past: per day and channel for reported conversions, per hour for the recent event window.
 */
export class ShopTally {
  readonly dayOrders: Int32Array;
  readonly dayChannelCaptured: Int32Array;
  readonly dayChannelCapturedRevenue: Float64Array;
  readonly hourOrders: Int32Array;
  readonly hourCaptured: Int32Array;
  readonly firstHourMs: number;
  orders = 0;

  constructor(private readonly calendar: ShopCalendar, recentHours: number) {
    this.dayOrders = new Int32Array(calendar.days);
    this.dayChannelCaptured = new Int32Array(calendar.days * CHANNELS.length);
    this.dayChannelCapturedRevenue = new Float64Array(calendar.days * CHANNELS.length);
    this.hourOrders = new Int32Array(recentHours);
    this.hourCaptured = new Int32Array(recentHours);
    this.firstHourMs = calendar.endMs - recentHours * HOUR_MS;
  }

  /** Records one order: `channel` is its last non-direct touch, `isCaptured` whether analytics saw it. */
  addOrder(orderedAtMs: number, channel: number, revenue: number, isCaptured: boolean): void {
    this.addOrders(orderedAtMs, channel, { orders: 1, captured: isCaptured ? 1 : 0, capturedRevenue: isCaptured ? revenue : 0 });
  }

  /** Records orders of one hour and channel at once, as a generator that counts in SQL reports them. */
  addOrders(orderedAtMs: number, channel: number, counts: { orders: number; captured: number; capturedRevenue: number }): void {
    const day = this.calendar.dayIndex(orderedAtMs);
    this.orders += counts.orders;
    this.dayOrders[day] = (this.dayOrders[day] ?? 0) + counts.orders;
    const hour = Math.floor((orderedAtMs - this.firstHourMs) / HOUR_MS);
    if (hour >= 0) this.hourOrders[hour] = (this.hourOrders[hour] ?? 0) + counts.orders;
    if (counts.captured === 0) return;
    const cell = day * CHANNELS.length + channel;
    this.dayChannelCaptured[cell] = (this.dayChannelCaptured[cell] ?? 0) + counts.captured;
    this.dayChannelCapturedRevenue[cell] = (this.dayChannelCapturedRevenue[cell] ?? 0) + counts.capturedRevenue;
    if (hour >= 0) this.hourCaptured[hour] = (this.hourCaptured[hour] ?? 0) + counts.captured;
  }
}
