import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { fail, ok } from '../../bot/result.js';
import type { CruxPeriod } from './crux-record.js';
import { CRUX_METRICS, CruxHistoryResponse, CruxRecordResponse } from './crux-record.js';
import { requestGoogleJson } from './google-http.js';
import type { FormFactor, PagespeedRun } from './pagespeed-runs.js';
import { writePagespeedRuns } from './pagespeed-runs.js';
import { FORM_FACTORS } from './psi.js';
import type { RetryPolicy, SourceFailure, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

export const CRUX_DEFAULT_API_URL = 'https://chromeuxreport.googleapis.com/v1';
const CRUX_FORM_FACTOR: Record<FormFactor, 'PHONE' | 'DESKTOP'> = { mobile: 'PHONE', desktop: 'DESKTOP' };
const METRIC_NAMES = Object.values(CRUX_METRICS).flat();

export interface CruxSummary {
  written: number;
  /** URL and form factor pairs CrUX has no data for (too little traffic): not an error. */
  notInCrux: string[];
  failures: SourceFailure[];
}

/** Scheduler job: field p75 (LCP, INP, CLS, TTFB) per configured URL and form factor, current and history. */
export async function runCrux(db: Db, config: Config, options: { retry?: RetryPolicy } = {}): Promise<SourceResult<CruxSummary>> {
  if (config.PSI_URLS.length === 0) return fail({ source: 'crux', reason: 'not_configured', message: 'set PSI_URLS to the pages to measure' });
  if (!config.PSI_API_KEY) return fail({ source: 'crux', reason: 'not_configured', message: 'set PSI_API_KEY (a Google API key with the Chrome UX Report API enabled)' });
  const retry = options.retry ?? defaultRetryPolicy;
  const runs: PagespeedRun[] = [];
  const summary: CruxSummary = { written: 0, notInCrux: [], failures: [] };
  for (const url of config.PSI_URLS) {
    for (const formFactor of FORM_FACTORS) {
      const body = { url, formFactor: CRUX_FORM_FACTOR[formFactor], metrics: METRIC_NAMES };
      const history = await requestGoogleJson({ source: 'crux', url: cruxUrl(config, 'queryHistoryRecord'), body }, CruxHistoryResponse, retry);
      if (history.ok) runs.push(...historyRuns(history.value, url, formFactor));
      const current = await requestGoogleJson({ source: 'crux', url: cruxUrl(config, 'queryRecord'), body }, CruxRecordResponse, retry);
      if (current.ok) runs.push(recordRun(current.value, url, formFactor));
      for (const answer of [history, current]) {
        if (answer.ok) continue;
        if (answer.error.reason === 'not_found') summary.notInCrux.push(`${url} ${formFactor}`);
        else summary.failures.push(answer.error);
      }
    }
  }
  summary.notInCrux = [...new Set(summary.notInCrux)];
  summary.written = runs.length === 0 ? 0 : await writePagespeedRuns(db, runs);
  return ok(summary);
}

function cruxUrl(config: Config, method: 'queryRecord' | 'queryHistoryRecord'): string {
  return `${config.CRUX_API_URL ?? CRUX_DEFAULT_API_URL}/records:${method}?key=${encodeURIComponent(config.PSI_API_KEY ?? '')}`;
}

export function recordRun(response: CruxRecordResponse, url: string, formFactor: FormFactor): PagespeedRun {
  const { metrics, collectionPeriod } = response.record;
  const p75 = (names: readonly string[]) => names.map((name) => metrics[name]?.percentiles?.p75).find((value) => value !== undefined) ?? null;
  return fieldRun(url, formFactor, collectionPeriod, {
    lcpMs: p75(CRUX_METRICS.lcpMs), inpMs: p75(CRUX_METRICS.inpMs), cls: p75(CRUX_METRICS.cls), ttfbMs: p75(CRUX_METRICS.ttfbMs), fcpMs: p75(CRUX_METRICS.fcpMs),
  }, response.urlNormalizationDetails?.normalizedUrl);
}

export function historyRuns(response: CruxHistoryResponse, url: string, formFactor: FormFactor): PagespeedRun[] {
  const { metrics, collectionPeriods } = response.record;
  const p75 = (names: readonly string[], index: number) => names.map((name) => metrics[name]?.percentilesTimeseries?.p75s[index]).find((value) => value !== undefined) ?? null;
  return collectionPeriods.map((period, index) => fieldRun(url, formFactor, period, {
    lcpMs: p75(CRUX_METRICS.lcpMs, index), inpMs: p75(CRUX_METRICS.inpMs, index), cls: p75(CRUX_METRICS.cls, index), ttfbMs: p75(CRUX_METRICS.ttfbMs, index),
    fcpMs: p75(CRUX_METRICS.fcpMs, index),
  }));
}

// A CrUX p75 describes the 28 days ending on lastDate, so the row is dated at the end of that day (UTC).
function fieldRun(url: string, formFactor: FormFactor, period: CruxPeriod, p75: Pick<PagespeedRun, 'lcpMs' | 'inpMs' | 'cls' | 'ttfbMs' | 'fcpMs'>, normalizedUrl?: string): PagespeedRun {
  const { lastDate, firstDate } = period;
  return {
    at: new Date(Date.UTC(lastDate.year, lastDate.month - 1, lastDate.day + 1)),
    url, formFactor, kind: 'field', source: 'crux',
    performanceScore: null, tbtMs: null, speedIndexMs: null, thirdPartyMs: null, thirdPartyBytes: null,
    ...p75,
    details: { firstDate: isoDate(firstDate), lastDate: isoDate(lastDate), ...(normalizedUrl ? { normalizedUrl } : {}) },
  };
}

const isoDate = (date: CruxPeriod['lastDate']): string => `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
