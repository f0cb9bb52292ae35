import { z } from 'zod';
import { createDataPort } from '../adapters/store/data-port.js';
import { subscriptionWeekKey, recordQueuedDigest, selectQueuedDigests, selectDigestSubscriptions } from '../adapters/store/queries/digest.js';
import { enqueuePost } from '../adapters/store/queries/outbox.js';
import type { DigestSubscription } from '../bot/data-port.js';
import type { Reply } from '../bot/reply.js';
import { composeDigestAt } from '../bot/digest/compose.js';
import type { DigestSlot } from '../bot/digest/schedule.js';
import { dueSlot } from '../bot/digest/schedule.js';
import type { JobContext, JobDefinition } from './job.js';
import { minuteSlotKey } from './period-key.js';

/** Builds one subscription's digest for its slot; the real one asks the bot, a test may make it fail. */
export type ComposeDigest = (subscription: DigestSubscription, slot: DigestSlot, context: JobContext) => Promise<Reply>;

/** A subscription row read back from the database: checked before anything is posted with it. */
const StoredAudience = z.object({
  platform: z.enum(['slack', 'teams', 'console', 'file']),
  locale: z.enum(['en', 'it']).nullable(),
});

/** Runs often, so a digest goes out within a quarter of an hour of its local time, whatever the zone. */
const EVERY_15_MINUTES = '0 */15 * * * *';

export const composeSubscriptionDigest: ComposeDigest = async (subscription, slot, context) => {
  const audience = StoredAudience.parse(subscription);
  const platform = audience.platform === 'file' ? 'console' : audience.platform;
  const locale = context.bot.localeFor({ channelId: subscription.channelId, ...(audience.locale ? { locale: audience.locale } : {}) });
  return composeDigestAt({ bot: context.bot, data: createDataPort(context.db) }, { platform, channelId: subscription.channelId, locale }, slot.scheduledAt);
};

export const digestDedupeKey = (subscriptionId: number, weekKey: string): string => `digest:${subscriptionId}:${weekKey}`;

/**
 * Finds subscriptions whose weekday and time have come this ISO week (in their own zone) without
 * a digest, and queues each digest in the transaction that records it: the digests table's unique
 * key and the outbox dedupe key keep it to one per subscription and week across runs and replicas.
 */
export function createDigestJob(compose: ComposeDigest = composeSubscriptionDigest): JobDefinition {
  return {
    name: 'digest',
    description: 'post each subscribed channel its weekly digest',
    schedule: EVERY_15_MINUTES,
    periodKey: minuteSlotKey(15),
    async run(context, asOf) {
      const subscriptions = await selectDigestSubscriptions(context.db);
      const due = subscriptions.flatMap((subscription) => {
        const slot = dueSlot(subscription, asOf);
        if (!slot) return [];
        if (StoredAudience.safeParse(subscription).success) return [{ subscription, slot }];
        // One unreadable row must not hold up every other channel's digest.
        context.log.warn('digest subscription skipped: unknown platform or locale', { subscriptionId: subscription.id, platform: subscription.platform, locale: subscription.locale });
        return [];
      });
      const alreadyQueued = await selectQueuedDigests(context.db, due.map(({ subscription, slot }) => ({ subscriptionId: subscription.id, weekKey: slot.weekKey })));
      const pending = due.filter(({ subscription, slot }) => !alreadyQueued.has(subscriptionWeekKey(subscription.id, slot.weekKey)));
      if (pending.length === 0) return { summary: 'no digest due', skipped: true };
      let queued = 0;
      for (const { subscription, slot } of pending) {
        if (await queueDigest(subscription, slot, await compose(subscription, slot, context), context)) queued += 1;
        context.delivery.kick();
      }
      return { summary: `${queued} of ${pending.length} due digests queued` };
    },
  };
}

export const digestJob = createDigestJob();

/** False when another run recorded this week's digest first; its outbox row is then the one posted. */
function queueDigest(subscription: DigestSubscription, slot: DigestSlot, digest: Reply, context: JobContext): Promise<boolean> {
  const { platform } = StoredAudience.parse(subscription);
  return context.db.transaction(async (tx) => {
    const outboxId = await enqueuePost(tx, {
      dedupeKey: digestDedupeKey(subscription.id, slot.weekKey),
      platform,
      channelId: subscription.channelId,
      reply: digest,
      ...(subscription.owner ? { owner: subscription.owner } : {}),
    });
    return recordQueuedDigest(tx, { subscriptionId: subscription.id, weekKey: slot.weekKey, outboxId, scheduledAt: slot.scheduledAt });
  });
}
