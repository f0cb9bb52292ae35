import { webApi } from '@slack/bolt';
import type { ReadinessProbe } from '../../http/ops-routes.js';
import { normaliseSlackApiUrl } from './web-client.js';

/** auth.test is rate-limited (Tier 4, 100+/min): a healthy answer is reused this long. */
const KEEP_OK_MS = 60_000;

/** Readiness of Slack: the bot token still signs in (auth.test), checked at most once a minute while it works. */
export function slackTokenProbe(token: string, apiUrl: string | undefined, nowMs: () => number = Date.now): ReadinessProbe {
  const slackApiUrl = normaliseSlackApiUrl(apiUrl);
  const client = new webApi.WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig: { retries: 0 }, timeout: 2_500 });
  let okUntilMs = 0;
  return {
    name: 'slack',
    async check() {
      if (nowMs() < okUntilMs) return;
      const answer = await client.auth.test();
      if (!answer.ok) throw new Error(`auth.test: ${answer.error ?? 'refused'}`);
      okUntilMs = nowMs() + KEEP_OK_MS;
    },
  };
}
