import type { JobDefinition } from '../job.js';
import { minuteSlotKey } from '../period-key.js';
import { runMonitors } from './run-monitors.js';
import { monitorSettings } from './settings.js';

const EVERY_15_MINUTES = '0 */15 * * * *';

/** Evaluates every monitor each quarter hour; the lease per slot keeps replicas from evaluating twice. */
export const monitorJob: JobDefinition = {
  name: 'monitors',
  description: 'evaluate tracking and page-speed signals; open, update and resolve incidents',
  schedule: EVERY_15_MINUTES,
  periodKey: minuteSlotKey(15),
  async run(context, asOf) {
    const { config } = context;
    const report = await runMonitors(context.db, {
      asOf,
      settings: monitorSettings(config),
      channels: { dev: config.DEV_CHANNEL, marketing: config.MARKETING_CHANNEL },
      locale: config.LOCALE,
      currency: config.CURRENCY,
      timeZone: config.TIME_ZONE,
    });
    const changed = report.actions.filter((entry) => entry.action !== 'none' && entry.action !== 'already_evaluated');
    if (changed.length > 0) context.delivery.kick();
    const summary = `${report.evaluations.length} signals evaluated; ${changed.map((entry) => `${entry.action} ${entry.signal} ${entry.target}`).join(', ') || 'no incident changed'}`;
    return changed.length === 0 ? { summary, skipped: true } : { summary };
  },
};
