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

/** A session's traffic source as GA4 collects it (utm_source, utm_medium, utm_campaign). */
export interface TrafficSource {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

// GA4's source categories are long lists it maintains (SOURCE_CATEGORY_SHOPPING, _SEARCH, _SOCIAL,
// _VIDEO in Google's downloadable list); these are their most common entries, matched on the
// source's name or domain (google, google.com, www.google.de and m.facebook.com all match).
const SHOPPING_SOURCES = ['alibaba', 'amazon', 'ebay', 'etsy', 'google shopping', 'igshopping', 'mercadolibre', 'shop.app', 'shopify', 'shopzilla', 'stripe', 'walmart'];
const SEARCH_SOURCES = ['360.cn', 'aol', 'ask', 'baidu', 'bing', 'daum', 'duckduckgo', 'ecosia', 'google', 'naver', 'qwant', 'seznam', 'startpage', 'yahoo', 'yandex'];
const SOCIAL_SOURCES = ['badoo', 'facebook', 'fb', 'instagram', 'ig', 'linkedin', 'lnkd.in', 'meta', 'pinterest', 'quora', 'reddit', 'snapchat', 't.co', 'threads', 'tiktok', 'tumblr', 'twitter', 'vk', 'whatsapp', 'x', 'xing'];
const VIDEO_SOURCES = ['dailymotion', 'disneyplus', 'netflix', 'twitch', 'vimeo', 'youtube'];

/** GA4's patterns, applied to lower-cased values: its channel definitions are not case sensitive. */
const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const SHOPPING_CAMPAIGN = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS = new Set(['social', 'social-network', 'social-media', 'sm', 'social network', 'social media']);
const EMAIL_NAMES = new Set(['email', 'e-mail', 'e_mail', 'e mail']);

/** Whether `source` is one of `names`, or a host with one of them as a label before its top-level domain (www.google.de, de.search.yahoo.com). */
function isSourceIn(source: string, names: readonly string[]): boolean {
  const labels = source.split('.').slice(0, -1);
  return names.some((name) => source === name || labels.includes(name));
}

/**
 * GA4's default channel group of a session from its source, medium and campaign: the rules for
 * manual traffic of support.google.com/analytics/answer/9756891, first match wins, in GA4's order.
 */
export function defaultChannelGroup(traffic: TrafficSource): string {
  const source = (traffic.source ?? '').toLowerCase();
  const medium = (traffic.medium ?? '').toLowerCase();
  const campaign = (traffic.campaign ?? '').toLowerCase();
  const isShopping = isSourceIn(source, SHOPPING_SOURCES) || SHOPPING_CAMPAIGN.test(campaign);
  const isSearch = isSourceIn(source, SEARCH_SOURCES);
  const isSocial = isSourceIn(source, SOCIAL_SOURCES);
  const isVideo = isSourceIn(source, VIDEO_SOURCES);
  const isPaid = PAID_MEDIUM.test(medium);
  if (source === '(direct)' && (medium === '(none)' || medium === '(not set)' || medium === '')) return 'Direct';
  if (campaign.includes('cross-network')) return 'Cross-network';
  if (isShopping && isPaid) return 'Paid Shopping';
  if (isSearch && isPaid) return 'Paid Search';
  if (isSocial && isPaid) return 'Paid Social';
  if (isVideo && isPaid) return 'Paid Video';
  if (DISPLAY_MEDIUMS.has(medium)) return 'Display';
  if (isPaid) return 'Paid Other';
  if (isShopping) return 'Organic Shopping';
  if (isSocial || SOCIAL_MEDIUMS.has(medium)) return 'Organic Social';
  if (isVideo || medium.includes('video')) return 'Organic Video';
  if (isSearch || medium === 'organic') return 'Organic Search';
  if (medium === 'referral' || medium === 'app' || medium === 'link') return 'Referral';
  if (EMAIL_NAMES.has(source) || EMAIL_NAMES.has(medium)) return 'Email';
  if (medium === 'affiliate') return 'Affiliates';
  if (medium === 'audio') return 'Audio';
  if (source === 'sms' || medium === 'sms') return 'SMS';
  if (medium.endsWith('push') || medium.includes('mobile') || medium.includes('notification') || source === 'firebase') return 'Mobile Push Notifications';
  return 'Unassigned';
}
