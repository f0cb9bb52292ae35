import type { Db } from '../adapters/store/db.js';
import type { Bot } from '../bot/dispatch.js';
import type { Logger } from '../log.js';
import type { Config } from '../config.js';
import type { DeliveryWorker } from './delivery-worker.js';

/** What every job receives: the store, the parsed configuration, a logger, the bot and the delivery queue. */
export interface JobContext {
  db: Db;
  config: Config;
  log: Logger;
  /** The chat's bot, so a job asking it questions (the digest, warming answers) is answered as the chat is. */
  bot: Bot;
  /** Call `delivery.kick()` after a transaction that enqueued posts commits, to post them soon. */
  delivery: DeliveryWorker;
}

/** What a run reports; `skipped` when it had nothing to do (no subscriptions, no new data). */
export interface JobReport {
  summary: string;
  skipped?: boolean;
}

export interface JobDefinition {
  name: string;
  description: string;
  /** A node-cron expression, in the configured TIME_ZONE (a sixth, leading field counts seconds). */
  schedule: string;
  /**
   * The period a run covers, e.g. isoWeekKey → '2026-W48': one run per job and period across
   * replicas, and the period a restarted bot catches up on. A job without one (delivery) takes no
   * lease: it works row by row and its rows are its own locks.
   */
  periodKey?: (asOf: Date, timeZone: string) => string;
  /** How long a run may take before another replica assumes its holder died. */
  leaseMs?: number;
  /** `asOf` is the moment the run stands for: the cron trigger time, or `--as-of` from the CLI. */
  run(context: JobContext, asOf: Date): Promise<JobReport>;
}
