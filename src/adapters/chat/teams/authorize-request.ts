import type { RequestHandler } from 'express';
import type { JwtPayload } from 'jsonwebtoken';
import { z } from 'zod';
import type { Logger } from '../../../log.js';
import type { TeamsAuth } from './auth-config.js';
import type { OnceLogger } from './log-once.js';
import type { SigningKeys } from './signing-keys.js';
import { verifyBotToken } from './verify-token.js';

const ChannelOf = z.object({ channelId: z.string() });

/** adapter.process reads the caller's identity from `req.user` (the SDK's JWT middleware puts it there). */
type AuthorizedRequest = { user?: JwtPayload | { name: string } };

/**
 * Our replacement for the SDK's authorizeJWT: the same rules (verifyBotToken), with key discovery
 * through OpenID metadata whose host can be configured, so the accept path is tested against a local
 * stand-in. Anonymous development mode takes requests without a token, as the SDK does.
 */
export function authorizeTeamsRequest(auth: Extract<TeamsAuth, { ok: true }>, keys: SigningKeys, log: Logger, once: OnceLogger): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/i.exec(header.trim())?.[1];
    if (auth.isAnonymous) {
      if (header !== '') return refuse(res, once, 'anonymous development mode takes no tokens');
      (req as AuthorizedRequest).user = { name: 'anonymous' };
      return next();
    }
    if (!token) return refuse(res, once, header === '' ? 'no bearer token' : 'malformed authorization header');
    const channelId = ChannelOf.safeParse(req.body).data?.channelId;
    const checked = await verifyBotToken(token, auth, keys, { channelId, nowS: Math.floor(Date.now() / 1000) }).catch((error: unknown) => {
      // Without the keys a forged token cannot be told from a real one; 503 lets the caller try again.
      log.error('teams: token signing keys unavailable', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    });
    if (!checked) {
      res.status(503).json({ error: 'token signing keys unavailable' });
      return;
    }
    if (!checked.ok) return refuse(res, once, checked.reason);
    (req as AuthorizedRequest).user = checked.claims;
    next();
  };
}

function refuse(res: Parameters<RequestHandler>[1], once: OnceLogger, reason: string): void {
  once.warn(`auth:${reason}`, 'teams: request refused', { reason });
  res.status(401).json({ error: `unauthorized: ${reason}` });
}
