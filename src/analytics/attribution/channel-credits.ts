import type { AttributionPath, ChannelCredit } from './types.js';

export type CreditLedger = Map<string, { conversions: number; revenue: number }>;

/**
 * Starts at zero for every channel seen in any path, converting or not, so that every model lists the
 * same channels and `attribution compare` can line them up.
 */
export function openLedger(paths: readonly AttributionPath[]): CreditLedger {
  const ledger: CreditLedger = new Map();
  for (const path of paths) {
    for (const channel of path.channels) {
      if (!ledger.has(channel)) ledger.set(channel, { conversions: 0, revenue: 0 });
    }
  }
  return ledger;
}

export function addCredit(ledger: CreditLedger, channel: string, conversions: number, revenue: number): void {
  const entry = ledger.get(channel);
  if (entry === undefined) throw new Error(`channel ${channel} is missing from the ledger`);
  entry.conversions += conversions;
  entry.revenue += revenue;
}

/** Most conversions first; ties by channel name so the order never depends on input order. */
export function closeLedger(ledger: CreditLedger): ChannelCredit[] {
  return [...ledger]
    .map(([channel, credit]) => ({ channel, conversions: credit.conversions, revenue: credit.revenue }))
    .sort((a, b) => b.conversions - a.conversions || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
}
