import { readFile } from 'node:fs/promises';
import { JWT } from 'google-auth-library';
import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { SourceName, SourceResult } from './source-failure.js';

/** Google's token endpoint; google-auth-library 10 always posts there and ignores the key's token_uri. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export const ServiceAccountKey = z.object({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
  token_uri: z.url().optional(),
});
export type ServiceAccountKey = z.infer<typeof ServiceAccountKey>;

/** A source of OAuth access tokens for one service account and scope (cached and refreshed by the library). */
export type AccessTokens = () => Promise<SourceResult<string>>;

export async function readServiceAccountKey(path: string, source: SourceName): Promise<SourceResult<ServiceAccountKey>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return fail({ source, reason: 'auth', message: `cannot read the key file: ${error instanceof Error ? error.message : String(error)}` });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail({ source, reason: 'auth', message: 'the key file is not JSON' });
  }
  const key = ServiceAccountKey.safeParse(json);
  if (!key.success) return fail({ source, reason: 'auth', message: `the key file is not a service-account key (${key.error.issues[0]?.path.join('.')}: ${key.error.issues[0]?.message})` });
  return ok(key.data);
}

/**
 * Service-account OAuth (JWT bearer grant) through google-auth-library. A key whose token_uri
 * differs from Google's (a test or a proxy) gets its token request redirected there.
 */
export function serviceAccountTokens(key: ServiceAccountKey, scope: string, source: SourceName): AccessTokens {
  const client = new JWT({ email: key.client_email, key: key.private_key, ...(key.private_key_id ? { keyId: key.private_key_id } : {}), scopes: [scope] });
  const tokenUri = key.token_uri;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    client.transporter.interceptors.request.add({
      resolved: async (request) => {
        if (String(request.url) === GOOGLE_TOKEN_URL) request.url = new URL(tokenUri);
        return request;
      },
    });
  }
  return async () => {
    try {
      const { token } = await client.getAccessToken();
      return token ? ok(token) : fail({ source, reason: 'auth', message: 'the token endpoint returned no access token' });
    } catch (error) {
      return fail({ source, reason: 'auth', message: `service-account sign-in failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
}
