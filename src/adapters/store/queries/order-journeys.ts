import type { Db } from '../db.js';
import type { JourneyScope } from './journey-sql.js';
import {
  browsingJourneysSelect, browsingTouchesSelect, EVERY_IDENTITY, linksSelect, orderJourneysSelect, orderTouchesSelect, placedTouchesSelect,
} from './journey-sql.js';

/**
 * Maintenance of the kept journeys (migration 017): visitor_links, order_journeys,
 * browsing_journeys and their day counts. Triggers on orders and touchpoints mark identities
 * dirty; these functions bring the journeys up to date before attribution reads them, as
 * customer-summaries.ts does for customer_summaries.
 */

/** The lookback the kept journeys are built for: the commands' (src/bot/commands/attribution.ts, budget.ts). */
export const STORED_LOOKBACK_DAYS = 30;
const STORED_LOOKBACK = `${STORED_LOOKBACK_DAYS} * interval '1 day'`;

/**
 * Browsing spans longer than this have an index of their own (browsing_journeys_long, whose
 * predicate names the same interval); shorter ones crossing a range edge start at most this before it.
 */
export const SHORT_SPAN = "interval '168 hours'";

/** The dirty mark a TRUNCATE (or the migration) leaves: every journey is to be rebuilt. */
const EVERYTHING = '*';
/** When at least this share of the kept journeys is dirty, one full rebuild beats per-identity work. */
const FULL_REBUILD_SHARE = 0.5;
/** Memory for a rebuild's sorts: it places every touch at once, which spills at the default 4 MB. */
const REBUILD_WORK_MEM = '256MB';

const ORDER_JOURNEY_COLUMNS = ['order_id', 'customer_id', 'ordered_at', 'revenue', 'channel_path', 'campaign_path', 'ages'];
const BROWSING_JOURNEY_COLUMNS = ['identity', 'after_orders', 'first_at', 'last_at', 'channel_path', 'campaign_path', 'ats'];
const LINK_COLUMNS = ['anonymous_id', 'customer_id', 'first_at', 'until_at', 'is_first'];
/** browsing_day_paths counts browsing journeys by these, computed from a browsing_journeys row. */
const DAY_PATH_KEYS = "(first_at AT TIME ZONE 'UTC')::date AS first_day, channel_path, campaign_path";

/** The identities of one refresh, in temporary tables dropped at commit. */
const REFRESH_SCOPE: JourneyScope = {
  customer: (column) => `${column} IN (SELECT customer_id FROM refresh_customers)`,
  visitor: (column) => `${column} IN (SELECT anonymous_id FROM refresh_visitors)`,
};

/**
 * Brings the kept journeys up to date with orders and touchpoints: the dirty identities' (all of
 * them when most are dirty). The EXCLUSIVE lock on dirty_identities waits for every writer that
 * marked one and has not committed yet, and holds new ones back until we commit: so the rows we
 * read include every marked change, and no mark made after our read is deleted with ours.
 */
