import type { Db } from '../../adapters/store/db.js';
import type { Config } from '../../config.js';
import type { JobDefinition } from '../job.js';
import { minuteSlotKey } from '../period-key.js';
import type { MonitorRunReport } from './run-monitors.js';
import { runMonitors } from './run-monitors.js';
import { monitorSettings } from './settings.js';

const EVERY_15_MINUTES = '0 */15 * * * *';
/** How often the scheduler evaluates the monitors; `mkt monitors replay` steps at this pace by default. */
export const MONITOR_EVERY_MINUTES = 15;

export type MonitorConfig = Pick<Config, 'DEV_CHANNEL' | 'MARKETING_CHANNEL' | 'LOCALE' | 'CURRENCY' | 'TIME_ZONE'> & Parameters<typeof monitorSettings>[0];

/**
 * One pass of every monitor at `asOf` with the configured thresholds and channels: what the
 * scheduled job runs each quarter hour, and what a replay runs at each of its steps.
 */
export function monitorPass(db: Db, config: MonitorConfig, asOf: Date): Promise<MonitorRunReport> {
  return runMonitors(db, {
    asOf,
    settings: monitorSettings(config),
    channels: { dev: config.DEV_CHANNEL, marketing: config.MARKETING_CHANNEL },
    locale: config.LOCALE,
    currency: config.CURRENCY,
    timeZone: config.TIME_ZONE,
  });
}

/** Evaluates every monitor each quarter hour; the lease per slot keeps replicas from evaluating twice. */
export const monitorJob: JobDefinition = {
  name: 'monitors',
  description: 'evaluate tracking and page-speed signals; open, update and resolve incidents',
  schedule: EVERY_15_MINUTES,
  periodKey: minuteSlotKey(MONITOR_EVERY_MINUTES),
  async run(context, asOf) {
    const report = await monitorPass(context.db, context.config, asOf);
    const changed = report.actions.filter((entry) => entry.action !== 'none' && entry.action !== 'already_evaluated');
    if (changed.length > 0) context.delivery.kick();
    const summary = `${report.evaluations.length} signals evaluated; ${changed.map((entry) => `${entry.action} ${entry.signal} ${entry.target}`).join(', ') || 'no incident changed'}`;
    return changed.length === 0 ? { summary, skipped: true } : { summary };
  },
};
