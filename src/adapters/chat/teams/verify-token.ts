import jwt from 'jsonwebtoken';
import type { JwtPayload } from 'jsonwebtoken';
import type { LoginHosts } from './auth-config.js';
import type { SigningKeys } from './signing-keys.js';

/** The issuer of tokens the Bot Connector service signs (Bot Framework REST authentication docs). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/**
 * Microsoft's own tenants (Bot Service, Teams infrastructure) whose Entra tokens the Agents SDK
 * trusts besides the app's own tenant (1.8.1 jwt-middleware, WELL_KNOWN_PUBLIC_TENANT_IDS).
 */
export const MICROSOFT_SERVICE_TENANTS: readonly string[] = [
  'd6d49420-f39b-4df7-a1dc-d59a935871db',
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  '69e9b82d-4842-4902-8d1e-abc5b98a55e8',
];

/** Industry-standard clock skew, as the Bot Framework docs and the SDK allow. */
const CLOCK_TOLERANCE_S = 300;

export interface TokenRules {
  appId: string;
  /** The app registration's tenant: its Entra tokens are accepted besides Microsoft's service tenants'. */
  tenantId: string;
  login: LoginHosts;
}

export type TokenCheck = { ok: true; claims: JwtPayload } | { ok: false; reason: string };

/**
 * Checks a bearer token as the Bot Framework documents it: RS256, an accepted issuer (the Bot
 * Connector's, or Entra for the app's tenant or Microsoft's), signed by a key its issuer publishes
 * (endorsed for the activity's channel when the key lists endorsements), audience = the app id,
 * inside its validity period; an Entra token's `tid` must be its issuer's tenant.
 */
export async function verifyBotToken(raw: string, rules: TokenRules, keys: SigningKeys, context: { channelId: string | undefined; nowS: number }): Promise<TokenCheck> {
  const decoded = jwt.decode(raw, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') return refuse('not a JWT');
  if (decoded.header.alg !== 'RS256' || !decoded.header.kid) return refuse('not signed with an RS256 key');
  const issuer = typeof decoded.payload.iss === 'string' ? decoded.payload.iss : '';
  const source = keySourceOf(issuer, rules);
  if (!source.ok) return source;
  const signingKey = await keys.find(source.metadataUrl, decoded.header.kid);
  if (!signingKey) return refuse('signed with a key its issuer does not publish');
  let claims: JwtPayload;
  try {
    claims = jwt.verify(raw, signingKey.key, { algorithms: ['RS256'], audience: rules.appId, issuer, clockTolerance: CLOCK_TOLERANCE_S, clockTimestamp: context.nowS, complete: false }) as JwtPayload;
  } catch (error) {
    return refuse(describeVerifyError(error));
  }
  if (signingKey.endorsements && context.channelId && !signingKey.endorsements.includes(context.channelId)) {
    return refuse(`signing key not endorsed for channel ${context.channelId}`);
  }
  if (source.tenant && typeof claims.tid === 'string' && claims.tid.toLowerCase() !== source.tenant) return refuse('tenant claim differs from the issuer\'s tenant');
  return { ok: true, claims };
}

type KeySource = { ok: true; metadataUrl: string; tenant?: string } | { ok: false; reason: string };

/** Where the issuer's keys are described; decided before any fetch, so a forged issuer makes us fetch nothing. */
function keySourceOf(issuer: string, rules: TokenRules): KeySource {
  if (issuer.toLowerCase() === BOT_FRAMEWORK_ISSUER) return { ok: true, metadataUrl: `${rules.login.botFramework}/v1/.well-known/openidconfiguration` };
  const tenant = entraTenantOf(issuer);
  if (!tenant) return refuse(`issuer not accepted: ${issuer.slice(0, 100)}`);
  if (tenant !== rules.tenantId.toLowerCase() && !MICROSOFT_SERVICE_TENANTS.includes(tenant)) return refuse('issued by another tenant');
  return { ok: true, metadataUrl: `${rules.login.entra}/${tenant}/v2.0/.well-known/openid-configuration`, tenant };
}

/** The tenant of an Entra issuer, v1 (`https://sts.windows.net/{tenant}/`) or v2 (`https://login.microsoftonline.com/{tenant}/v2.0`). */
function entraTenantOf(issuer: string): string | undefined {
  const match = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/i.exec(issuer) ?? /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/i.exec(issuer);
  return match?.[1]?.toLowerCase();
}

function describeVerifyError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.NotBeforeError) return 'not valid yet';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message.startsWith('jwt audience invalid')) return 'audience is not this app';
    if (error.message === 'invalid signature') return 'bad signature';
    return error.message;
  }
  throw error;
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
