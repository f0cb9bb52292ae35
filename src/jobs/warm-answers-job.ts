import { answersComputedAfter, latestAnswerMark } from '../adapters/store/queries/answer-cache.js';
import { refreshSummaries } from '../adapters/store/queries/customer-summaries.js';
import { refreshJourneys } from '../adapters/store/queries/order-journeys.js';
import type { Bot } from '../bot/dispatch.js';
import { StoreUnavailableError } from '../bot/store-unavailable.js';
import type { JobDefinition } from './job.js';
import { minuteSlotKey } from './period-key.js';
import { MINUTE_MS } from '../analytics/time.js';

/** What a person asks first: their answers are what the cache must hold. */
const DEFAULT_QUESTIONS = ['rfm', 'churn'] as const;

/**
 * Every quarter of an hour, two minutes in. Orders arrive from outside the bot (`mkt import`, a
 * loader writing the tables), so polling is what notices them; and the default questions' day
 * changes at midnight both in UTC (their as-of day) and in TIME_ZONE (rfm's 90-day start), each a
 * quarter-hour boundary in every zone. Two minutes in, so the run stands for a moment of the new day.
 */
const QUARTER_HOURS_TWO_MINUTES_IN = '2,17,32,47 * * * *';

/** A first run after a large import rebuilds every journey: at a million customers, minutes. */
const WARM_LEASE_MS = 30 * MINUTE_MS;

/**
 * Asks the default questions and drops the replies: what they leave behind is the point (the
 * cached answers and model fits). A bug in an answer fails the caller; no data is no failure.
 */
export async function askDefaultQuestions(bot: Pick<Bot, 'handle'>): Promise<void> {
  for (const text of DEFAULT_QUESTIONS) {
    const answer = await bot.handle({ text, platform: 'cli', channelId: 'warm-answers', userId: 'warm-answers' });
    if (answer.problem === 'internal') throw new Error(`\`${text}\` failed while warming: ${answer.summary}`);
    // The run is tried again once the database is back, rather than recorded as done.
    if (answer.problem === 'store_unavailable') throw new StoreUnavailableError(`\`${text}\` while warming`);
  }
}

/**
 * Brings the kept summaries and journeys up to date and asks `rfm` and `churn` as a person would at
 * the run's moment, so the first person to ask after new data or a new day gets a cached answer.
 * When nothing changed the answers are already cached and the run costs a few lookups.
 */
export const warmAnswersJob: JobDefinition = {
  name: 'warm-answers',
  description: 'refresh the kept summaries and journeys and ask rfm and churn, so answers are cached before anyone asks',
  schedule: QUARTER_HOURS_TWO_MINUTES_IN,
  periodKey: minuteSlotKey(15),
  leaseMs: WARM_LEASE_MS,
  async run({ db, bot }, asOf) {
    await refreshSummaries(db);
    await refreshJourneys(db);
    const mark = await latestAnswerMark(db);
    await askDefaultQuestions(bot.at(asOf));
    const computed = await answersComputedAfter(db, mark);
    if (computed === 0) return { summary: 'rfm and churn answers were already cached', skipped: true };
    return { summary: `${computed} rfm and churn answers computed` };
  },
};
