import type { AuthConfiguration, AuthProvider } from '@microsoft/agents-hosting';
import { z } from 'zod';

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });

/** A token is renewed this long before Entra says it expires, so no call goes out with one about to lapse. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

export interface ClientCredentials {
  appId: string;
  appPassword: string;
  tenantId: string;
  /** Entra's sign-in host (https://login.microsoftonline.com, or a stand-in in tests). */
  entraHost: string;
}

/**
 * The bot's own access tokens for the Bot Connector: the OAuth 2.0 client-credentials grant at its
 * tenant's token endpoint, as the Bot Framework REST docs describe it. It takes the place of the SDK's
 * MSAL provider, which refuses any authority that is not https and so cannot be tested against a
 * local stand-in. Tokens are kept per scope until shortly before they expire.
 */
export function createBotTokenProvider(credentials: ClientCredentials, nowMs: () => number = Date.now): AuthProvider {
  const tokens = new Map<string, Promise<{ token: string; renewAtMs: number }>>();

  async function fetchToken(scope: string): Promise<{ token: string; renewAtMs: number }> {
    const startedMs = nowMs();
    const response = await fetch(`${credentials.entraHost}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.appId, client_secret: credentials.appPassword, scope: `${scope}/.default` }),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = TokenResponse.safeParse(body);
    if (!response.ok || !parsed.success) throw new Error(`Entra refused the bot's sign-in (HTTP ${response.status}): ${describeError(body)}`);
    return { token: parsed.data.access_token, renewAtMs: startedMs + parsed.data.expires_in * 1000 - RENEW_BEFORE_EXPIRY_MS };
  }

  async function getAccessToken(configOrScope: AuthConfiguration | string, maybeScope?: string): Promise<string> {
    const scope = typeof configOrScope === 'string' ? configOrScope : maybeScope ?? '';
    // Concurrent callers share one request; a failed one is not kept, so the next call tries again.
    const held = await tokens.get(scope)?.catch(() => undefined);
    if (held && held.renewAtMs > nowMs()) return held.token;
    const fetching = fetchToken(scope);
    tokens.set(scope, fetching);
    fetching.catch(() => {
      if (tokens.get(scope) === fetching) tokens.delete(scope);
    });
    return (await fetching).token;
  }

  const unsupported = (what: string) => async (): Promise<string> => {
    throw new Error(`${what} is not used by this bot`);
  };
  return {
    connectionSettings: { clientId: credentials.appId, tenantId: credentials.tenantId },
    getAccessToken,
    getAgenticApplicationToken: unsupported('agentic sign-in'),
    getAgenticInstanceToken: unsupported('agentic sign-in'),
    getAgenticUserToken: unsupported('agentic sign-in'),
    acquireTokenOnBehalfOf: unsupported('on-behalf-of sign-in'),
  };
}

/** Entra's error bodies name the problem (`error`, `error_description`); never the secret we sent. */
function describeError(body: unknown): string {
  const parsed = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
  if (!parsed.success) return 'no error description';
  return `${parsed.data.error}${parsed.data.error_description ? `: ${parsed.data.error_description.split('\n')[0]?.slice(0, 200)}` : ''}`;
}
