import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { App, OpenAppResult } from '../app.js';
import { openApp } from '../app.js';
import { saveReplyCharts } from '../adapters/chat/console/charts.js';
import { renderReplyText } from '../adapters/chat/console/render.js';
import type { Config, ConfigResult } from '../config.js';
import { loadConfig } from '../config.js';
import { parseIsoDay } from '../bot/time-zone.js';
import type { Logger } from '../log.js';
import { createLogger } from '../log.js';
import type { AdminCommand, CliIo } from './admin-command.js';
import { adminCommands } from './commands.js';

const USAGE = `Usage:
  mkt <command> [words...] [--json] [--locale en|it] [--as-of YYYY-MM-DD]   ask the bot, e.g. mkt kpi last 30d --json
  mkt help                                                                  the bot's commands
  mkt admin                                                                 operator commands (db, demo, jobs, import, ...)`;

/** Flags the CLI itself reads; any other `--name value` becomes the words "name value" of the command. */
const CLI_FLAGS = { json: { type: 'boolean' }, locale: { type: 'string' }, 'as-of': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** Where the CLI gets its configuration and its app; tests hand in their own database. */
export interface CliDependencies {
  loadConfig(): ConfigResult;
  /** `purpose` names the command in the embedded database's writer lock ('mkt import orders'). */
  openApp(config: Config, log: Logger, clock?: () => Date, purpose?: string): Promise<OpenAppResult>;
}

const realDependencies: CliDependencies = { loadConfig: () => loadConfig(), openApp };

export async function runCli(argv: readonly string[], io: CliIo = stdio(), deps: CliDependencies = realDependencies): Promise<number> {
  const admin = findAdmin(argv);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    io.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === 'admin') {
    io.out(adminCommands.map((command) => `  ${command.usage.padEnd(56)} ${command.description}`).join('\n'));
    return 0;
  }
  const loaded = deps.loadConfig();
  if (!loaded.ok) {
    for (const line of loaded.errors) io.err(line);
    return 2;
  }
  if (admin) return withApp(loaded.config, io, deps, undefined, purposeOf(argv), (app) => admin.command.run(argv.slice(admin.command.words.length), app, io));
  return askBot(argv, loaded.config, io, deps);
}

async function askBot(argv: readonly string[], config: Config, io: CliIo, deps: CliDependencies): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: CLI_FLAGS, allowPositionals: true, strict: false, tokens: true });
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const words: string[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'positional') words.push(token.value);
    if (token.kind === 'option' && !(token.name in CLI_FLAGS)) words.push(token.name, ...(token.value === undefined ? [] : [token.value]));
  }
  const { values } = parsed;
  const locale = values.locale;
  if (locale !== undefined && locale !== 'en' && locale !== 'it') {
    io.err(`--locale: expected en or it, got "${String(locale)}"`);
    return 2;
  }
  const asOfDay = values['as-of'];
  if (asOfDay !== undefined && (typeof asOfDay !== 'string' || !parseIsoDay(asOfDay))) {
    io.err('--as-of: expected a date like 2026-10-31');
    return 2;
  }
  // --as-of D is the words `as-of D`: the bot asks at the end of D in TIME_ZONE and reads nothing later.
  // It does not set the clock, which would make the question one about "now" and read every order.
  return withApp(config, io, deps, undefined, purposeOf(argv), async (app) => {
    const answer = await app.bot.handle({
      text: words.join(' '), platform: 'cli', channelId: 'cli', userId: userInfo().username, ...(locale ? { locale } : {}), ...(asOfDay ? { asOfDay } : {}),
    });
    if (values.json) io.out(JSON.stringify(answer, null, 2));
    else {
      const chartPaths = answer.problem ? new Map() : await saveReplyCharts(answer, config.OUT_DIR);
      (answer.problem ? io.err : io.out)(renderReplyText(answer, { chartPaths, width: process.stdout.columns ?? 100 }));
    }
    if (answer.problem && values.json) io.err(answer.summary);
    return answer.problem ? 1 : 0;
  });
}

/** 'mkt import orders': what another process is told holds the embedded database (no file paths, no values). */
function purposeOf(argv: readonly string[]): string {
  return ['mkt', ...argv.filter((word) => /^[a-z][a-z-]*$/.test(word)).slice(0, 2)].join(' ');
}

function findAdmin(argv: readonly string[]): { command: AdminCommand } | undefined {
  const command = adminCommands.find((candidate) => candidate.words.every((word, index) => argv[index] === word));
  return command ? { command } : undefined;
}

async function withApp(config: Config, io: CliIo, deps: CliDependencies, clock: (() => Date) | undefined, purpose: string, work: (app: App) => Promise<number>): Promise<number> {
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const opened = await deps.openApp(config, log, clock, purpose);
  if (!opened.ok) {
    io.err(opened.error);
    return 2;
  }
  try {
    return await work(opened.app);
  } finally {
    await opened.app.close();
  }
}

export function stdio(): CliIo {
  const isTty = process.stderr.isTTY === true;
  return {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
    progress: (text) => process.stderr.write(isTty ? `\r\u001b[2K${text}` : text + '\n'),
  };
}
