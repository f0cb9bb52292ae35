import type { OrderFixture } from './fixtures.js';

/**
 * The RFM shop scored by hand in test/bot/commands/rfm.test.ts (the working is there): six customers
 * whose segments on 30 Sep and 31 Oct are known. As of 31 Oct: P and T at risk (600 + 200), Q and R
 * potential loyalists (100 + 60), S about to sleep (40), U lost (5).
 */
export const RFM_OCTOBER_ORDERS: readonly OrderFixture[] = [
  { id: 'p1', customer: 'P', at: '2026-09-28T10:00:00Z', revenue: 300 },
  { id: 'p2', customer: 'P', at: '2026-09-29T10:00:00Z', revenue: 300 },
  { id: 't1', customer: 'T', at: '2026-09-15T10:00:00Z', revenue: 100 },
  { id: 'q1', customer: 'Q', at: '2026-09-01T10:00:00Z', revenue: 50 },
  { id: 'r1', customer: 'R', at: '2026-08-01T10:00:00Z', revenue: 20 },
  { id: 's1', customer: 'S', at: '2026-07-01T10:00:00Z', revenue: 10 },
  { id: 'q2', customer: 'Q', at: '2026-10-30T10:00:00Z', revenue: 50 },
  { id: 'r2', customer: 'R', at: '2026-10-29T10:00:00Z', revenue: 40 },
  { id: 's2', customer: 'S', at: '2026-10-28T10:00:00Z', revenue: 30 },
  { id: 't2', customer: 'T', at: '2026-10-27T10:00:00Z', revenue: 100 },
  { id: 'u1', customer: 'U', at: '2026-10-20T10:00:00Z', revenue: 5 },
];

/** The churn shop of test/bot/commands/churn.test.ts, as of 10 Jan 2026 in days. */
export const CHURN_JANUARY_ORDERS: readonly OrderFixture[] = [
  // A: days 1 and 2 of January, as of the 10th: x = 1, tx = 1, T = 9; repeat value 50
  { id: 'a1', customer: 'A', at: '2026-01-01T10:00:00Z', revenue: 100 },
  { id: 'a2', customer: 'A', at: '2026-01-02T10:00:00Z', revenue: 50 },
  // B: days 1 and 9: x = 1, tx = 8, T = 9; repeat value 30
  { id: 'b1', customer: 'B', at: '2026-01-01T11:00:00Z', revenue: 20 },
  { id: 'b2', customer: 'B', at: '2026-01-09T11:00:00Z', revenue: 30 },
  // C and D bought once
  { id: 'c1', customer: 'C', at: '2026-01-05T11:00:00Z', revenue: 10 },
  { id: 'd1', customer: 'D', at: '2026-01-06T11:00:00Z', revenue: 10 },
];
