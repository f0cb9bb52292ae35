import { z } from 'zod';

/**
 * The parts of a Lighthouse result (LHR) we read, valid for Lighthouse 6 to 13:
 * v6 has configSettings.emulatedFormFactor and the 'third-party-summary' audit,
 * v13 has configSettings.formFactor and the 'third-parties-insight' audit instead.
 */
const Audit = z.object({
  numericValue: z.number().optional(),
  details: z.unknown().optional(),
}).passthrough();

/** The table of a third-party audit; other audits' details vary by version and are not read. */
export const ThirdPartyTable = z.object({ items: z.array(z.unknown()) });

export const LighthouseResult = z.object({
  lighthouseVersion: z.string(),
  fetchTime: z.iso.datetime({ offset: true }),
  requestedUrl: z.string().optional(),
  finalUrl: z.string().optional(),
  finalDisplayedUrl: z.string().optional(),
  configSettings: z.object({
    formFactor: z.enum(['mobile', 'desktop']).optional(),
    emulatedFormFactor: z.enum(['mobile', 'desktop', 'none']).optional(),
  }).passthrough(),
  categories: z.object({ performance: z.object({ score: z.number().min(0).max(1).nullable() }).passthrough().optional() }).passthrough(),
  audits: z.record(z.string(), Audit),
  entities: z.array(z.object({ name: z.string(), origins: z.array(z.string()).default([]), isFirstParty: z.boolean().optional() })).optional(),
}).passthrough();
export type LighthouseResult = z.infer<typeof LighthouseResult>;

/** One row of the third-party table: entity is a plain name (v13) or a link object (v6). */
export const ThirdPartyItem = z.object({
  entity: z.union([z.string(), z.object({ text: z.string(), url: z.string().optional() })]),
  transferSize: z.number().default(0),
  mainThreadTime: z.number().default(0),
  subItems: z.object({ items: z.array(z.object({ url: z.string() }).passthrough()) }).optional(),
});
