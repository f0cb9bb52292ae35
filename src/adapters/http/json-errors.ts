import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../log.js';
import { isStoreUnavailable } from '../../bot/store-unavailable.js';

/** The body of a 503 while the database is down: the same words the chat answers with. */
export const STORE_UNAVAILABLE_BODY = { error: 'the database is unreachable; retrying…' };

/**
 * The last handler of every HTTP server of ours: errors become short JSON, never Express's HTML
 * page, which (unless NODE_ENV=production) prints the stack and the server's absolute paths.
 * Errors Express raised with a 4xx status (malformed JSON, too large) keep that status.
 */
export function jsonErrors(log: Logger, scope: string): ErrorRequestHandler {
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) return next(error);
    // The outage is logged once by the store's watcher, not once per request.
    if (isStoreUnavailable(error)) {
      return void response.status(503).set('retry-after', '30').json(STORE_UNAVAILABLE_BODY);
    }
    const status = statusOf(error);
    if (status !== undefined && status >= 400 && status < 500) return void response.status(status).json({ error: clientErrorText(error, status) });
    const ref = randomBytes(2).toString('hex');
    log.error(`${scope}: request failed`, { ref, error: error instanceof Error ? error.stack : String(error) });
    response.status(500).json({ error: 'internal error', ref });
  };
}

/** Unknown paths answer JSON too. */
export const jsonNotFound: RequestHandler = (request, response) => {
  response.status(404).json({ error: `no ${request.method} ${request.path} here` });
};

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

/** body-parser's `type` ('entity.too.large', 'entity.parse.failed') says what was wrong without echoing input. */
function clientErrorText(error: unknown, status: number): string {
  const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : undefined;
  return type ?? `request refused (${status})`;
}
