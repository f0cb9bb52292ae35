import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runConsole } from './adapters/chat/console/console.js';
import { verifySlackToken } from './adapters/chat/slack/token.js';
import { openApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { demoEnd, replayDemoIncidents, seedOnFirstStart } from './first-start.js';
import { startChannels } from './start-channels.js';

/**
 * `npm start`: validates the configuration, opens (and on first start prepares) the database,
 * starts the delivery queue, the scheduler and the chat platforms that are configured, and talks
 * in the terminal when no chat platform is configured or a person is at the keyboard.
 */
const loaded = loadConfig();
if (!loaded.ok) {
  for (const line of loaded.errors) process.stderr.write(`${line}\n`);
  process.stderr.write('Fix the variables above (see .env.example) and start again.\n');
  process.exit(1);
}
const config = loaded.config;
const hasChatPlatform = Boolean(config.SLACK_BOT_TOKEN) || Boolean(config.TEAMS_APP_ID) || config.TEAMS_ANONYMOUS_DEV;
// The terminal conversation runs when a person is at the keyboard, or when nothing else would answer;
// CONSOLE=off (the container) always serves: HTTP on PORT until SIGTERM.
const talksInTerminal = config.CONSOLE === 'auto' && (!hasChatPlatform || process.stdin.isTTY === true);
// In the terminal, routine job logs would interleave with the conversation: only warnings and errors.
const log = createLogger(talksInTerminal && config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
// A refused Slack token is one line and a non-zero exit, before the database is opened or anything listens.
const slackIdentity = config.SLACK_BOT_TOKEN ? await verifySlackToken(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) : undefined;
if (slackIdentity && !slackIdentity.ok) {
  process.stderr.write(`${slackIdentity.error}\n`);
  process.exit(1);
}
const isFirstStart = !config.DATABASE_URL && !existsSync(join(config.DATA_DIR, 'PG_VERSION'));
if (isFirstStart) process.stdout.write(`Preparing the embedded database in ${config.DATA_DIR} (first start only, about half a minute)...\n`);

const opened = await openApp(config, log);
if (!opened.ok) {
  process.stderr.write(`${opened.error}\n`);
  process.exit(1);
}
const app = opened.app;
const startedAt = new Date();
const seeded = !config.DATABASE_URL && await seedOnFirstStart(app.db, (line) => process.stdout.write(line), startedAt, app.bot, config.CURRENCY);
// The demo's incident stories are replayed behind the prompt; the scheduler starts once they are.
const demoReplay = seeded ? replayDemoIncidents(app.db, config, demoEnd(startedAt), log) : undefined;
if (demoReplay) process.stdout.write('The monitors are replaying the last two weeks of the demo in the background: `incidents all` lists its incidents as they open.\n');

const started = await startChannels(app, {
  holder: `${hostname()}:${process.pid}`, consoleOutput: process.stdout, serveOps: !talksInTerminal, ...(demoReplay ? { schedulerAfter: demoReplay.done } : {}),
  ...(slackIdentity?.ok ? { slackIdentity: slackIdentity.value } : {}),
});
if (!started.ok) {
  process.stderr.write(`${started.error}\n`);
  await demoReplay?.stop();
  await app.close();
  process.exit(1);
}
const channels = started.value;

/** A container runtime kills the process 10 s after SIGTERM; whatever is still running then is cut off here first. */
const STOP_LIMIT_MS = 9_500;
let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    log.error('stop took too long; exiting now', { limitMs: STOP_LIMIT_MS });
    process.exit(code === 0 ? 1 : code);
  }, STOP_LIMIT_MS).unref();
  await demoReplay?.stop();
  await channels.stop();
  await app.close();
  process.exit(code);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (talksInTerminal) {
  await runConsole(app.bot, {
    input: process.stdin,
    output: process.stdout,
    outDir: config.OUT_DIR,
    historyFile: config.DATABASE_URL ? undefined : join(config.DATA_DIR, 'console-history'),
  });
  await stop();
} else {
  log.info('serving', { platforms: channels.platforms, port: channels.opsPort });
}
