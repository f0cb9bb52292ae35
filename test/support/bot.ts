import { DEFAULT_LAB_RULES } from '../../src/analytics/lab-regression.js';
import { OPEN_ROLES } from '../../src/bot/roles.js';
import { DEFAULT_RFM_SEGMENT_MAP } from '../../src/analytics/rfm-segments.js';
import type { Db } from '../../src/adapters/store/db.js';
import { createDataPort } from '../../src/adapters/store/data-port.js';
import type { BotRequest, BotSettings } from '../../src/bot/command.js';
import { commands } from '../../src/bot/commands/index.js';
import type { Bot } from '../../src/bot/dispatch.js';
import type { Logger } from '../../src/log.js';
import { createBot } from '../../src/bot/dispatch.js';
import type { Reply } from '../../src/bot/reply.js';

export const testSettings: BotSettings = {
  locale: 'en',
  channelLocales: {},
  currency: 'EUR',
  timeZone: 'UTC',
  customerDataAllowlist: [],
  attributionModel: 'markov',
  churnMinPAlive: 0.1,
  rfmSegmentMap: DEFAULT_RFM_SEGMENT_MAP,
  labRules: DEFAULT_LAB_RULES,
  roles: OPEN_ROLES,
};

/** Records what the bot logs, so tests can assert a failure was logged once. */
export function recordingLogger(): Logger & { lines: { level: string; message: string; details?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, details?: Record<string, unknown>) => {
    lines.push({ level, message, ...(details ? { details } : {}) });
  };
  return { lines, error: at('error'), warn: at('warn'), info: at('info') };
}

export function createTestBot(db: Db, options: { now: Date; settings?: Partial<BotSettings> }): Bot {
  return createBot({
    data: createDataPort(db),
    commands,
    settings: { ...testSettings, ...options.settings },
    clock: () => options.now,
    log: recordingLogger(),
  });
}

export function ask(bot: Bot, text: string, request: Partial<BotRequest> = {}): Promise<Reply> {
  return bot.handle({ text, platform: 'console', channelId: 'console', userId: 'tester', ...request });
}

/** The table block of a reply (the first one unless an index is given). */
export function tableOf(reply: Reply, index = 0) {
  const tables = reply.blocks.filter((block) => block.type === 'table');
  const table = tables[index];
  if (!table || table.type !== 'table') throw new Error(`reply "${reply.title}" has no table #${index}: ${reply.summary}`);
  return table;
}

/** A table row found by the text of its first cell. */
export function rowOf(reply: Reply, firstCell: string, tableIndex = 0) {
  const row = tableOf(reply, tableIndex).rows.find((cells) => cells[0]?.text === firstCell);
  if (!row) throw new Error(`no row "${firstCell}" in reply "${reply.title}"`);
  return row;
}
