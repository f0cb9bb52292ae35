import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { fail, ok } from '../../bot/result.js';
import { requestGoogleJson } from './google-http.js';
import { parseLighthouseResult } from './lighthouse.js';
import type { FormFactor, PagespeedRun } from './pagespeed-runs.js';
import { writePagespeedRuns } from './pagespeed-runs.js';
import type { RetryPolicy, SourceFailure, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

export const PSI_DEFAULT_API_URL = 'https://www.googleapis.com/pagespeedonline/v5';
export const FORM_FACTORS: readonly FormFactor[] = ['mobile', 'desktop'];

/** PageSpeed Insights v5 runPagespeed: the lab half is a full Lighthouse result, validated by parseLighthouseResult. */
export const PsiResponse = z.object({
  kind: z.literal('pagespeedonline#result').optional(),
  lighthouseResult: z.unknown().optional(),
  loadingExperience: z.object({ initial_url: z.string().optional() }).passthrough().nullish(),
});
export type PsiResponse = z.infer<typeof PsiResponse>;

export interface PsiOptions {
  retry?: RetryPolicy;
}

export interface PsiSummary {
  written: number;
  failures: SourceFailure[];
}

/** Scheduler job: one PSI lab run per configured URL and form factor; a failing URL does not stop the others. */
export async function runPsi(db: Db, config: Config, options: PsiOptions = {}): Promise<SourceResult<PsiSummary>> {
  if (config.PSI_URLS.length === 0) return fail({ source: 'psi', reason: 'not_configured', message: 'set PSI_URLS to the pages to measure' });
  const runs: PagespeedRun[] = [];
  const failures: SourceFailure[] = [];
  for (const url of config.PSI_URLS) {
    for (const formFactor of FORM_FACTORS) {
      const run = await fetchPsiRun(config, url, formFactor, options.retry ?? defaultRetryPolicy);
      if (run.ok) runs.push(run.value);
      else failures.push(run.error);
    }
  }
  const written = runs.length === 0 ? 0 : await writePagespeedRuns(db, runs);
  return ok({ written, failures });
}

export async function fetchPsiRun(config: Config, url: string, formFactor: FormFactor, retry: RetryPolicy): Promise<SourceResult<PagespeedRun>> {
  const query = new URLSearchParams({ url, strategy: formFactor, category: 'performance', ...(config.PSI_API_KEY ? { key: config.PSI_API_KEY } : {}) });
  const answer = await requestGoogleJson({ source: 'psi', url: `${config.PSI_API_URL ?? PSI_DEFAULT_API_URL}/runPagespeed?${query}` }, PsiResponse, retry);
  if (!answer.ok) return answer;
  if (answer.value.lighthouseResult === undefined) return fail({ source: 'psi', reason: 'malformed', message: `no lighthouseResult for ${url} (${formFactor}): the answer carries field data only` });
  const lab = parseLighthouseResult(answer.value.lighthouseResult, 'psi');
  if (!lab.ok) return fail({ source: 'psi', reason: 'malformed', message: `${url} (${formFactor}): ${lab.error}` });
  // PSI may follow redirects; the row keeps the URL we were asked to watch so trends stay on one key.
  return ok({ ...lab.value, url, formFactor });
}