export async function refreshJourneys(db: Db): Promise<void> {
  const [pending] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM dirty_identities) AS any');
  if (!pending?.any) return;
  await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE dirty_identities IN EXCLUSIVE MODE');
    const [marked] = await tx.query<{ dirty: number; everything: boolean }>(
      'SELECT count(*)::int AS dirty, bool_or(identity = $1) AS everything FROM dirty_identities', [EVERYTHING]);
    const dirty = marked?.dirty ?? 0;
    if (dirty === 0) return;
    // Counting stops just past twice the dirty marks: enough to tell "most are dirty" without reading a large table.
    const limit = Math.ceil(dirty / FULL_REBUILD_SHARE) + 1;
    const [stored] = await tx.query<{ rows: number }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM order_journeys LIMIT $1) AS some_orders)
            + (SELECT count(*) FROM (SELECT 1 FROM browsing_journeys LIMIT $1) AS some_browsing) AS rows`, [limit]);
    if (marked?.everything || dirty >= FULL_REBUILD_SHARE * Number(stored?.rows ?? 0)) await rebuildInside(tx);
    else await refreshInside(tx);
  });
}

/** Recomputes every kept journey from orders and touchpoints, whatever is marked. */
export async function rebuildJourneys(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE dirty_identities IN EXCLUSIVE MODE');
    await rebuildInside(tx);
  });
}

async function refreshInside(tx: Db): Promise<void> {
  await tx.exec(`CREATE TEMP TABLE refresh_customers (customer_id text PRIMARY KEY) ON COMMIT DROP;
                 CREATE TEMP TABLE refresh_visitors (anonymous_id text PRIMARY KEY) ON COMMIT DROP`);
  await tx.exec(`WITH taken AS (DELETE FROM dirty_identities RETURNING identity),
                      customers AS (INSERT INTO refresh_customers SELECT substr(identity, 3) FROM taken WHERE left(identity, 2) = 'c:')
                 INSERT INTO refresh_visitors SELECT substr(identity, 3) FROM taken WHERE left(identity, 2) = 'a:'`);
  // A dirty visitor's links are recomputed whole; every customer they reached before or reach now
  // may gain or lose that visitor's touches.
  await tx.exec(`WITH gone AS (DELETE FROM visitor_links WHERE ${REFRESH_SCOPE.visitor('anonymous_id')} RETURNING customer_id)
                 INSERT INTO refresh_customers SELECT DISTINCT customer_id FROM gone ON CONFLICT DO NOTHING`);
  await tx.exec(`WITH made AS (INSERT INTO visitor_links (${LINK_COLUMNS.join(', ')}) ${linksSelect(REFRESH_SCOPE)} RETURNING customer_id)
                 INSERT INTO refresh_customers SELECT DISTINCT customer_id FROM made ON CONFLICT DO NOTHING`);
  // Temporary tables get no statistics until analysed: the planner would guess a thousand rows each.
  await tx.exec('ANALYZE refresh_customers; ANALYZE refresh_visitors');
  await placeTouches(tx, REFRESH_SCOPE);

  await tx.exec(`DELETE FROM order_journeys WHERE ${REFRESH_SCOPE.customer('customer_id')}`);
  await tx.exec(`INSERT INTO order_journeys (${ORDER_JOURNEY_COLUMNS.join(', ')}) ${orderJourneys(REFRESH_SCOPE)}`);

  // browsing_day_paths moves with the rows: minus the replaced journeys, plus the fresh ones.
  const identities = `identity IN (SELECT 'c:' || customer_id FROM refresh_customers UNION ALL SELECT 'a:' || anonymous_id FROM refresh_visitors)`;
  await tx.exec(`WITH replaced AS (DELETE FROM browsing_journeys WHERE ${identities} RETURNING ${DAY_PATH_KEYS})
                 ${countDayPaths('replaced', -1)}`);
  await tx.exec(`WITH fresh AS (INSERT INTO browsing_journeys (${BROWSING_JOURNEY_COLUMNS.join(', ')}) ${browsingJourneys(REFRESH_SCOPE)}
                                RETURNING ${DAY_PATH_KEYS})
                 ${countDayPaths('fresh', 1)}`);
  await tx.exec('DELETE FROM browsing_day_paths WHERE visitors = 0');
}

/** Adds `sign` × the journeys of `rows` (first day, channel path, campaign path) to browsing_day_paths. */
function countDayPaths(rows: string, sign: 1 | -1): string {
  return `INSERT INTO browsing_day_paths (first_day, channel_path, campaign_path, visitors)
          SELECT first_day, channel_path, campaign_path, ${sign} * count(*) FROM ${rows} GROUP BY 1, 2, 3
          ON CONFLICT (first_day, channel_path, campaign_path) DO UPDATE SET visitors = browsing_day_paths.visitors + EXCLUDED.visitors`;
}

/** TRUNCATE, not DELETE: a rebuild replaces millions of rows, and deleting them would leave as many dead. */
async function rebuildInside(tx: Db): Promise<void> {
  await tx.query(`SET LOCAL work_mem = '${REBUILD_WORK_MEM}'`);
  await tx.exec('TRUNCATE order_journeys, browsing_journeys, browsing_day_paths, visitor_links, dirty_identities');
  await tx.exec(`INSERT INTO visitor_links (${LINK_COLUMNS.join(', ')}) ${linksSelect(EVERY_IDENTITY)}`);
  await tx.exec('ANALYZE visitor_links');
  await placeTouches(tx, EVERY_IDENTITY);
  // Clustered by time, so a range reads few pages.
  await tx.exec(`INSERT INTO order_journeys (${ORDER_JOURNEY_COLUMNS.join(', ')})
                 SELECT * FROM (${orderJourneys(EVERY_IDENTITY)}) AS every_journey ORDER BY ordered_at`);
  await tx.exec(`INSERT INTO browsing_journeys (${BROWSING_JOURNEY_COLUMNS.join(', ')})
                 SELECT * FROM (${browsingJourneys(EVERY_IDENTITY)}) AS every_journey ORDER BY first_at`);
  await tx.exec(`INSERT INTO browsing_day_paths (first_day, channel_path, campaign_path, visitors)
                 SELECT ${DAY_PATH_KEYS}, count(*) FROM browsing_journeys GROUP BY 1, 2, 3`);
  // The planner's row counts for the new tables: until autovacuum gets to them, it would guess from empty ones.
  await tx.exec('ANALYZE order_journeys; ANALYZE browsing_journeys; ANALYZE browsing_day_paths');
}

/** The scoped customers' free touches placed on their timelines, kept for this transaction: both journey kinds read them. */
async function placeTouches(tx: Db, scope: JourneyScope): Promise<void> {
  await tx.exec(`CREATE TEMP TABLE placed_touches ON COMMIT DROP AS ${placedTouchesSelect(scope, STORED_LOOKBACK, 'visitor_links')}`);
  await tx.exec('ANALYZE placed_touches');
}

const orderJourneys = (scope: JourneyScope): string =>
  orderJourneysSelect(scope, orderTouchesSelect(scope, STORED_LOOKBACK, 'placed_touches'));

const browsingJourneys = (scope: JourneyScope): string =>
  browsingJourneysSelect(browsingTouchesSelect(scope, STORED_LOOKBACK, 'placed_touches', 'visitor_links'));
