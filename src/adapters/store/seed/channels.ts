import { pick, pickIndex } from './random.js';
import type { Random } from './random.js';

export const CHANNELS = ['organic_search', 'paid_search', 'paid_social', 'email', 'direct', 'referral', 'affiliate', 'display'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DIRECT_INDEX = CHANNELS.indexOf('direct');

// Weights in CHANNELS order by position in a journey. Prospecting channels open journeys and
// email/direct close them, so first-click, last-click and Markov credit disagree visibly.
const OPENING = [0.22, 0.12, 0.24, 0.04, 0.07, 0.07, 0.08, 0.16];
const MIDDLE = [0.24, 0.2, 0.12, 0.14, 0.1, 0.08, 0.06, 0.06];
const CLOSING = [0.14, 0.2, 0.05, 0.24, 0.25, 0.04, 0.06, 0.02];
const BROWSING = [0.3, 0.14, 0.2, 0.05, 0.1, 0.07, 0.04, 0.1];

export type JourneyPosition = 'opening' | 'middle' | 'closing' | 'browsing';
export const CHANNEL_WEIGHTS: Record<JourneyPosition, readonly number[]> = { opening: OPENING, middle: MIDDLE, closing: CLOSING, browsing: BROWSING };

/** Channel index for a touch at a position in a journey. */
export const pickChannel = (random: Random, position: JourneyPosition): number => pickIndex(random, CHANNEL_WEIGHTS[position]);

export interface Campaign {
  channel: Channel;
  name: string;
  /** Share of the channel's daily spend before seasonal campaigns take their cut. */
  spendShare: number;
}

/** Always-on campaigns; seasonal ones come from `seasonalCampaigns`. */
export const ALWAYS_ON: readonly Campaign[] = [
  { channel: 'paid_search', name: 'brand_search', spendShare: 0.35 },
  { channel: 'paid_search', name: 'generic_search', spendShare: 0.65 },
  { channel: 'paid_social', name: 'prospecting_social', spendShare: 0.6 },
  { channel: 'paid_social', name: 'retargeting_social', spendShare: 0.4 },
  { channel: 'display', name: 'retargeting_display', spendShare: 1 },
  { channel: 'affiliate', name: 'partner_program', spendShare: 1 },
  { channel: 'email', name: 'newsletter_weekly', spendShare: 1 },
];

export interface SeasonalCampaign {
  name: string;
  channels: readonly Channel[];
  startMs: number;
  endMs: number;
}

/** Black Friday (Nov 20 - Dec 1) and a spring sale (Mar 15-31) each year of the window. */
export function seasonalCampaigns(startMs: number, endMs: number): SeasonalCampaign[] {
  const campaigns: SeasonalCampaign[] = [];
  for (let year = new Date(startMs).getUTCFullYear(); year <= new Date(endMs).getUTCFullYear(); year += 1) {
    campaigns.push(
      { name: `spring_sale_${year}`, channels: ['paid_social', 'email'], startMs: Date.UTC(year, 2, 15, 9), endMs: Date.UTC(year, 3, 1) },
      { name: `black_friday_${year}`, channels: ['paid_search', 'paid_social', 'email', 'display'], startMs: Date.UTC(year, 10, 20, 9), endMs: Date.UTC(year, 11, 2) },
    );
  }
  return campaigns.filter((campaign) => campaign.startMs < endMs && campaign.endMs > startMs);
}

export interface TouchSource {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

const SOCIAL_SOURCES = ['facebook', 'instagram', 'tiktok'];
const REFERRERS = ['blog.example.org', 'forum.example.net', 'news.example.com'];

/** source/medium/campaign as an analytics tool would record them for a touch on `channel` at `ms`. */
export function touchSource(random: Random, channel: Channel, ms: number, seasonal: readonly SeasonalCampaign[]): TouchSource {
  const running = seasonal.find((campaign) => campaign.startMs <= ms && ms < campaign.endMs && campaign.channels.includes(channel));
  const campaignOf = (fallback: string): string => (running && random.next() < 0.4 ? running.name : fallback);
  switch (channel) {
    case 'organic_search': return { source: random.next() < 0.9 ? 'google' : 'bing', medium: 'organic', campaign: null };
    case 'paid_search': return { source: 'google', medium: 'cpc', campaign: campaignOf(random.next() < 0.4 ? 'brand_search' : 'generic_search') };
    case 'paid_social': return { source: pick(random, SOCIAL_SOURCES), medium: 'paid_social', campaign: campaignOf(random.next() < 0.6 ? 'prospecting_social' : 'retargeting_social') };
    case 'email': return { source: 'newsletter', medium: 'email', campaign: campaignOf('newsletter_weekly') };
    case 'direct': return { source: '(direct)', medium: '(none)', campaign: null };
    case 'referral': return { source: pick(random, REFERRERS), medium: 'referral', campaign: null };
    case 'affiliate': return { source: 'partnernet', medium: 'affiliate', campaign: 'partner_program' };
    case 'display': return { source: 'google', medium: 'display', campaign: campaignOf('retargeting_display') };
  }
}
