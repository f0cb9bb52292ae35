/**
 * The database could not be reached (server stopped, connection lost mid-transaction, pool timeout).
 * The store adapters throw it with the driver's error as `cause`; the bot, the jobs and the HTTP
 * endpoints answer "the database is unreachable" instead of reporting a bug, and try again later.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** True for a StoreUnavailableError anywhere in the chain of causes (jobs wrap what they rethrow). */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth += 1) {
    if (current instanceof StoreUnavailableError) return true;
  }
  return false;
}
