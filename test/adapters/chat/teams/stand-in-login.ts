import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server standing in for Microsoft's sign-in services: the Bot Framework's and Entra's
 * OpenID metadata and key sets, and Entra's token endpoint. Tokens are minted with real RS256 key
 * pairs (node:crypto), signed the way the services sign them.
 */
export interface StandInLogin {
  /** Put this in TEAMS_LOGIN_URL. */
  url: string;
  /** A token signed by one of the stand-in's keys (or an unpublished one), with the given claims. */
  mint(claims: Record<string, unknown>, options?: { signer?: Signer; kid?: string; alg?: string }): string;
  /** Bodies of the bot's token requests (client-credentials grants), parsed. */
  tokenRequests: URLSearchParams[];
  /** Paths of key and metadata fetches, in order. */
  keyFetches: string[];
  /** Answers the next token requests with this Entra error (400), e.g. a client secret that expired; undefined grants again. */
  refuseTokens(error: { error: string; error_description: string } | undefined): void;
  close(): Promise<void>;
}

/** Which key signs: the Bot Framework's (endorsed for msteams), Entra's, or a key nobody publishes. */
export type Signer = 'botFramework' | 'entra' | 'unpublished';

/** What the stand-in's token endpoint hands out; the connector stand-in sees it in Authorization. */
export const STAND_IN_ACCESS_TOKEN = 'stand-in-access-token';

interface TestKey { kid: string; privateKey: KeyObject; publicJwk: Record<string, unknown> }

function testKey(kid: string, extra: Record<string, unknown> = {}): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...extra } };
}

export async function startStandInLogin(): Promise<StandInLogin> {
  const keys: Record<Signer, TestKey> = {
    botFramework: testKey('bf-key-1', { endorsements: ['msteams', 'webchat'] }),
    entra: testKey('entra-key-1'),
    // Same kid as the Bot Framework's published key: a token it signs carries a bad signature.
    unpublished: testKey('bf-key-1'),
  };
  const tokenRequests: URLSearchParams[] = [];
  const keyFetches: string[] = [];
  let refusal: { error: string; error_description: string } | undefined;
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) {
        tokenRequests.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        if (refusal) return json(400, refusal);
        return json(200, { token_type: 'Bearer', expires_in: 3599, access_token: STAND_IN_ACCESS_TOKEN });
      }
      keyFetches.push(path);
      if (path === '/v1/.well-known/openidconfiguration') return json(200, { issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys` });
      if (path === '/v1/.well-known/keys') return json(200, { keys: [keys.botFramework.publicJwk] });
      if (/^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/.test(path)) return json(200, { jwks_uri: `${base}/common/discovery/v2.0/keys` });
      // Entra's set also lists a key the bot must skip (an EC key), as real sets may.
      if (path === '/common/discovery/v2.0/keys') return json(200, { keys: [keys.entra.publicJwk, { kty: 'EC', kid: 'ec-1', crv: 'P-256', x: 'AA', y: 'AA' }] });
      json(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    tokenRequests,
    keyFetches,
    refuseTokens(error) {
      refusal = error;
    },
    mint(claims, options = {}) {
      const key = keys[options.signer ?? 'botFramework'];
      const header = { alg: options.alg ?? 'RS256', typ: 'JWT', kid: options.kid ?? key.kid };
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
      return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
