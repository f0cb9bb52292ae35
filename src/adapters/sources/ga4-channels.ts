/** Our channel ids (DESIGN.md data contract); GA4 default channel groups outside these become 'other'. */
export const CHANNEL_IDS = ['organic_search', 'paid_search', 'paid_social', 'email', 'direct', 'referral', 'affiliate', 'display'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number] | 'other';

// Names as GA4 reports sessionDefaultChannelGroup (support.google.com/analytics/answer/9756891).
const GA4_CHANNEL_GROUPS: Readonly<Record<string, ChannelId>> = {
  'Organic Search': 'organic_search',
  'Paid Search': 'paid_search',
  'Paid Social': 'paid_social',
  Email: 'email',
  Direct: 'direct',
  Referral: 'referral',
  Affiliates: 'affiliate',
  Display: 'display',
};

export function channelOfGa4Group(group: string): ChannelId {
  return GA4_CHANNEL_GROUPS[group] ?? 'other';
}
