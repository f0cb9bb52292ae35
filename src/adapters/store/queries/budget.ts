import type { BudgetData, BudgetSpend } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

/** Budget caps with the spend booked against each so far; days are YYYY-MM-DD, inclusive. */
export function budgetQueries(db: Db): BudgetData {
  return {
    async budgetsOverlapping(firstDay: string, lastDay: string, spendThrough: string): Promise<BudgetSpend[]> {
      const rows = await db.query<{ channel: string; period_start: string; period_end: string; cap: number; spend_to_date: number }>(
        `SELECT b.channel, to_char(b.period_start, 'YYYY-MM-DD') AS period_start, to_char(b.period_end, 'YYYY-MM-DD') AS period_end,
                b.cap::float8 AS cap,
                coalesce((SELECT sum(s.cost) FROM spend s
                           WHERE s.channel = b.channel AND s.day >= b.period_start AND s.day <= least(b.period_end, $3::date)), 0)::float8 AS spend_to_date
           FROM budgets b
          WHERE b.period_start <= $2::date AND b.period_end >= $1::date
          ORDER BY b.channel, b.period_start`,
        [firstDay, lastDay, spendThrough],
      );
      return rows.map((row) => ({
        channel: row.channel, periodStart: row.period_start, periodEnd: row.period_end, cap: row.cap, spendToDate: row.spend_to_date,
      }));
    },
  };
}
