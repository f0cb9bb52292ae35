import { createDataPort } from '../../src/adapters/store/data-port.js';
import type { Db } from '../../src/adapters/store/db.js';
import { botSettings } from '../../src/app.js';
import type { BotSettings } from '../../src/bot/command.js';
import { commands } from '../../src/bot/commands/index.js';
import { createBot } from '../../src/bot/dispatch.js';
import type { ChatPoster } from '../../src/bot/outbound.js';
import { parseConfig } from '../../src/config.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import type { JobContext } from '../../src/jobs/job.js';
import { expect, onTestFinished } from 'vitest';
import { recordingLogger } from '../support/bot.js';

/** A job context on a test database: default configuration in `timeZone`, its bot with `settings` over it, a recording logger. */
export function testJobContext(db: Db, options: { timeZone?: string; clock?: () => Date; posters?: ChatPoster[]; settings?: Partial<BotSettings> } = {}): JobContext & { log: ReturnType<typeof recordingLogger> } {
  const parsed = parseConfig({ TIME_ZONE: options.timeZone ?? 'UTC' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const log = recordingLogger();
  const posters = new Map((options.posters ?? []).map((poster) => [poster.platform, poster] as const));
  const clock = options.clock ?? (() => new Date());
  const delivery = createDeliveryWorker({ db, posters, clock, log, random: () => 0, holder: 'test-delivery' });
  // A job kicks its delivery worker, whose pass starts after a debounce: made inside a test, the worker
  // stops with it, or that pass would run on the connection the next test's transaction has taken.
  if (expect.getState().currentTestName !== undefined) onTestFinished(() => delivery.stop());
  const bot = createBot({ data: createDataPort(db), commands, settings: { ...botSettings(parsed.config), ...options.settings }, clock, log });
  return { db, config: parsed.config, log, bot, delivery };
}
