import type { JobDefinition } from './job.js';

/** Drains the delivery queue; the worker also polls and is kicked after enqueues, this is the safety net. */
export const deliverJob: JobDefinition = {
  name: 'deliver',
  description: 'post what is due in the outbox, with retries',
  schedule: '*/15 * * * * *',
  async run(context) {
    const counts = await context.delivery.deliverDue();
    const summary = `${counts.delivered} delivered, ${counts.retried} to retry, ${counts.failed} failed`;
    return counts.delivered + counts.retried + counts.failed === 0 ? { summary, skipped: true } : { summary };
  },
};
