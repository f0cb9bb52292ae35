import { LogLevel } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../../log.js';

/**
 * Bolt and WebClient log through this, so their lines join ours as JSON on stderr (their default
 * console logger would write into the terminal conversation). Debug lines are dropped.
 */
export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const join = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => log.info(`slack: ${join(parts)}`),
    warn: (...parts: unknown[]) => log.warn(`slack: ${join(parts)}`),
    error: (...parts: unknown[]) => log.error(`slack: ${join(parts)}`),
    setLevel: (next: LogLevel) => { level = next; },
    getLevel: () => level,
    setName: () => undefined,
  };
}
