import { getAuthConfigWithDefaults } from '@microsoft/agents-hosting';
import type { AuthConfiguration } from '@microsoft/agents-hosting';
import type { Config } from '../../../config.js';

export type TeamsConfig = Pick<Config, 'NODE_ENV' | 'PORT' | 'TEAMS_APP_ID' | 'TEAMS_APP_PASSWORD' | 'TEAMS_TENANT_ID' | 'TEAMS_ALLOWED_TENANTS' | 'TEAMS_ANONYMOUS_DEV' | 'TEAMS_LOGIN_URL' | 'PUBLIC_URL' | 'FILE_LINK_SECRET'>;

/** Where Microsoft's sign-in services are: token signing keys, and the bot's own access tokens. */
export interface LoginHosts {
  /** Describes the keys of tokens issued by the Bot Framework (issuer https://api.botframework.com). */
  botFramework: string;
  /** Microsoft Entra ID: keys of tokens it issues, and the token endpoint the bot signs in at. */
  entra: string;
}

export type TeamsAuth =
  | { ok: true; isAnonymous: false; authConfig: AuthConfiguration; appId: string; tenantId: string; appPassword: string; login: LoginHosts }
  | { ok: true; isAnonymous: true; authConfig: AuthConfiguration; appId: string }
  | { ok: false; error: string };

/** continueConversation requires some app id; in anonymous mode no Entra app exists and no token is fetched. */
const ANONYMOUS_APP_ID = 'anonymous-dev';

const MICROSOFT_LOGIN: LoginHosts = { botFramework: 'https://login.botframework.com', entra: 'https://login.microsoftonline.com' };

/**
 * The SDK's own loaders read process.env; we build its settings from our parsed Config and let
 * getAuthConfigWithDefaults normalise them (authority, issuers and the `connections` map the SDK looks
 * the token audience up in). Without a client id the SDK accepts unsigned requests whenever NODE_ENV is
 * not "production" (1.8.1, jwt-middleware), so that mode needs our explicit flag and never runs in production.
 */
export function teamsAuth(config: TeamsConfig): TeamsAuth {
  if (config.TEAMS_APP_ID && config.TEAMS_APP_PASSWORD && config.TEAMS_TENANT_ID) {
    const authConfig = getAuthConfigWithDefaults({ clientId: config.TEAMS_APP_ID, clientSecret: config.TEAMS_APP_PASSWORD, tenantId: config.TEAMS_TENANT_ID });
    const login = config.TEAMS_LOGIN_URL ? { botFramework: trimSlash(config.TEAMS_LOGIN_URL), entra: trimSlash(config.TEAMS_LOGIN_URL) } : MICROSOFT_LOGIN;
    return { ok: true, isAnonymous: false, authConfig, appId: config.TEAMS_APP_ID, tenantId: config.TEAMS_TENANT_ID, appPassword: config.TEAMS_APP_PASSWORD, login };
  }
  if (config.TEAMS_APP_ID) {
    return { ok: false, error: 'TEAMS_APP_PASSWORD and TEAMS_TENANT_ID: required with TEAMS_APP_ID (the app registration\'s client secret and its Entra tenant)' };
  }
  if (!config.TEAMS_ANONYMOUS_DEV) {
    return { ok: false, error: 'TEAMS_APP_ID and TEAMS_APP_PASSWORD: required to start Teams (or TEAMS_ANONYMOUS_DEV=true for local development without sign-in)' };
  }
  if (config.NODE_ENV === 'production') {
    return { ok: false, error: 'TEAMS_ANONYMOUS_DEV: not allowed when NODE_ENV=production; set TEAMS_APP_ID and TEAMS_APP_PASSWORD' };
  }
  return { ok: true, isAnonymous: true, authConfig: {}, appId: ANONYMOUS_APP_ID };
}

/**
 * Tenants whose activities are served: the explicit list, else the app's own tenant. Only the
 * anonymous development mode, which has no app and so no tenant of its own, may serve any tenant.
 */
export function allowedTenants(config: TeamsConfig): readonly string[] | 'any' {
  if (config.TEAMS_ALLOWED_TENANTS.length > 0) return config.TEAMS_ALLOWED_TENANTS;
  if (config.TEAMS_TENANT_ID) return [config.TEAMS_TENANT_ID];
  return 'any';
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
