import { z } from 'zod';
import type { PgType } from '../store/insert-batch.js';
import { currencyOr, day, instant, money, optionalText, rate, requiredText } from './csv-fields.js';

export const CSV_TARGET_NAMES = ['orders', 'customers', 'touchpoints', 'spend', 'budgets', 'rates'] as const;
export type CsvTargetName = (typeof CSV_TARGET_NAMES)[number];

export interface CsvColumn {
  name: string;
  type: PgType;
  required: boolean;
  /** The header it is read from when --map does not say otherwise (its own name unless given). */
  header: string;
}

/** A data contract table a CSV file can fill: its columns, conflict key and per-row schema. */
export interface CsvTarget {
  table: 'orders' | 'customers' | 'touchpoints' | 'spend' | 'budgets' | 'exchange_rates';
  columns: readonly CsvColumn[];
  key: readonly string[];
  row: z.ZodType<Record<string, unknown>>;
  /** The money column, its currency and the instant or day that picks an exchange rate. */
  money?: { amount: string; currency: string; at: string };
}

const column = (name: string, type: PgType, required = true, header = name): CsvColumn => ({ name, type, required, header });

export function csvTarget(name: CsvTargetName, currency: string): CsvTarget {
  const currencyField = currencyOr(currency);
  switch (name) {
    case 'orders':
      return {
        table: 'orders', key: ['id'],
        columns: [column('id', 'text'), column('customer_id', 'text'), column('ordered_at', 'timestamptz'), column('revenue', 'numeric'), column('currency', 'text', false)],
        row: z.object({ id: requiredText, customer_id: requiredText, ordered_at: instant, revenue: money, currency: currencyField }),
        money: { amount: 'revenue', currency: 'currency', at: 'ordered_at' },
      };
    case 'customers':
      return {
        table: 'customers', key: ['id'],
        columns: [column('id', 'text'), column('first_order_at', 'timestamptz', false), column('country', 'text', false)],
        row: z.object({ id: requiredText, first_order_at: z.string().trim().pipe(z.literal('').transform(() => null).or(instant)), country: optionalText }),
      };
    case 'touchpoints':
      return {
        table: 'touchpoints', key: ['id'],
        columns: [column('id', 'text'), column('customer_id', 'text', false), column('anonymous_id', 'text', false), column('at', 'timestamptz'), column('channel', 'text'),
          ...['source', 'medium', 'campaign', 'device', 'country', 'order_id'].map((name) => column(name, 'text', false))],
        row: z.object({
          id: requiredText, customer_id: optionalText, anonymous_id: optionalText, at: instant, channel: requiredText,
          source: optionalText, medium: optionalText, campaign: optionalText, device: optionalText, country: optionalText, order_id: optionalText,
        }).refine((row) => row.customer_id !== null || row.anonymous_id !== null, 'needs customer_id or anonymous_id'),
      };
    case 'spend':
      return {
        table: 'spend', key: ['day', 'channel', 'campaign'],
        columns: [column('day', 'date'), column('channel', 'text'), column('campaign', 'text', false), column('cost', 'numeric'), column('currency', 'text', false)],
        row: z.object({ day, channel: requiredText, campaign: z.string().trim(), cost: money, currency: currencyField }),
        money: { amount: 'cost', currency: 'currency', at: 'day' },
      };
    case 'budgets':
      return {
        table: 'budgets', key: ['channel', 'period_start'],
        columns: [column('channel', 'text'), column('period_start', 'date'), column('period_end', 'date'), column('cap', 'numeric'), column('currency', 'text', false)],
        row: z.object({ channel: requiredText, period_start: day, period_end: day, cap: money, currency: currencyField })
          .refine((row) => row.period_end >= row.period_start, 'period_end is before period_start'),
        money: { amount: 'cap', currency: 'currency', at: 'period_start' },
      };
    case 'rates':
      return {
        table: 'exchange_rates', key: ['currency', 'day'],
        columns: [column('day', 'date', true, 'date'), column('currency', 'text'), column('rate', 'numeric')],
        row: z.object({
          day,
          currency: currencyOr('').refine((code) => code !== currency, `is the shop's own currency (CURRENCY=${currency}); list the other currencies`),
          rate,
        }),
      };
  }
}
