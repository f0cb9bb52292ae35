import { CloudAdapter, ConnectionManager } from '@microsoft/agents-hosting';
import type { TeamsAuth } from './auth-config.js';
import { createBotTokenProvider } from './bot-token.js';

/**
 * The SDK's adapter over our normalised auth settings. With credentials, its connections sign in
 * through our client-credentials provider (the SDK's ConnectionManager takes a provider factory for
 * exactly this); anonymous development keeps the SDK's own, which fetches no token.
 */
export function createTeamsAdapter(auth: Extract<TeamsAuth, { ok: true }>): CloudAdapter {
  const adapter = new CloudAdapter(auth.authConfig);
  if (!auth.isAnonymous) {
    const provider = createBotTokenProvider({ appId: auth.appId, appPassword: auth.appPassword, tenantId: auth.tenantId, entraHost: auth.login.entra });
    adapter.connectionManager = new ConnectionManager(() => provider, auth.authConfig.connections, auth.authConfig.connectionsMap, auth.authConfig);
  }
  // The SDK's default posts "The agent encountered an error or bug." into the chat; callers catch
  // failures inside their turns themselves.
  adapter.onTurnError = async () => undefined;
  return adapter;
}
