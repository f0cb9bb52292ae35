import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { fail, ok } from '../../bot/result.js';
import { recordChange } from './changes-log.js';
import { describeDiff, diffVersions } from './gtm-diff.js';
import type { GtmContainerVersion } from './gtm-version.js';
import { GtmContainerVersion as GtmContainerVersionSchema, GtmVersionHeaders } from './gtm-version.js';
import type { AccessTokens } from './google-service-account.js';
import { readServiceAccountKey, serviceAccountTokens } from './google-service-account.js';
import { requestGoogleJson } from './google-http.js';
import type { RetryPolicy, SourceFailure, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

export const GTM_DEFAULT_API_URL = 'https://tagmanager.googleapis.com/tagmanager/v2';
export const GTM_SCOPE = 'https://www.googleapis.com/auth/tagmanager.readonly';

export interface GtmPollOptions {
  now: Date;
  retry?: RetryPolicy;
}

export interface GtmPollSummary {
  liveVersion: string;
  /** The change ref when this poll saw the live version for the first time. */
  recorded: string | undefined;
}

/** Scheduler job: records the live container version in `changes` the first time it is seen, diffed against the version before it. */
export async function pollGtm(db: Db, config: Config, options: GtmPollOptions): Promise<SourceResult<GtmPollSummary>> {
  if (!config.GTM_ACCOUNT_ID || !config.GTM_CONTAINER_ID) return fail({ source: 'gtm', reason: 'not_configured', message: 'set GTM_ACCOUNT_ID and GTM_CONTAINER_ID' });
  const tokens = await gtmTokens(config);
  if (typeof tokens !== 'function') return tokens;
  const retry = options.retry ?? defaultRetryPolicy;
  const base = `${config.GTM_API_URL ?? GTM_DEFAULT_API_URL}/accounts/${encodeURIComponent(config.GTM_ACCOUNT_ID)}/containers/${encodeURIComponent(config.GTM_CONTAINER_ID)}`;
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<SourceResult<T>> => {
    const token = await tokens();
    return token.ok ? requestGoogleJson({ source: 'gtm', url: `${base}/${path}`, headers: { authorization: `Bearer ${token.value}` } }, schema, retry) : token;
  };
  const live = await get('versions:live', GtmContainerVersionSchema);
  if (!live.ok) return live;
  const ref = `${live.value.container?.publicId ?? config.GTM_CONTAINER_ID} v${live.value.containerVersionId}`;
  const seen = await db.query('SELECT 1 FROM changes WHERE kind = $1 AND ref = $2', ['tag_manager', ref]);
  if (seen.length > 0) return ok({ liveVersion: live.value.containerVersionId, recorded: undefined });

  const headers = await get('version_headers', GtmVersionHeaders);
  if (!headers.ok) return headers;
  const previousId = previousVersionId(headers.value.containerVersionHeader, live.value.containerVersionId);
  let previous: GtmContainerVersion | undefined;
  if (previousId !== undefined) {
    const answer = await get(`versions/${previousId}`, GtmContainerVersionSchema);
    if (!answer.ok) return answer;
    previous = answer.value;
  }
  const diff = diffVersions(previous, live.value);
  const { isNew } = await recordChange(db, {
    at: versionTime(live.value, options.now),
    kind: 'tag_manager',
    ref,
    // The API does not say who published a version.
    author: null,
    summary: `${live.value.name || `version ${live.value.containerVersionId}`}: ${describeDiff(diff)}`,
    url: live.value.tagManagerUrl ?? null,
    details: { ...diff, previousVersion: previousId ?? null, tagIds: live.value.tag.map((tag) => tag.tagId) },
  });
  return ok({ liveVersion: live.value.containerVersionId, recorded: isNew ? ref : undefined });
}

/** The service account of GOOGLE_APPLICATION_CREDENTIALS signed in for Tag Manager, or why it cannot be. */
export async function gtmTokens(config: Config): Promise<AccessTokens | { ok: false; error: SourceFailure }> {
  if (!config.GOOGLE_APPLICATION_CREDENTIALS) return { ok: false, error: { source: 'gtm', reason: 'not_configured', message: 'set GOOGLE_APPLICATION_CREDENTIALS to a service account with read access to the container' } };
  const key = await readServiceAccountKey(config.GOOGLE_APPLICATION_CREDENTIALS, 'gtm');
  return key.ok ? serviceAccountTokens(key.value, GTM_SCOPE, 'gtm') : key;
}

function previousVersionId(headers: readonly { containerVersionId: string; deleted?: boolean | undefined }[], liveId: string): string | undefined {
  const earlier = headers.map((header) => (header.deleted ? Number.NaN : Number(header.containerVersionId))).filter((id) => id < Number(liveId));
  return earlier.length === 0 ? undefined : String(Math.max(...earlier));
}

// GTM stamps a version's fingerprint with its creation time in ms; publishing usually creates it.
function versionTime(version: GtmContainerVersion, now: Date): Date {
  const stamp = Number(version.fingerprint);
  return Number.isFinite(stamp) && stamp > 0 && stamp <= now.getTime() ? new Date(stamp) : now;
}
