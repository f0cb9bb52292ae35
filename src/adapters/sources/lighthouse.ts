import { fail, ok } from '../../bot/result.js';
import type { Result } from '../../bot/result.js';
import { LAB_AUDITS, LighthouseResult, ThirdPartyItem, ThirdPartyTable } from './lighthouse-result.js';
import type { FormFactor, PagespeedRun } from './pagespeed-runs.js';

/** A third party as Lighthouse measured it, with the hosts it was seen on (to link it to tags). */
export interface ThirdPartyEntity {
  name: string;
  hosts: string[];
  mainThreadMs: number;
  transferBytes: number;
}

export interface LabRun extends PagespeedRun {
  thirdParties: ThirdPartyEntity[];
}

const THIRD_PARTY_AUDITS = ['third-party-summary', 'third-parties-insight'] as const;

/** Turns an LHR into a lab row; `source` is 'psi' when the LHR came inside a PageSpeed Insights answer. */
export function parseLighthouseResult(json: unknown, source: 'lighthouse' | 'psi' = 'lighthouse'): Result<LabRun, string> {
  const parsed = LighthouseResult.safeParse(json);
  if (!parsed.success) return fail(`not a Lighthouse result: ${describeIssue(parsed.error.issues[0])}`);
  const lhr = parsed.data;
  const url = lhr.finalDisplayedUrl ?? lhr.finalUrl ?? lhr.requestedUrl;
  if (!url) return fail('not a Lighthouse result: it names no URL');
  const read = readThirdParties(lhr);
  if (!read.ok) return read;
  const thirdParties = read.value;
  const numeric = (id: string): number | null => lhr.audits[id]?.numericValue ?? null;
  return ok({
    at: new Date(lhr.fetchTime),
    url,
    formFactor: formFactorOf(lhr),
    kind: 'lab',
    source,
    performanceScore: lhr.categories.performance?.score ?? null,
    lcpMs: numeric(LAB_AUDITS.lcp),
    // INP needs a real interaction; navigation runs do not measure it.
    inpMs: null,
    cls: numeric(LAB_AUDITS.cls),
    ttfbMs: numeric(LAB_AUDITS.ttfb),
    tbtMs: numeric(LAB_AUDITS.tbt),
    fcpMs: numeric(LAB_AUDITS.fcp),
    speedIndexMs: numeric(LAB_AUDITS.speedIndex),
    thirdPartyMs: thirdParties ? sum(thirdParties.map((entity) => entity.mainThreadMs)) : null,
    thirdPartyBytes: thirdParties ? sum(thirdParties.map((entity) => entity.transferBytes)) : null,
    details: { lighthouseVersion: lhr.lighthouseVersion, thirdParties: thirdParties ?? [] },
    thirdParties: thirdParties ?? [],
  });
}

// Lighthouse 6 wrote emulatedFormFactor, where 'none' meant no emulation: a desktop browser.
function formFactorOf(lhr: LighthouseResult): FormFactor {
  const declared = lhr.configSettings.formFactor ?? lhr.configSettings.emulatedFormFactor;
  return declared === 'mobile' ? 'mobile' : 'desktop';
}

/** The third parties of the report's table, undefined when it has none; an item out of range fails the report. */
function readThirdParties(lhr: LighthouseResult): Result<ThirdPartyEntity[] | undefined, string> {
  const auditId = THIRD_PARTY_AUDITS.find((id) => ThirdPartyTable.safeParse(lhr.audits[id]?.details).success);
  const table = auditId === undefined ? undefined : ThirdPartyTable.parse(lhr.audits[auditId]?.details);
  if (auditId === undefined || table === undefined) return ok(undefined);
  const entities: ThirdPartyEntity[] = [];
  for (const [index, raw] of table.items.entries()) {
    const item = ThirdPartyItem.safeParse(raw);
    if (!item.success) return fail(`not a Lighthouse result: ${describeIssue(item.error.issues[0], ['audits', auditId, 'details', 'items', index])}`);
    const { entity } = item.data;
    const name = typeof entity === 'string' ? entity : entity.text;
    const urls = [
      ...(item.data.subItems?.items.map((sub) => sub.url) ?? []),
      ...(lhr.entities?.find((known) => known.name === name)?.origins ?? []),
      ...(typeof entity === 'string' || entity.url === undefined ? [] : [entity.url]),
    ];
    entities.push({ name, hosts: [...new Set(urls.map(hostOf).filter((host): host is string => host !== undefined))], mainThreadMs: item.data.mainThreadTime, transferBytes: item.data.transferSize });
  }
  return ok(entities);
}

/** "audits.largest-contentful-paint.numericValue: expected a time of at most 3600000 ms" */
function describeIssue(issue: { path: readonly PropertyKey[]; message: string } | undefined, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...(issue?.path ?? [])].map(String).join('.');
  return `${path || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
