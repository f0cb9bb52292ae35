import type { Platform } from '../command.js';
import type { DataPort } from '../data-port.js';
import type { Bot } from '../dispatch.js';
import { SLIPPING_SEGMENTS, VALUABLE_SEGMENTS } from '../rfm-segment-names.js';
import { createFormatter } from '../format.js';
import type { Locale } from '../messages/index.js';
import { translator } from '../messages/index.js';
import type { Reply } from '../reply.js';
import type { DigestSources } from './digest.js';
import { composeDigest } from './digest.js';
import { digestWeek } from './schedule.js';

export interface DigestAudience {
  platform: Platform;
  channelId: string;
  locale: Locale;
}

/** The bot that answers the digest's questions, and the data port for what no command answers. */
export interface DigestBotParts {
  bot: Bot;
  data: DataPort;
}

/** The bot's own user id when the digest asks it questions; shows in logs and the audit trail. */
export const DIGEST_USER = 'digest';
/** Incidents read to find the week's: far more than any week has open. */
const INCIDENT_SCAN_LIMIT = 500;
// The digest reads only the transition matrix, which the rfm command's slide lists do not change, but
// asking with the same lists makes the week's scoring the same question the digest's `rfm` answer asked,
// so the store answers it from its answer cache.

/**
 * The digest due at `at` for one channel: a bot on the same data answers the digest's questions
 * as of that moment (so a late or repeated run composes the same week), in the channel's language.
 */
export function composeDigestAt(parts: DigestBotParts, audience: DigestAudience, at: Date): Promise<Reply> {
  const { settings } = parts.bot;
  return composeDigest(digestSources(parts, audience, at), {
    week: digestWeek(at, settings.timeZone),
    attributionModel: settings.attributionModel,
    t: translator(audience.locale),
    fmt: createFormatter(audience.locale, settings.currency, settings.timeZone),
  });
}

/** What the digest due at `at` reads: the bot's answers as of then, the data port for the rest. */
export function digestSources(parts: DigestBotParts, audience: DigestAudience, at: Date): DigestSources {
  const bot = parts.bot.at(at);
  return {
    ask: (text) => bot.handle({ text, platform: audience.platform, channelId: audience.channelId, userId: DIGEST_USER, locale: audience.locale }),
    // Scored in the database as the rfm command scores (its points and segment map), so the counts agree with its answer.
    async segmentMoves(start, end) {
      const aggregates = await parts.data.rfmAggregates({
        start: { end: start, isNow: false },
        end: { end, isNow: end.getTime() >= at.getTime() },
        segmentMap: parts.bot.settings.rfmSegmentMap,
        valuable: VALUABLE_SEGMENTS,
        slipping: SLIPPING_SEGMENTS,
        topSlid: 0,
      });
      return aggregates.transitions;
    },
    async weekActivity(range) {
      const [totals, days] = await Promise.all([parts.data.kpiTotals(range), parts.data.dailyActivity(range, parts.bot.settings.timeZone)]);
      return { totals, days };
    },
    recentIncidents: () => parts.data.incidents('all', INCIDENT_SCAN_LIMIT),
  };
}
