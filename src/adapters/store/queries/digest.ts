import type { DigestData, DigestSubscription, NewDigestSubscription } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

const KIND = 'weekly_digest';

interface RawSubscription {
  id: number; platform: string; channel_id: string; owner: string | null; weekday: number; local_time: string;
  time_zone: string; locale: string | null; created_at: Date; last_week_key: string | null;
}

const toSubscription = (row: RawSubscription): DigestSubscription => ({
  id: row.id, platform: row.platform, channelId: row.channel_id, owner: row.owner, weekday: row.weekday, localTime: row.local_time,
  timeZone: row.time_zone, locale: row.locale, createdAt: row.created_at, lastWeekKey: row.last_week_key,
});

const SELECT_SUBSCRIPTIONS = `
  SELECT s.id, s.platform, s.channel_id, s.owner, s.weekday, s.local_time, s.time_zone, s.locale, s.created_at,
         (SELECT max(d.week_key) FROM digests d WHERE d.subscription_id = s.id) AS last_week_key
    FROM subscriptions s
   WHERE s.kind = '${KIND}'`;

/** Every weekly digest subscription, oldest first, with the last week it was sent for. */
export async function selectDigestSubscriptions(db: Db): Promise<DigestSubscription[]> {
  const rows = await db.query<RawSubscription>(`${SELECT_SUBSCRIPTIONS} ORDER BY s.id`);
  return rows.map(toSubscription);
}

/** Which of the (subscription, week) pairs already have their digest queued, as subscriptionWeekKey keys. */
export async function selectQueuedDigests(db: Db, pairs: readonly { subscriptionId: number; weekKey: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await db.query<{ subscription_id: number; week_key: string }>(
    `SELECT d.subscription_id, d.week_key FROM digests d
       JOIN unnest($1::bigint[], $2::text[]) AS wanted (subscription_id, week_key)
         ON wanted.subscription_id = d.subscription_id AND wanted.week_key = d.week_key`,
    [pairs.map((pair) => pair.subscriptionId), pairs.map((pair) => pair.weekKey)],
  );
  return new Set(rows.map((row) => subscriptionWeekKey(row.subscription_id, row.week_key)));
}

export const subscriptionWeekKey = (subscriptionId: number, weekKey: string): string => `${subscriptionId}:${weekKey}`;

/**
 * Records a subscription's digest for a week, pointing at its outbox row; false when one was
 * recorded already (another replica, or an earlier run). Call it in the transaction that enqueues the post.
 */
export async function recordQueuedDigest(tx: Db, digest: { subscriptionId: number; weekKey: string; outboxId: number; scheduledAt: Date }): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO digests (subscription_id, week_key, outbox_id, scheduled_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subscription_id, week_key) DO NOTHING RETURNING id`,
    [digest.subscriptionId, digest.weekKey, digest.outboxId, digest.scheduledAt.toISOString()],
  );
  return inserted.length === 1;
}

/** Subscriptions as the chat command manages them: one per channel, a second subscribe changes its schedule. */
export function digestQueries(db: Db): DigestData {
  return {
    async subscribeDigest(subscription: NewDigestSubscription): Promise<DigestSubscription> {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO subscriptions (kind, platform, channel_id, owner, weekday, local_time, time_zone, locale, created_at)
         VALUES ('${KIND}', $1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kind, platform, channel_id) DO UPDATE
            SET owner = EXCLUDED.owner, weekday = EXCLUDED.weekday, local_time = EXCLUDED.local_time,
                time_zone = EXCLUDED.time_zone, locale = EXCLUDED.locale,
                -- A new schedule starts now, like a new subscription: a slot already past this week waits for next week.
                created_at = EXCLUDED.created_at
         RETURNING id`,
        [subscription.platform, subscription.channelId, subscription.owner, subscription.weekday, subscription.localTime,
          subscription.timeZone, subscription.locale, subscription.createdAt.toISOString()],
      );
      const [stored] = await db.query<RawSubscription>(`${SELECT_SUBSCRIPTIONS} AND s.id = $1`, [row?.id]);
      if (!stored) throw new Error('digest subscription vanished right after it was written');
      return toSubscription(stored);
    },
    async unsubscribeDigest(platform: string, channelId: string): Promise<boolean> {
      const deleted = await db.query(`DELETE FROM subscriptions WHERE kind = '${KIND}' AND platform = $1 AND channel_id = $2 RETURNING id`, [platform, channelId]);
      return deleted.length > 0;
    },
    digestSubscriptions: () => selectDigestSubscriptions(db),
  };
}
