import { calendarDay, isoDay } from '../../bot/time-zone.js';
import type { Db } from '../store/db.js';

/** The shop's one currency and the zone whose calendar days pick a rate. */
export interface ShopCurrency {
  currency: string;
  timeZone: string;
}

/** An amount as a source delivered it: its currency, and the instant or day (YYYY-MM-DD) it belongs to. */
export interface SourceAmount {
  amount: number;
  currency: string;
  at: Date | string;
}

export type Conversion = { ok: true; amount: number } | { ok: false; reason: string };

export const RATES_HINT = 'import rates with mkt import rates <file.csv>';

/**
 * Each amount in the shop's currency: unchanged when it already is, else divided by the rate
 * (exchange_rates, migration 012) of its day in the shop's time zone or the last day before it
 * with one, rounded half up to cents. Without such a rate the amount is refused, naming the currency and
 * the day: an amount is never relabelled as the shop's currency.
 */
export async function toShopCurrency(db: Db, amounts: readonly SourceAmount[], shop: ShopCurrency): Promise<Conversion[]> {
  const foreign = amounts.flatMap((item, index) => (item.currency === shop.currency ? [] : [{ index, currency: item.currency, day: dayOf(item.at, shop.timeZone) }]));
  // Divided in numeric, not float: EUR 15.90 at 0.8 is USD 19.875, which rounds half up to 19.88.
  const rates = foreign.length === 0 ? [] : await db.query<{ i: number; converted: number | null }>(
    `SELECT t.i::int AS i, round(t.amount / r.rate, 2) AS converted
       FROM unnest($1::text[], $2::date[], $3::numeric[]) WITH ORDINALITY AS t(currency, day, amount, i)
       LEFT JOIN LATERAL (SELECT e.rate FROM exchange_rates e WHERE e.currency = t.currency AND e.day <= t.day ORDER BY e.day DESC LIMIT 1) r ON true`,
    [foreign.map((item) => item.currency), foreign.map((item) => item.day), foreign.map((item) => String(amounts[item.index]!.amount))],
  );
  const conversions: Conversion[] = amounts.map((item) => ({ ok: true, amount: item.amount }));
  for (const { i, converted } of rates) {
    const item = foreign[i - 1]!;
    const amount = amounts[item.index]!.amount;
    conversions[item.index] = converted === null
      ? { ok: false, reason: `${item.currency} ${amount} cannot be converted to ${shop.currency}: no ${item.currency} rate on or before ${item.day}; ${RATES_HINT}` }
      : { ok: true, amount: converted };
  }
  return conversions;
}

function dayOf(at: Date | string, timeZone: string): string {
  return typeof at === 'string' ? at : isoDay(calendarDay(at, timeZone));
}
