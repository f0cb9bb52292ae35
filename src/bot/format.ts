import type { Locale } from './messages/index.js';

/**
 * Every number, amount, percentage and date a person reads is formatted here, once, with Intl
 * for the chosen locale, currency and time zone. Renderers never format numbers themselves.
 */
export interface Formatter {
  readonly locale: Locale;
  readonly currency: string;
  readonly timeZone: string;
  money(amount: number): string;
  /** Money without cents for large figures in tables and charts (€12,345). */
  moneyRounded(amount: number): string;
  /**
   * Money for a quick read (digests): cents only below 10, whole units below 100,000, compact with
   * three significant digits above (€245k, €1.23m): "€13,540.75" is more precision than a weekly read needs.
   */
  moneyForReading(amount: number): string;
  /** The currency's symbol in this locale, for axis titles: "€", "US$". */
  readonly currencySymbol: string;
  integer(value: number): string;
  number(value: number, fractionDigits?: number): string;
  /** 0.1234 → "12.3%". */
  percent(ratio: number, fractionDigits?: number): string;
  /** A relative change with its sign: 0.052 → "+5.2%"; null (no base) → "n/a". */
  delta(ratio: number | null): string;
  /** Percentage points with sign: 0.012 → "+1.2 pp". */
  points(difference: number | null): string;
  date(value: Date): string;
  dateTime(value: Date): string;
  /** Compact day and hour for chart axes: "23 Nov, 14". */
  hourLabel(value: Date): string;
  /** Compact day for chart axes: "23 Nov". */
  dayLabel(value: Date): string;
  /** A layout-shift score (CLS): two decimals at least, up to four for small ones (0.099576 → "0.0996"). */
  layoutShift(value: number): string;
  /** Milliseconds as seconds for web vitals: 2450 → "2.45 s". */
  seconds(ms: number): string;
  /** A duration in minutes or hours: 95 → "1 h 35 min". */
  duration(minutes: number): string;
  list(items: readonly string[]): string;
}

const MONEY_WITH_CENTS_BELOW = 10;
const MONEY_COMPACT_FROM = 100_000;

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', it: 'it-IT' };

export function createFormatter(locale: Locale, currency: string, timeZone: string): Formatter {
  const tag = INTL_LOCALE[locale];
  const moneyFormat = new Intl.NumberFormat(tag, { style: 'currency', currency });
  const moneyRoundedFormat = new Intl.NumberFormat(tag, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
  const moneyCompactFormat = new Intl.NumberFormat(tag, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 });
  const integerFormat = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(tag, { timeZone, year: 'numeric', month: 'short', day: 'numeric' });
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const hourFormat = new Intl.DateTimeFormat(tag, { timeZone, month: 'short', day: 'numeric', hour: '2-digit', hourCycle: 'h23' });
  const dayFormat = new Intl.DateTimeFormat(tag, { timeZone, month: 'short', day: 'numeric' });
  const listFormat = new Intl.ListFormat(tag, { style: 'long', type: 'conjunction' });
  const fixed = (digits: number) => new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const signed = (digits: number) => new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' });
  const percentFormat = (digits: number) => new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
  const signedPercent = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const notAvailable = locale === 'it' ? 'n.d.' : 'n/a';
  const layoutShiftFormat = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  return {
    locale,
    currency,
    timeZone,
    money: (amount) => moneyFormat.format(amount),
    moneyRounded: (amount) => moneyRoundedFormat.format(amount),
    moneyForReading: (amount) => {
      const size = Math.abs(amount);
      if (size < MONEY_WITH_CENTS_BELOW) return moneyFormat.format(amount);
      return size < MONEY_COMPACT_FROM ? moneyRoundedFormat.format(amount) : moneyCompactFormat.format(amount);
    },
    currencySymbol: moneyFormat.formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency,
    integer: (value) => integerFormat.format(value),
    number: (value, fractionDigits = 1) => fixed(fractionDigits).format(value),
    percent: (ratio, fractionDigits = 1) => percentFormat(fractionDigits).format(ratio),
    delta: (ratio) => (ratio === null || !Number.isFinite(ratio) ? notAvailable : signedPercent.format(ratio)),
    points: (difference) => (difference === null || !Number.isFinite(difference) ? notAvailable : `${signed(1).format(difference * 100)} pp`),
    date: (value) => dateFormat.format(value),
    dateTime: (value) => dateTimeFormat.format(value),
    hourLabel: (value) => hourFormat.format(value),
    dayLabel: (value) => dayFormat.format(value),
    seconds: (ms) => `${fixed(2).format(ms / 1000)} s`,
    layoutShift: (value) => layoutShiftFormat.format(value),
    duration: (minutes) => {
      const rounded = Math.round(minutes);
      if (rounded < 60) return `${rounded} min`;
      const hours = Math.floor(rounded / 60);
      const rest = rounded % 60;
      return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
    },
    list: (items) => listFormat.format(items),
  };
}
