import { webApi } from '@slack/bolt';
import type { DeliveryProblem } from '../../../bot/outbound.js';
import type { Result } from '../../../bot/result.js';
import type { Logger } from '../../../log.js';
import { normaliseSlackApiUrl } from './web-client.js';

/** Slack's answers when the bot token itself is refused (revoked, app uninstalled, deactivated, wrong). */
const REFUSED_TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** Who the token belongs to: the workspace (and Enterprise Grid org) the app is installed in, and the bot. */
export interface SlackIdentity {
  teamId: string;
  enterpriseId?: string;
  botId?: string;
  botUserId?: string;
}

/** The code of a Web API error that refuses the token itself, else undefined. */
export function tokenRefusal(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError && REFUSED_TOKEN_ERRORS.has(error.data.error)) return error.data.error;
  return undefined;
}

const CHECK_TIMEOUT_MS = 10_000;

/**
 * auth.test before anything listens: a refused or unreachable token is one line naming SLACK_BOT_TOKEN
 * (main exits with it), instead of Bolt's own unhandled auth.test failure after "listening".
 */
export async function verifySlackToken(token: string, apiUrl: string | undefined): Promise<Result<SlackIdentity, string>> {
  const slackApiUrl = normaliseSlackApiUrl(apiUrl);
  const client = new webApi.WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig: { retries: 0 }, timeout: CHECK_TIMEOUT_MS, logger: silentLogger });
  try {
    const answer = await client.auth.test();
    if (!answer.team_id) return { ok: false, error: 'SLACK_BOT_TOKEN: Slack accepted the token but named no workspace (auth.test without team_id); use the bot token (xoxb-) of an installed app.' };
    return {
      ok: true,
      value: {
        teamId: answer.team_id,
        ...(answer.enterprise_id ? { enterpriseId: answer.enterprise_id } : {}),
        ...(answer.bot_id ? { botId: answer.bot_id } : {}),
        ...(answer.user_id ? { botUserId: answer.user_id } : {}),
      },
    };
  } catch (error) {
    const refused = tokenRefusal(error);
    if (refused) {
      return { ok: false, error: `SLACK_BOT_TOKEN: Slack refused the bot token (${refused}). Copy the Bot User OAuth Token (xoxb-…) from your Slack app's "OAuth & Permissions" page (reinstall the app if it was removed) and start again.` };
    }
    const reason = error instanceof webApi.WebAPIPlatformError ? error.data.error : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `SLACK_BOT_TOKEN: could not check the token with Slack (${reason}); check the network${apiUrl ? ' and SLACK_API_URL' : ''} and start again.` };
  }
}

/** While paused, Slack is asked again at most this often whether it accepts the token. */
export const PAUSED_PROBE_EVERY_S = 30;

export interface TokenGate {
  /** A `paused` problem while the token is refused (probing auth.test now and then); undefined when posting may go on. */
  check(): Promise<DeliveryProblem | undefined>;
  /** Slack refused the token on a call: pauses posting, with one alarm for the whole outage. */
  refused(code: string): DeliveryProblem;
}

/**
 * A token revoked while the bot runs would fail every post on its own. Instead the first refusal
 * raises one alarm and pauses posting; posts wait in the queue (not given up) and the gate asks
 * Slack (auth.test) every PAUSED_PROBE_EVERY_S whether the token works again, then resumes.
 */
export function createTokenGate(client: webApi.WebClient, log: Logger, nowMs: () => number): TokenGate {
  let pausedSinceMs: number | undefined;
  let lastProbeMs = 0;
  let code = '';
  const paused = (waitS: number): DeliveryProblem => ({ kind: 'paused', retryAfterS: Math.max(1, Math.ceil(waitS)), message: `posting paused: Slack refuses the bot token (${code})` });
  return {
    async check() {
      if (pausedSinceMs === undefined) return undefined;
      const sinceProbeS = (nowMs() - lastProbeMs) / 1000;
      if (sinceProbeS < PAUSED_PROBE_EVERY_S) return paused(PAUSED_PROBE_EVERY_S - sinceProbeS);
      lastProbeMs = nowMs();
      try {
        await client.auth.test();
      } catch (error) {
        if (tokenRefusal(error) === undefined) log.warn('slack: could not ask Slack whether the bot token works again', { error: error instanceof Error ? error.message : String(error) });
        return paused(PAUSED_PROBE_EVERY_S);
      }
      log.info('slack: Slack accepts the bot token again; posting resumed', { pausedForS: Math.round((nowMs() - pausedSinceMs) / 1000) });
      pausedSinceMs = undefined;
      return undefined;
    },
    refused(refusedCode) {
      if (pausedSinceMs === undefined) {
        pausedSinceMs = nowMs();
        lastProbeMs = nowMs();
        code = refusedCode;
        log.error('slack: Slack refused the bot token; posting is paused until it accepts it again. Reinstall the app or set SLACK_BOT_TOKEN to a valid bot token and restart.', { error: refusedCode });
      }
      return paused(PAUSED_PROBE_EVERY_S);
    },
  };
}

const silentLogger = {
  debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined,
  setLevel: () => undefined, getLevel: () => webApi.LogLevel.ERROR, setName: () => undefined,
};
