import { startOfUtcDay } from './calendar.js';
import { performanceScore } from './lighthouse-score.js';
import type { FormFactor } from './lighthouse-score.js';
import { logNormal, normal } from './random.js';
import type { Random } from './random.js';
import type { SeedWriter } from './seed-writer.js';
import { liveStoryTags, PAGE_PATHS, SHOP_ORIGIN } from './stories.js';
import type { DemoStories, ThirdPartyTag } from './stories.js';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../../analytics/time.js';

interface PageBaseline {
  lcpMs: number;
  tbtMs: number;
  cls: number;
  ttfbMs: number;
  thirdPartyMs: number;
  thirdPartyBytes: number;
}

// Mobile lab figures of a healthy page (Moto G Power, slow 4G, as PSI emulates it).
const MOBILE_BASELINES: PageBaseline[] = [
  { lcpMs: 2200, tbtMs: 190, cls: 0.04, ttfbMs: 420, thirdPartyMs: 380, thirdPartyBytes: 410_000 },
  { lcpMs: 2300, tbtMs: 210, cls: 0.06, ttfbMs: 460, thirdPartyMs: 400, thirdPartyBytes: 430_000 },
  { lcpMs: 2150, tbtMs: 180, cls: 0.05, ttfbMs: 440, thirdPartyMs: 390, thirdPartyBytes: 420_000 },
  { lcpMs: 1900, tbtMs: 150, cls: 0.03, ttfbMs: 400, thirdPartyMs: 300, thirdPartyBytes: 350_000 },
  { lcpMs: 2000, tbtMs: 170, cls: 0.02, ttfbMs: 480, thirdPartyMs: 320, thirdPartyBytes: 360_000 },
];
// Desktop runs on a fast connection and CPU: time metrics shrink, bytes stay.
const DESKTOP_TIME_FACTOR = 0.5;
const DESKTOP_TBT_FACTOR = 0.35;
const LAB_HOURS = [3, 11, 19];
const FIELD_HOUR = 6;
const CRUX_WINDOW_DAYS = 28;
// Real users on slower devices feel a heavy third-party script more than the lab run does.
const FIELD_TAG_AMPLIFICATION = 1.5;
const FIELD_LCP_FACTOR = { mobile: 0.98, desktop: 0.66 };
const FIELD_INP_MS = { mobile: 170, desktop: 70 };
const FIELD_TTFB_MS = { mobile: 650, desktop: 480 };
const FORM_FACTORS: FormFactor[] = ['mobile', 'desktop'];

const tagShare = (formFactor: FormFactor): number => (formFactor === 'mobile' ? 1 : DESKTOP_TIME_FACTOR);
const sumTags = (tags: readonly ThirdPartyTag[], pick: (tag: ThirdPartyTag) => number): number => tags.reduce((total, tag) => total + pick(tag), 0);

function writeLabRun(writer: SeedWriter, random: Random, stories: DemoStories | undefined, path: string, formFactor: FormFactor, atMs: number): void {
  const url = SHOP_ORIGIN + path;
  const base = MOBILE_BASELINES[PAGE_PATHS.indexOf(path)] ?? MOBILE_BASELINES[0]!;
  const tags = liveStoryTags(stories, url, atMs);
  const timeFactor = formFactor === 'mobile' ? 1 : DESKTOP_TIME_FACTOR;
  const tbtFactor = formFactor === 'mobile' ? 1 : DESKTOP_TBT_FACTOR;
  const lcpMs = (base.lcpMs * timeFactor + sumTags(tags, (tag) => tag.lcpMs) * tagShare(formFactor)) * logNormal(random, 1, 0.06);
  const tbtMs = (base.tbtMs + sumTags(tags, (tag) => tag.tbtMs)) * tbtFactor * logNormal(random, 1, 0.18);
  const cls = base.cls * logNormal(random, 1, 0.2);
  const ttfbMs = base.ttfbMs * timeFactor * logNormal(random, 1, 0.1);
  const thirdPartyMs = (base.thirdPartyMs + sumTags(tags, (tag) => tag.thirdPartyMs)) * timeFactor * logNormal(random, 1, 0.08);
  const thirdPartyBytes = Math.round((base.thirdPartyBytes + sumTags(tags, (tag) => tag.thirdPartyBytes)) * (1 + normal(random, 0, 0.01)));
  const fcpMs = ttfbMs + 0.45 * (lcpMs - ttfbMs);
  const speedIndexMs = 1.15 * fcpMs + tbtMs;
  const score = performanceScore(formFactor, { fcpMs, speedIndexMs, lcpMs, tbtMs, cls });
  writer.add('pagespeed_runs', [new Date(atMs).toISOString(), url, formFactor, 'lab', Math.round(score * 100) / 100,
    Math.round(lcpMs), null, Math.round(cls * 1000) / 1000, Math.round(ttfbMs), Math.round(tbtMs), Math.round(fcpMs), Math.round(speedIndexMs), Math.round(thirdPartyMs), thirdPartyBytes, 'psi']);
}

