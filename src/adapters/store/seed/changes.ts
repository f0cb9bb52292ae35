import { startOfUtcDay } from './calendar.js';
import type { SeasonalCampaign } from './channels.js';
import { hexString, integerBetween, pick } from './random.js';
import type { Random } from './random.js';
import type { SeedWriter } from './seed-writer.js';
import { GTM_CONTAINER, gtmRef, gtmVersion } from './stories.js';
import type { DemoStories, ThirdPartyTag } from './stories.js';
import { MINUTE_MS, HOUR_MS, DAY_MS, WEEK_MS } from '../../../analytics/time.js';

const DEVELOPERS = ['maria.keller', 'jonas.brandt', 'lea.moreau', 'tom.richter', 'sofia.rossi'];
const MARKETERS = ['anna.vogel', 'marc.dubois', 'julia.santos'];
const DEPLOY_SUMMARIES = [
  'Product page: lazy-load review images', 'Search: fix pagination on filtered results', 'Bump payment SDK to 4.2',
  'Cart: show delivery estimate', 'Account: new address form validation', 'Upgrade framework minor version',
  'Catalog: faster category queries', 'Newsletter signup: double opt-in copy', 'Fix currency rounding in mini cart',
  'Images: serve AVIF where supported', 'Checkout: clearer error on declined cards', 'Footer: legal links update',
];
const ROUTINE_PUBLISHES = [
  'Updated GA4 configuration tag parameters', 'Renamed triggers for newsletter signup', 'Paused outdated remarketing audience tag',
  'Updated consent mode defaults for FR', 'Fixed scroll-depth trigger thresholds', 'Added view_item_list parameters',
];
const COMMIT_URL = 'https://git.example/shop/commit/';
const GTM_VERSIONS_URL = 'https://tagmanager.google.com/#/container/accounts/6001/containers/9001/versions/';
// Routine weekly publishes go out Monday morning; one is skipped if a story publish falls that close to it.
const PUBLISH_HOUR = 9;
const STORY_CLEARANCE_MS = 36 * HOUR_MS;
const MONDAY = 1;

const firstMondayMs = (ms: number): number => startOfUtcDay(ms) + ((MONDAY - new Date(ms).getUTCDay() + 7) % 7) * DAY_MS;
const tagDetail = (tag: ThirdPartyTag): { name: string; type: string; domains: string[] } => ({ name: tag.name, type: tag.type, domains: tag.domains });

function writeDeploys(writer: SeedWriter, random: Random, window: { startMs: number; endMs: number }, storyTimeline: DemoStories): void {
  const { startMs, endMs } = window;
  const outage = storyTimeline.trackingOutage;
  const quietDayMs = startOfUtcDay(outage.deployAt.getTime());
  const refs = new Set<string>([outage.deployRef, outage.hotfixRef]);
  for (let weekMs = firstMondayMs(startMs); weekMs < endMs; weekMs += WEEK_MS) {
    const deploys = integerBetween(random, 2, 4);
    for (let index = 0; index < deploys; index += 1) {
      const atMs = weekMs + integerBetween(random, 0, 4) * DAY_MS + integerBetween(random, 9 * 60, 17 * 60 + 59) * MINUTE_MS;
      let ref = hexString(random, 7);
      while (refs.has(ref)) ref = hexString(random, 7);
      // The story day keeps only the story's deploys, so "the deploy before the drop" is unambiguous.
      if (atMs >= endMs || startOfUtcDay(atMs) === quietDayMs) continue;
      refs.add(ref);
      writer.add('changes', [new Date(atMs).toISOString(), 'deploy', ref, pick(random, DEVELOPERS), pick(random, DEPLOY_SUMMARIES), COMMIT_URL + ref, null]);
    }
  }
}

function writeRoutinePublishes(writer: SeedWriter, random: Random, startMs: number, endMs: number, storyTimesMs: number[]): void {
  for (let mondayMs = firstMondayMs(startMs); mondayMs < endMs; mondayMs += WEEK_MS) {
    const atMs = mondayMs + PUBLISH_HOUR * HOUR_MS + integerBetween(random, 0, 50) * MINUTE_MS;
    const summary = pick(random, ROUTINE_PUBLISHES);
    if (atMs >= endMs || storyTimesMs.some((storyMs) => Math.abs(storyMs - atMs) < STORY_CLEARANCE_MS)) continue;
    const version = gtmVersion(atMs, 0);
    writer.add('changes', [new Date(atMs).toISOString(), 'tag_manager', gtmRef(version), pick(random, MARKETERS),
      `Published version ${version}: ${summary}`, GTM_VERSIONS_URL + version, { added: [], removed: [] }]);
  }
}

function writeStoryChanges(writer: SeedWriter, stories: DemoStories): void {
  const outage = stories.trackingOutage;
  writer.add('changes', [outage.deployAt.toISOString(), 'deploy', outage.deployRef, 'jonas.brandt',
    'Checkout: consent handling refactor (move purchase tracking behind the new consent banner)', COMMIT_URL + outage.deployRef, null]);
  writer.add('changes', [outage.hotfixAt.toISOString(), 'deploy', outage.hotfixRef, 'maria.keller',
    'Hotfix: restore purchase event after checkout consent refactor', COMMIT_URL + outage.hotfixRef, null]);
  const lcp = stories.lcpRegression;
  const version = (ref: string): string => ref.slice(`${GTM_CONTAINER} v`.length);
  writer.add('changes', [lcp.publishAt.toISOString(), 'tag_manager', lcp.publishRef, 'anna.vogel',
    `Published version ${version(lcp.publishRef)}: added ${lcp.added.map((tag) => tag.name).join(', ')}`,
    GTM_VERSIONS_URL + version(lcp.publishRef), { added: lcp.added.map(tagDetail), removed: [] }]);
  writer.add('changes', [lcp.removalAt.toISOString(), 'tag_manager', lcp.removalRef, 'marc.dubois',
    `Published version ${version(lcp.removalRef)}: removed ${lcp.removed.map((tag) => tag.name).join(', ')}`,
    GTM_VERSIONS_URL + version(lcp.removalRef), { added: [], removed: lcp.removed.map(tagDetail) }]);
}

/** Deploys (2-4 a week), weekly tag-manager publishes, seasonal campaign launches, and the stories' changes. */
export function writeChanges(writer: SeedWriter, random: Random, window: { startMs: number; endMs: number },
  seasonal: readonly SeasonalCampaign[], storyTimeline: DemoStories, stories: DemoStories | undefined): void {
  writeDeploys(writer, random, window, storyTimeline);
  writeRoutinePublishes(writer, random, window.startMs, window.endMs,
    [storyTimeline.lcpRegression.publishAt.getTime(), storyTimeline.lcpRegression.removalAt.getTime()]);
  for (const campaign of seasonal) {
    if (campaign.startMs < window.startMs || campaign.startMs >= window.endMs) continue;
    writer.add('changes', [new Date(campaign.startMs).toISOString(), 'campaign', campaign.name, pick(random, MARKETERS),
      `Launched ${campaign.name} on ${campaign.channels.join(', ')}`, null, { channels: campaign.channels }]);
  }
  if (stories) writeStoryChanges(writer, stories);
}
