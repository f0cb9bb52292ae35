import type { Db } from '../../src/adapters/store/db.js';
import { createDataPort } from '../../src/adapters/store/data-port.js';
import { ATTRIBUTION_MODELS } from '../../src/analytics/attribution/attribute.js';
import type { BotSettings } from '../../src/bot/command.js';
import { commands } from '../../src/bot/commands/index.js';
import type { Logger } from '../../src/log.js';
import { createBot } from '../../src/bot/dispatch.js';
import type { CommandFigures } from './figures.js';
import { measure } from './measure.js';

const log: Logger = {
  error: (message, details) => process.stderr.write(`bot error: ${message} ${JSON.stringify(details)}\n`),
  warn: () => undefined,
  info: () => undefined,
};

/** Every chat command the issue names; attribution also over every journey the shop has (`allJourneys`, a day range). */
export function benchCommandTexts(allJourneys: string): string[] {
  return [
    'kpi', 'rfm', 'churn',
    ...ATTRIBUTION_MODELS.map((model) => `attribution ${model}`), 'attribution compare',
    ...ATTRIBUTION_MODELS.map((model) => `attribution ${model} ${allJourneys}`), `attribution compare ${allJourneys}`,
    'segment revenue by channel', 'tracking', 'speed', 'budget', 'changes',
  ];
}

/**
 * End-to-end latency of `bot.handle` for each command: cold is its first call in this process (for rfm
 * and churn with no cached fit or answer), warm the second, which reuses what the first left behind, as
 * a person's question does after the warm-answers job has asked it.
 */
export async function benchCommands(db: Db, now: Date, settings: BotSettings, texts: readonly string[]): Promise<CommandFigures[]> {
  const bot = createBot({ data: createDataPort(db), commands, settings, clock: () => now, log });
  // Cold computes: no cached fit and no cached answer (the warm-answers job would have left one).
  await db.exec('DELETE FROM model_cache; DELETE FROM answer_cache');
  const figures: CommandFigures[] = [];
  for (const text of texts) {
    const ask = () => bot.handle({ text, platform: 'cli', channelId: 'cli', userId: 'bench' });
    const cold = await measure(ask);
    const warm = await measure(ask);
    const figure = {
      text, coldMs: cold.ms, warmMs: warm.ms, problem: cold.value.problem ?? null,
      peakRssMb: Math.max(cold.peakRssMb, warm.peakRssMb), peakHeapMb: Math.max(cold.peakHeapMb, warm.peakHeapMb),
    };
    process.stderr.write(`  ${text.padEnd(48)} cold ${cold.ms.toFixed(0).padStart(6)} ms  warm ${warm.ms.toFixed(0).padStart(6)} ms${figure.problem ? `  (${figure.problem}: ${cold.value.summary ?? ''})` : ''}\n`);
    figures.push(figure);
  }
  return figures;
}