/** What real users experienced on one day: the healthy figure plus the story's tags for the share of the day they were live. */
function fieldDay(random: Random, stories: DemoStories | undefined, path: string, formFactor: FormFactor, dayMs: number): { lcpMs: number; inpMs: number } {
  const url = SHOP_ORIGIN + path;
  const base = MOBILE_BASELINES[PAGE_PATHS.indexOf(path)] ?? MOBILE_BASELINES[0]!;
  let tagLcpMs = 0;
  let tagTbtMs = 0;
  for (const hour of [3, 9, 15, 21]) {
    const tags = liveStoryTags(stories, url, dayMs + hour * HOUR_MS);
    tagLcpMs += sumTags(tags, (tag) => tag.lcpMs) / 4;
    tagTbtMs += sumTags(tags, (tag) => tag.tbtMs) / 4;
  }
  const amplified = FIELD_TAG_AMPLIFICATION * tagShare(formFactor);
  return {
    lcpMs: (base.lcpMs * FIELD_LCP_FACTOR[formFactor] + tagLcpMs * amplified) * logNormal(random, 1, 0.03),
    inpMs: (FIELD_INP_MS[formFactor] + 0.25 * tagTbtMs * amplified) * logNormal(random, 1, 0.04),
  };
}

/**
 * PSI lab runs three times a day and a daily CrUX record per page and form factor over the last `days`.
 * A CrUX p75 covers the trailing 28 days, so field values are the mean of 28 daily figures and move slowly.
 */
export function writePagespeedRuns(writer: SeedWriter, random: Random, stories: DemoStories | undefined, endMs: number, days: number): void {
  const firstDayMs = startOfUtcDay(endMs) - (days - 1) * DAY_MS;
  PAGE_PATHS.forEach((path, pathIndex) => {
    for (const formFactor of FORM_FACTORS) {
      const offsetMs = (pathIndex * 2 + (formFactor === 'mobile' ? 0 : 1)) * MINUTE_MS;
      const daily: { lcpMs: number; inpMs: number }[] = [];
      for (let day = -CRUX_WINDOW_DAYS + 1; day < days; day += 1) {
        const dayMs = firstDayMs + day * DAY_MS;
        daily.push(fieldDay(random, stories, path, formFactor, dayMs));
        if (day < 0) continue;
        for (const hour of LAB_HOURS) {
          const atMs = dayMs + hour * HOUR_MS + offsetMs;
          if (atMs < endMs) writeLabRun(writer, random, stories, path, formFactor, atMs);
        }
        const fieldAtMs = dayMs + FIELD_HOUR * HOUR_MS + offsetMs;
        if (fieldAtMs >= endMs) continue;
        const window = daily.slice(-CRUX_WINDOW_DAYS);
        const p75 = (pick: (value: { lcpMs: number; inpMs: number }) => number): number => Math.round(window.reduce((total, value) => total + pick(value), 0) / window.length);
        const cls = Math.round(MOBILE_BASELINES[pathIndex]!.cls * 1.3 * 1000) / 1000;
        const lcpMs = p75((value) => value.lcpMs);
        // The lab runs' relation between paints, applied to the field's LCP.
        const fcpMs = Math.round(FIELD_TTFB_MS[formFactor] + 0.45 * (lcpMs - FIELD_TTFB_MS[formFactor]));
        writer.add('pagespeed_runs', [new Date(fieldAtMs).toISOString(), SHOP_ORIGIN + path, formFactor, 'field', null,
          lcpMs, p75((value) => value.inpMs), cls, FIELD_TTFB_MS[formFactor], null, fcpMs, null, null, null, 'crux']);
      }
    }
  });
}
