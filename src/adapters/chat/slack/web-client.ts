import { webApi } from '@slack/bolt';
import type { Logger } from '../../../log.js';
import { slackLogger } from './slack-logger.js';

/** A Web API call that hangs is a failed attempt; the queue tries again later. */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

/** SLACK_API_URL with the trailing slash WebClient needs: it requests `${slackApiUrl}${method}`. */
export function normaliseSlackApiUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The client the poster uses: one attempt per call, a 429 comes back as an error at once instead of
 * pausing the whole client (WebClient 8.2.0 defaults to ten retries over about 30 minutes).
 */
export function createPosterClient(token: string, apiUrl: string | undefined, log: Logger): webApi.WebClient {
  const slackApiUrl = normaliseSlackApiUrl(apiUrl);
  return new webApi.WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: SLACK_CALL_TIMEOUT_MS,
    logger: slackLogger(log),
  });
}
