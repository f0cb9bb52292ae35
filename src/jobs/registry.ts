import { deliverJob } from './deliver-job.js';
import { digestJob } from './digest-job.js';
import { analyzeJob, cruxJob, ga4ExportJob, ga4Job, gtmJob, ordersSqlJob, psiJob, shopifyJob } from './ingest-jobs.js';
import type { JobDefinition } from './job.js';
import { monitorJob } from './monitors/monitor-job.js';
import { warmAnswersJob } from './warm-answers-job.js';

/** Every scheduled job; a new one is one file and one line here (monitors, digest, ingest). */
export const jobs: readonly JobDefinition[] = [
  deliverJob,
  monitorJob,
  digestJob,
  ga4Job,
  ga4ExportJob,
  psiJob,
  cruxJob,
  gtmJob,
  shopifyJob,
  ordersSqlJob,
  analyzeJob,
  warmAnswersJob,
];
