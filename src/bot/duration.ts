import type { Problem } from './result.js';
import type { Translate } from './messages/index.js';
import type { Words } from './words.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../analytics/time.js';

const UNIT_MS: Record<string, number> = { m: MINUTE_MS, min: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
/** A silence longer than this is forgetting a monitor, not muting it. */
const MAX_DURATION_MS = 30 * DAY_MS;

/** "30m", "2h", "1d" → milliseconds; null when it is not such a duration or longer than 30 days. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d+)(m|min|h|d)$/.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/**
 * What to say when no duration was understood: quote the word that stood where it should be (a
 * matching word that is out of range, else the first word nobody took), or ask for one when none is left.
 */
export function badDuration(words: Words, matched: string | undefined, t: Translate, example: string): Problem {
  const typed = matched ?? words.leftover()[0];
  if (typed === undefined) return words.problem(t('parse.missing', { what: 'duration', example }));
  return words.problem(t('incident.badDuration', { text: typed }));
}
