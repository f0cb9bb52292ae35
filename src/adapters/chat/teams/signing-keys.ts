import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';

/** A public key that signs tokens sent to the bot, with the channels it is endorsed for (Bot Framework keys only). */
export interface SigningKey {
  key: KeyObject;
  endorsements: readonly string[] | undefined;
}

export interface SigningKeys {
  /** The key `kid` listed by the OpenID metadata at `metadataUrl`; undefined when it lists no such key. */
  find(metadataUrl: string, kid: string): Promise<SigningKey | undefined>;
}

const OpenIdMetadata = z.object({ jwks_uri: z.url() });
const RsaJwk = z.object({ kty: z.literal('RSA'), kid: z.string().min(1), n: z.string().min(1), e: z.string().min(1), endorsements: z.array(z.string()).optional() });
const JwkSet = z.object({ keys: z.array(z.unknown()) });

/** Microsoft rotates keys over days; a day-old copy is refreshed before use. */
const KEYS_FRESH_MS = 24 * 60 * 60 * 1000;
/** A token naming a key we do not know refreshes the copy, but not more often than this, so forged key ids cannot make us hammer Microsoft. */
const UNKNOWN_KEY_REFRESH_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

interface CachedKeys { keys: ReadonlyMap<string, SigningKey>; fetchedAtMs: number }

/**
 * Keys as the Bot Framework documents their discovery: the OpenID metadata names a JWK set, which
 * is fetched and kept. Fetch failures throw: the caller cannot tell a forged token from a real one then.
 */
export function createSigningKeys(nowMs: () => number = Date.now): SigningKeys {
  const cache = new Map<string, CachedKeys>();
  const inFlight = new Map<string, Promise<CachedKeys>>();

  function refresh(metadataUrl: string): Promise<CachedKeys> {
    const running = inFlight.get(metadataUrl);
    if (running) return running;
    const fetched = fetchKeys(metadataUrl, nowMs()).then((keys) => {
      cache.set(metadataUrl, keys);
      return keys;
    }).finally(() => inFlight.delete(metadataUrl));
    inFlight.set(metadataUrl, fetched);
    return fetched;
  }

  return {
    async find(metadataUrl, kid) {
      let cached = cache.get(metadataUrl);
      const ageMs = cached ? nowMs() - cached.fetchedAtMs : Infinity;
      if (!cached || ageMs > KEYS_FRESH_MS || (!cached.keys.has(kid) && ageMs > UNKNOWN_KEY_REFRESH_MS)) cached = await refresh(metadataUrl);
      return cached.keys.get(kid);
    },
  };
}

async function fetchKeys(metadataUrl: string, fetchedAtMs: number): Promise<CachedKeys> {
  const metadata = OpenIdMetadata.parse(await getJson(metadataUrl));
  const set = JwkSet.parse(await getJson(metadata.jwks_uri));
  const keys = new Map<string, SigningKey>();
  for (const entry of set.keys) {
    // Key sets may list other kinds of keys (EC, certificates only); tokens to bots are RS256.
    const jwk = RsaJwk.safeParse(entry);
    if (!jwk.success) continue;
    const { kid, endorsements, ...publicKey } = jwk.data;
    keys.set(kid, { key: createPublicKey({ key: publicKey, format: 'jwk' }), endorsements });
  }
  return { keys, fetchedAtMs };
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}
