import type { Config } from './config.js';
import { createDataPort } from './adapters/store/data-port.js';
import type { Metrics } from './adapters/http/metrics.js';
import { createMetrics } from './adapters/http/metrics.js';
import type { Db } from './adapters/store/db.js';
import { migrate } from './adapters/store/migrate.js';
import { describeOpenError, openDb } from './adapters/store/open.js';
import { watchAvailability } from './adapters/store/availability.js';
import { readFile } from 'node:fs/promises';
import { labRulesWithLcpShare } from './analytics/lab-regression.js';
import { DEFAULT_RFM_SEGMENT_MAP, RfmSegmentMap } from './analytics/rfm-segments.js';
import type { BotSettings } from './bot/command.js';
import type { Result } from './bot/result.js';
import { commands } from './bot/commands/index.js';
import type { Bot } from './bot/dispatch.js';
import type { Logger } from './log.js';
import { createBot } from './bot/dispatch.js';

export interface App {
  config: Config;
  db: Db;
  bot: Bot;
  log: Logger;
  /** Prometheus metrics; the bot counts its answers into them. */
  metrics: Metrics;
  close(): Promise<void>;
}

export type OpenAppResult = { ok: true; app: App } | { ok: false; error: string };

export function botSettings(config: Config, rfmSegmentMap: RfmSegmentMap = DEFAULT_RFM_SEGMENT_MAP): BotSettings {
  return {
    rfmSegmentMap,
    locale: config.LOCALE,
    channelLocales: config.CHANNEL_LOCALES,
    currency: config.CURRENCY,
    timeZone: config.TIME_ZONE,
    customerDataAllowlist: config.CUSTOMER_DATA_ALLOWLIST,
    attributionModel: config.ATTRIBUTION_MODEL,
    churnMinPAlive: config.CHURN_MIN_P_ALIVE,
    labRules: labRulesWithLcpShare(config.MONITOR_LCP_REGRESSION),
    roles: {
      admins: config.ADMINS,
      owners: { dev: config.DEV_OWNERS, marketing: config.MARKETING_OWNERS },
      digestOwners: config.DIGEST_OWNERS,
      teamChannels: { dev: config.DEV_CHANNEL, marketing: config.MARKETING_CHANNEL },
    },
  };
}

/** Opens and migrates the store and builds the bot; a store that cannot be opened is one line of error. */
export async function openApp(config: Config, log: Logger, clock: () => Date = () => new Date(), purpose = 'bot'): Promise<OpenAppResult> {
  let db: Db;
  try {
    db = await openDb(config, purpose);
  } catch (error) {
    return { ok: false, error: describeOpenError(error, config) };
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    return { ok: false, error: `database migration failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const segmentMap = await loadSegmentMap(config.RFM_SEGMENT_MAP);
  if (!segmentMap.ok) {
    await db.close().catch(() => undefined);
    return { ok: false, error: segmentMap.error };
  }
  // An outage is logged once for the whole process, however many requests and jobs meet it.
  db = watchAvailability(db, log);
  const metrics = createMetrics(db);
  const bot = createBot({ data: createDataPort(db), commands, settings: botSettings(config, segmentMap.value), clock, log, onAnswer: metrics.observeAnswer });
  return { ok: true, app: { config, db, bot, log, metrics, close: () => db.close() } };
}

/** RFM_SEGMENT_MAP: a JSON file replacing the default map, checked so every score lands in one segment. */
async function loadSegmentMap(path: string | undefined): Promise<Result<RfmSegmentMap, string>> {
  if (!path) return { ok: true, value: DEFAULT_RFM_SEGMENT_MAP };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, error: `RFM_SEGMENT_MAP: ${path} is not readable JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = RfmSegmentMap.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `RFM_SEGMENT_MAP: ${path}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` };
}
