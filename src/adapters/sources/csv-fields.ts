import { z } from 'zod';

/** Parsers from CSV text to column values; each says what it expected when it refuses. */
export const requiredText = z.string().trim().min(1, 'is empty').max(500);
export const optionalText = z.string().trim().max(500).transform((value) => (value === '' ? null : value));

// Days as 2026-11-25 or 20261125 (the compact form exports like CDNOW use).
const DAY = /^(\d{4})-?(\d{2})-?(\d{2})$/;

export const day = z.string().trim().transform((value, ctx) => {
  const match = DAY.exec(value);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    ctx.addIssue({ code: 'custom', message: `expected a date like 2026-11-25 or 20261125, got "${value}"` });
    return z.NEVER;
  }
  return iso;
});

/** An instant with an offset (ISO 8601), or a bare day read as midnight UTC. */
export const instant = z.string().trim().transform((value, ctx) => {
  if (DAY.test(value)) {
    const parsed = day.safeParse(value);
    if (parsed.success) return new Date(`${parsed.data}T00:00:00Z`);
  } else if (z.iso.datetime({ offset: true }).safeParse(value).success) {
    return new Date(value);
  }
  ctx.addIssue({ code: 'custom', message: `expected a time like 2026-11-25T14:30:00Z or a date, got "${value}"` });
  return z.NEVER;
});

/** The money columns are numeric(14, 2): twelve digits before the point. */
const MAX_MONEY_DIGITS = 12;

export const money = z.string().trim()
  .regex(/^\d+(\.\d{1,2})?$/, 'expected a non-negative amount like 12.50')
  .refine((value) => value.replace(/^0+(?=\d)/, '').split('.')[0]!.length <= MAX_MONEY_DIGITS, { error: (issue) => `${String(issue.input)} is too large: at most ${MAX_MONEY_DIGITS} digits before the decimal point` })
  .transform(Number);

/** An exchange rate (exchange_rates.rate is numeric(20, 10)): units of a currency per unit of the shop's. */
export const rate = z.string().trim()
  .regex(/^\d{1,10}(\.\d{1,10})?$/, 'expected a positive rate like 1.0956 (units of that currency for one unit of CURRENCY)')
  .transform(Number)
  .refine((value) => value > 0, 'must be above 0');

export const currencyOr = (fallback: string) => z.string().trim().transform((value) => value.toUpperCase() || fallback).pipe(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like EUR'));
