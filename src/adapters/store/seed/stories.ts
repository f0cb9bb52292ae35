import { startOfUtcDay } from './calendar.js';
import type { Channel } from './channels.js';
import { MINUTE_MS, HOUR_MS, DAY_MS, WEEK_MS } from '../../../analytics/time.js';

export const GTM_CONTAINER = 'GTM-K7Q2D9X';
// Versions count from a fixed Monday, three numbers a week, so a publish keeps its ref whatever the history length.
const GTM_EPOCH_MS = Date.UTC(2020, 0, 6);

export interface ThirdPartyTag {
  name: string;
  type: string;
  domains: string[];
  /** What the tag adds to an affected page's lab run on mobile; desktop gets about half. */
  lcpMs: number;
  tbtMs: number;
  thirdPartyMs: number;
  thirdPartyBytes: number;
}

export const CHAT_WIDGET: ThirdPartyTag = {
  name: 'Chat widget - ChatLoop', type: 'html', domains: ['widget.chatloop.example', 'cdn.chatloop.example'],
  lcpMs: 1250, tbtMs: 260, thirdPartyMs: 820, thirdPartyBytes: 312_000,
};
export const SESSION_REPLAY: ThirdPartyTag = {
  name: 'Session replay - ReplayHQ', type: 'html', domains: ['rec.replayhq.example'],
  lcpMs: 150, tbtMs: 70, thirdPartyMs: 160, thirdPartyBytes: 96_000,
};

export interface DemoStories {
  /** (a) A deploy breaks the purchase event until a hotfix; backend orders carry on. */
  trackingOutage: { deployRef: string; deployAt: Date; startsAt: Date; endsAt: Date; hotfixRef: string; hotfixAt: Date };
  /** (b) A tag-manager publish adds two third-party tags; a later publish removes the chat widget. */
  lcpRegression: {
    publishRef: string; publishAt: Date; added: ThirdPartyTag[];
    removalRef: string; removalAt: Date; removed: ThirdPartyTag[];
    affectedUrls: string[];
  };
  /** Channels spending faster than their cap this calendar month. */
  overpacingChannels: Channel[];
}

export const SHOP_ORIGIN = 'https://shop.example';
export const PAGE_PATHS = ['/', '/products', '/product/widget', '/cart', '/checkout'];
// The new tags fire on browsing pages; cart and checkout load a stripped-down template.
const AFFECTED_PATHS = ['/', '/products', '/product/widget'];

/** GTM version number for a publish at `ms`: `slot` 0 for the weekly publish, 1 and 2 for extra ones that week. */
export function gtmVersion(ms: number, slot: 0 | 1 | 2): number {
  return 3 * Math.floor((ms - GTM_EPOCH_MS) / WEEK_MS) + slot + 1;
}

export const gtmRef = (version: number): string => `${GTM_CONTAINER} v${version}`;

/** The scripted stories for a shop seeded up to `end`; seedDemo injects exactly these when stories are on. */
export function demoStories(end: Date): DemoStories {
  const today = startOfUtcDay(end.getTime());
  const deployAt = today - 3 * DAY_MS + 14 * HOUR_MS + 2 * MINUTE_MS;
  const startsAt = deployAt + 6 * MINUTE_MS;
  const hotfixAt = startsAt + 8 * HOUR_MS;
  const publishAt = today - 12 * DAY_MS + 10 * HOUR_MS;
  const removalAt = today - 5 * DAY_MS + 11 * HOUR_MS + 30 * MINUTE_MS;
  return {
    trackingOutage: {
      deployRef: '4e1d7a2', deployAt: new Date(deployAt), startsAt: new Date(startsAt),
      hotfixRef: '9b3c5f0', hotfixAt: new Date(hotfixAt), endsAt: new Date(hotfixAt + 4 * MINUTE_MS),
    },
    lcpRegression: {
      publishRef: gtmRef(gtmVersion(publishAt, 1)), publishAt: new Date(publishAt), added: [CHAT_WIDGET, SESSION_REPLAY],
      removalRef: gtmRef(gtmVersion(removalAt, 2)), removalAt: new Date(removalAt), removed: [CHAT_WIDGET],
      affectedUrls: AFFECTED_PATHS.map((path) => SHOP_ORIGIN + path),
    },
    overpacingChannels: ['paid_social', 'display'],
  };
}

/** Lab-run extras on a page at `ms`: the tags the regression story has live then (none without stories). */
export function liveStoryTags(stories: DemoStories | undefined, url: string, ms: number): ThirdPartyTag[] {
  if (!stories) return [];
  const story = stories.lcpRegression;
  if (!story.affectedUrls.includes(url) || ms < story.publishAt.getTime()) return [];
  if (ms < story.removalAt.getTime()) return story.added;
  return story.added.filter((tag) => !story.removed.includes(tag));
}
