import { webApi } from '@slack/bolt';
import type { DeliveryProblem } from '../../../bot/outbound.js';

/** Slack error strings where the same call will fail again: the queue gives up and tells an owner. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found', 'is_archived', 'not_in_channel', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments', 'invalid_auth', 'not_authed', 'account_inactive',
  'token_revoked', 'token_expired', 'missing_scope', 'no_permission', 'restricted_action', 'ekm_access_denied',
  'cant_update_message', 'message_not_found', 'edit_window_closed', 'invalid_arguments', 'user_not_in_channel',
]);
/** The bot may not post in that conversation: the asker can invite it; a slash command's response_url still can. */
const NOT_MEMBER_ERRORS = new Set(['channel_not_found', 'not_in_channel']);
/** Slack refused the message's size: the queue sends it again in a smaller form. */
const TOO_LARGE_ERRORS = new Set(['msg_too_long', 'msg_blocks_too_long']);
/** Slack-side trouble that usually passes. */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
/** When Slack reports `ratelimited` in the body without a Retry-After header. */
const DEFAULT_RETRY_AFTER_S = 1;

/**
 * Sorts a failed Web API call into what the delivery queue does next. Errors that are not
 * Web API call errors are bugs and are rethrown.
 */
export function classifySlackError(error: unknown): DeliveryProblem {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { kind: 'rate_limited', retryAfterS: error.retryAfter, message: `rate limited, retry after ${error.retryAfter} s`, status: 429 };
  }
  if (error instanceof webApi.WebAPIRequestError) return { kind: 'transient', message: `request failed: ${error.original.message}` };
  if (error instanceof webApi.WebAPIHTTPError) {
    const message = `HTTP ${error.statusCode}`;
    const status = error.statusCode;
    if (status === 429) return { kind: 'rate_limited', retryAfterS: retryAfterHeader(error.headers) ?? DEFAULT_RETRY_AFTER_S, message, status };
    if (status >= 500 || status === 408) return { kind: 'transient', message, status };
    return { kind: 'permanent', message, status };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (code === 'ratelimited') return { kind: 'rate_limited', retryAfterS: DEFAULT_RETRY_AFTER_S, message: code };
    if (TRANSIENT_ERRORS.has(code)) return { kind: 'transient', message: code };
    if (TOO_LARGE_ERRORS.has(code)) return { kind: 'too_large', message: code };
    // Unknown codes count as permanent: retrying an answer Slack refused for a reason we do not know
    // would only repeat it. The known list above documents the usual ones.
    if (NOT_MEMBER_ERRORS.has(code)) return { kind: 'permanent', message: code, isNotMember: true };
    if (PERMANENT_ERRORS.has(code)) return { kind: 'permanent', message: code };
    return { kind: 'permanent', message: `unexpected Slack error: ${code}` };
  }
  throw error;
}

function retryAfterHeader(headers: Record<string, string>): number | undefined {
  const seconds = Number(headers['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
