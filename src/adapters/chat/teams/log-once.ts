import type { Logger } from '../../../log.js';

export interface OnceLogger {
  /** Logs the first time `key` is seen; a client repeating the same bad request does not flood the log. */
  warn(key: string, message: string, details?: Record<string, unknown>): void;
}

/** Remembers at most this many keys, so a stream of distinct bad requests cannot grow memory without bound. */
const MAX_KEYS = 1000;

export function createOnceLogger(log: Logger): OnceLogger {
  const seen = new Set<string>();
  return {
    warn(key, message, details) {
      if (seen.has(key)) return;
      if (seen.size >= MAX_KEYS) seen.clear();
      seen.add(key);
      log.warn(message, details);
    },
  };
}
