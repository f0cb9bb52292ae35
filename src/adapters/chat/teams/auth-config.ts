import type { AuthConfiguration } from '@microsoft/agents-hosting';
import type { Config } from '../../../config.js';

export type TeamsConfig = Pick<Config, 'NODE_ENV' | 'PORT' | 'TEAMS_APP_ID' | 'TEAMS_APP_PASSWORD' | 'TEAMS_TENANT_ID' | 'TEAMS_ALLOWED_TENANTS' | 'TEAMS_ANONYMOUS_DEV'>;

export type TeamsAuth =
  | { ok: true; authConfig: AuthConfiguration; isAnonymous: boolean; appId: string }
  | { ok: false; error: string };

/** continueConversation requires some app id; in anonymous mode no Entra app exists and no token is fetched. */
const ANONYMOUS_APP_ID = 'anonymous-dev';

/**
 * The SDK's own config loaders read process.env at import; we build the object from our parsed
 * Config instead. Without a client id the SDK accepts unsigned requests whenever NODE_ENV is not
 * "production" (1.8.1, jwt-middleware), so that mode needs our explicit flag and never runs in production.
 */
export function teamsAuth(config: TeamsConfig): TeamsAuth {
  if (config.TEAMS_APP_ID && config.TEAMS_APP_PASSWORD) {
    const authConfig: AuthConfiguration = { clientId: config.TEAMS_APP_ID, clientSecret: config.TEAMS_APP_PASSWORD };
    if (config.TEAMS_TENANT_ID) authConfig.tenantId = config.TEAMS_TENANT_ID;
    return { ok: true, authConfig, isAnonymous: false, appId: config.TEAMS_APP_ID };
  }
  if (!config.TEAMS_ANONYMOUS_DEV) {
    return { ok: false, error: 'TEAMS_APP_ID and TEAMS_APP_PASSWORD: required to start Teams (or TEAMS_ANONYMOUS_DEV=true for local development without sign-in)' };
  }
  if (config.NODE_ENV === 'production') {
    return { ok: false, error: 'TEAMS_ANONYMOUS_DEV: not allowed when NODE_ENV=production; set TEAMS_APP_ID and TEAMS_APP_PASSWORD' };
  }
  return { ok: true, authConfig: {}, isAnonymous: true, appId: ANONYMOUS_APP_ID };
}

/** Tenants whose activities are served: the explicit list, else the app's home tenant, else any. */
export function allowedTenants(config: TeamsConfig): readonly string[] {
  if (config.TEAMS_ALLOWED_TENANTS.length > 0) return config.TEAMS_ALLOWED_TENANTS;
  return config.TEAMS_TENANT_ID ? [config.TEAMS_TENANT_ID] : [];
}
