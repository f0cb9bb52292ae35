import type { Db } from '../../src/adapters/store/db.js';
import type { ChatPoster } from '../../src/bot/outbound.js';
import { parseConfig } from '../../src/config.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import type { JobContext } from '../../src/jobs/job.js';
import { recordingLogger } from '../support/bot.js';

/** A job context on a test database: default configuration in `timeZone`, a recording logger. */
export function testJobContext(db: Db, options: { timeZone?: string; clock?: () => Date; posters?: ChatPoster[] } = {}): JobContext & { log: ReturnType<typeof recordingLogger> } {
  const parsed = parseConfig({ TIME_ZONE: options.timeZone ?? 'UTC' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const log = recordingLogger();
  const posters = new Map((options.posters ?? []).map((poster) => [poster.platform, poster] as const));
  const delivery = createDeliveryWorker({ db, posters, clock: options.clock ?? (() => new Date()), log, random: () => 0, holder: 'test-delivery' });
  return { db, config: parsed.config, log, delivery };
}
