import type { SegmentAssignment } from '../../analytics/rfm-segments.js';
import { segmentMovement } from '../../analytics/rfm-segments.js';
import type { AnyCommand, BotSettings, Platform } from '../command.js';
import { scoreHistories } from '../commands/rfm.js';
import type { CustomerHistory, DataPort } from '../data-port.js';
import type { Logger } from '../dispatch.js';
import { createBot } from '../dispatch.js';
import { createFormatter } from '../format.js';
import type { Locale } from '../messages/index.js';
import { translator } from '../messages/index.js';
import type { Reply } from '../reply.js';
import { composeDigest } from './digest.js';
import { digestWeek } from './schedule.js';

export interface DigestAudience {
  platform: Platform;
  channelId: string;
  locale: Locale;
}

export interface DigestBotParts {
  data: DataPort;
  commands: readonly AnyCommand[];
  settings: BotSettings;
  log: Logger;
}

/** The bot's own user id when the digest asks it questions; shows in logs and the audit trail. */
export const DIGEST_USER = 'digest';
/** Incidents read to find the week's: far more than any week opens. */
const INCIDENT_SCAN_LIMIT = 500;

/**
 * The digest due at `at` for one channel: a bot on the same data answers the digest's questions
 * as of that moment (so a late or repeated run composes the same week), in the channel's language.
 */
export function composeDigestAt(parts: DigestBotParts, audience: DigestAudience, at: Date): Promise<Reply> {
  const bot = createBot({ ...parts, clock: () => at });
  const { settings } = parts;
  return composeDigest({
    ask: (text) => bot.handle({ text, platform: audience.platform, channelId: audience.channelId, userId: DIGEST_USER, locale: audience.locale }),
    async segmentMoves(start, end) {
      const [before, after] = await Promise.all([parts.data.customerHistories({ end: start, isNow: false }), parts.data.customerHistories({ end, isNow: false })]);
      return segmentMovement(assignments(before), assignments(after));
    },
    async incidentsOpened(start, end) {
      const incidents = await parts.data.incidents('all', INCIDENT_SCAN_LIMIT);
      return incidents.filter((incident) => incident.openedAt >= start && incident.openedAt < end).reverse();
    },
  }, {
    week: digestWeek(at, settings.timeZone),
    attributionModel: settings.attributionModel,
    t: translator(audience.locale),
    fmt: createFormatter(audience.locale, settings.currency, settings.timeZone),
  });
}

/** Scored the way the rfm command scores, so the digest's counts agree with its answer. */
function assignments(histories: readonly CustomerHistory[]): SegmentAssignment[] {
  return scoreHistories(histories).map((scored) => ({ customerId: scored.customerId, segmentId: scored.segmentId, monetary: scored.monetary }));
}
