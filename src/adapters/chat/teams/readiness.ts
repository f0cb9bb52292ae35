import type { ReadinessProbe } from '../../http/ops-routes.js';
import type { TeamsConfig } from './auth-config.js';
import { teamsAuth } from './auth-config.js';
import { createBotTokenProvider } from './bot-token.js';
import { BOT_FRAMEWORK_ISSUER } from './verify-token.js';

/**
 * Readiness of Teams: the app registration still signs in at Entra for a Bot Connector token (the
 * provider keeps a token until shortly before it expires, so this costs a request about once an hour).
 * Anonymous local development has no token to check.
 */
export function teamsTokenProbe(config: TeamsConfig): ReadinessProbe {
  const auth = teamsAuth(config);
  if (!auth.ok) return { name: 'teams', check: () => Promise.reject(new Error(auth.error)) };
  if (auth.isAnonymous) return { name: 'teams', check: () => Promise.resolve() };
  const provider = createBotTokenProvider({ appId: auth.appId, appPassword: auth.appPassword, tenantId: auth.tenantId, entraHost: auth.login.entra });
  return {
    name: 'teams',
    async check() {
      await provider.getAccessToken(BOT_FRAMEWORK_ISSUER);
    },
  };
}
