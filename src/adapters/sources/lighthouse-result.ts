import { z } from 'zod';
import { WebUrl } from './web-url.js';

/**
 * The parts of a Lighthouse result (LHR) we read, valid for Lighthouse 6 to 13:
 * v6 has configSettings.emulatedFormFactor and the 'third-party-summary' audit,
 * v13 has configSettings.formFactor and the 'third-parties-insight' audit instead.
 * Every figure we store is checked against the range a real run can produce, so a report with
 * LCP 1e308 or -5000 ms or a fractional byte count is refused with the field named, not stored.
 */

/** Lighthouse gives up on a page load after 45 s by default (maxWaitForLoad); an hour leaves room for custom settings. */
export const MAX_LAB_TIME_MS = 3_600_000;
/** CLS sums layout-shift scores in a session window: real pages stay below 10; 100 is beyond any page. */
export const MAX_LAYOUT_SHIFT = 100;
/** A page's third-party transfer in bytes: 10 GB is beyond any page. */
export const MAX_TRANSFER_BYTES = 10_000_000_000;

const LabTimeMs = z.number().min(0, 'expected a time of at least 0 ms').max(MAX_LAB_TIME_MS, `expected a time of at most ${MAX_LAB_TIME_MS} ms`);
const LayoutShift = z.number().min(0, 'expected a layout shift of at least 0').max(MAX_LAYOUT_SHIFT, `expected a layout shift of at most ${MAX_LAYOUT_SHIFT}`);
const TransferBytes = z.number().int('expected a whole number of bytes').min(0, 'expected at least 0 bytes').max(MAX_TRANSFER_BYTES, `expected at most ${MAX_TRANSFER_BYTES} bytes`);

const Audit = z.object({
  numericValue: z.number().optional(),
  details: z.unknown().optional(),
}).passthrough();
const TimingAudit = Audit.extend({ numericValue: LabTimeMs.optional() });

/** The audits whose figures become columns of pagespeed_runs. */
export const LAB_AUDITS = {
  lcp: 'largest-contentful-paint',
  cls: 'cumulative-layout-shift',
  ttfb: 'server-response-time',
  tbt: 'total-blocking-time',
  fcp: 'first-contentful-paint',
  speedIndex: 'speed-index',
} as const;

/** The table of a third-party audit; other audits' details vary by version and are not read. */
export const ThirdPartyTable = z.object({ items: z.array(z.unknown()) });

export const LighthouseResult = z.object({
  lighthouseVersion: z.string(),
  fetchTime: z.iso.datetime({ offset: true }),
  requestedUrl: WebUrl.optional(),
  finalUrl: WebUrl.optional(),
  finalDisplayedUrl: WebUrl.optional(),
  configSettings: z.object({
    formFactor: z.enum(['mobile', 'desktop']).optional(),
    emulatedFormFactor: z.enum(['mobile', 'desktop', 'none']).optional(),
  }).passthrough(),
  categories: z.object({ performance: z.object({ score: z.number().min(0).max(1).nullable() }).passthrough().optional() }).passthrough(),
  audits: z.object({
    [LAB_AUDITS.lcp]: TimingAudit.optional(),
    [LAB_AUDITS.cls]: Audit.extend({ numericValue: LayoutShift.optional() }).optional(),
    [LAB_AUDITS.ttfb]: TimingAudit.optional(),
    [LAB_AUDITS.tbt]: TimingAudit.optional(),
    [LAB_AUDITS.fcp]: TimingAudit.optional(),
    [LAB_AUDITS.speedIndex]: TimingAudit.optional(),
  }).catchall(Audit),
  entities: z.array(z.object({ name: z.string(), origins: z.array(z.string()).default([]), isFirstParty: z.boolean().optional() })).optional(),
}).passthrough();
export type LighthouseResult = z.infer<typeof LighthouseResult>;

/** One row of the third-party table: entity is a plain name (v13) or a link object (v6). */
export const ThirdPartyItem = z.object({
  entity: z.union([z.string(), z.object({ text: z.string(), url: z.string().optional() })]),
  transferSize: TransferBytes.default(0),
  mainThreadTime: LabTimeMs.default(0),
  subItems: z.object({ items: z.array(z.object({ url: z.string() }).passthrough()) }).optional(),
});
