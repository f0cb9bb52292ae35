import type { ChannelCredit } from './types.js';

export interface ChannelSpend {
  readonly channel: string;
  readonly spend: number;
}

export interface ChannelRoas {
  readonly channel: string;
  readonly revenue: number;
  /** null when no spend was recorded for the channel. */
  readonly spend: number | null;
  /** Attributed revenue / spend; null where there is no spend to divide by. */
  readonly roas: number | null;
}

/**
 * Return on ad spend per channel under one attribution model. Spend and revenue must be in the same
 * currency. Channels with spend but no credit are listed too (ROAS 0): they cost money and earned none.
 */
export function computeRoas(credits: readonly ChannelCredit[], spends: readonly ChannelSpend[]): ChannelRoas[] {
  const spendByChannel = new Map<string, number>();
  for (const { channel, spend } of spends) spendByChannel.set(channel, (spendByChannel.get(channel) ?? 0) + spend);
  const revenueByChannel = new Map(credits.map((credit) => [credit.channel, credit.revenue]));
  const channels = [...new Set([...revenueByChannel.keys(), ...spendByChannel.keys()])];
  return channels.map((channel) => {
    const revenue = revenueByChannel.get(channel) ?? 0;
    const spend = spendByChannel.get(channel) ?? null;
    return { channel, revenue, spend, roas: spend === null || spend === 0 ? null : revenue / spend };
  });
}
