import type { App } from '../../src/app.js';
import { createMetrics } from '../../src/adapters/http/metrics.js';
import { botSettings } from '../../src/app.js';
import { createDataPort } from '../../src/adapters/store/data-port.js';
import type { Db } from '../../src/adapters/store/db.js';
import { commands } from '../../src/bot/commands/index.js';
import { createBot } from '../../src/bot/dispatch.js';
import type { CliIo } from '../../src/cli/admin-command.js';
import type { CliDependencies } from '../../src/cli/index.js';
import { runCli } from '../../src/cli/index.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

export interface CapturedIo extends CliIo {
  lines: string[];
  errors: string[];
}

export function captureIo(): CapturedIo {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (text) => void lines.push(text), err: (text) => void errors.push(text), progress: () => undefined };
}

/** An app over the test database with the configuration `env` gives; closing it leaves the database open. */
export function testApp(db: Db, env: Record<string, string> = {}, clock: () => Date = () => new Date()): App {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const log = createLogger('silent');
  const metrics = createMetrics(db);
  const bot = createBot({ data: createDataPort(db), commands, settings: botSettings(parsed.config), clock, log, onAnswer: metrics.observeAnswer });
  return { config: parsed.config, db, log, bot, metrics, close: async () => undefined };
}

/**
 * Runs `mkt <argv>` as the command line does (argument parsing, exit code, what goes to stdout and
 * stderr), on the test database: the configuration is `env` and the app opens on `db`.
 */
export async function runMkt(db: Db, argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo();
  const deps: CliDependencies = {
    loadConfig: () => parseConfig(env),
    openApp: async (config, _log, clock) => ({ ok: true, app: { ...testApp(db, env, clock), config } }),
  };
  const code = await runCli(argv, io, deps);
  return { code, io };
}
