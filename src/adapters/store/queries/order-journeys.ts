import type { AttributionDimension } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { DAY_S } from '../../../analytics/time.js';

/**
 * Maintenance of order_journeys and browsing_journeys (migration 009). Triggers on orders and
 * touchpoints mark orders and visitors dirty; these functions bring the journeys up to date before
 * attribution reads them, as customer-summaries.ts does for customer_summaries.
 */

/** The lookback order_journeys is built for: the commands' (src/bot/commands/attribution.ts, budget.ts). */
export const STORED_LOOKBACK_DAYS = 30;

/**
 * Browsing spans longer than this have an index of their own (browsing_journeys_long, whose
 * predicate names the same interval); shorter ones crossing a range edge start at most this before it.
 */
export const SHORT_SPAN = "interval '168 hours'";

/** The SQL expression that names a touch (or a spend row) for a dimension; fixed text, never user input. */
export function labelOf(dimension: AttributionDimension, alias: string): string {
  return dimension === 'channel'
    ? `${alias}.channel`
    : `coalesce(nullif(${alias}.campaign, ''), '(' || ${alias}.channel || ')')`;
}

/** The key of a visitor's browsing journey: the customer when known, else the anonymous id. */
const visitorOf = (alias: string): string => `coalesce('c:' || ${alias}.customer_id, 'a:' || ${alias}.anonymous_id)`;

/** A path of touch labels in time order (ties by id), joined by chr(31). */
const pathOf = (dimension: AttributionDimension): string => `string_agg(${labelOf(dimension, 't')}, chr(31) ORDER BY t.at, t.id)`;

/**
 * Each order's journey: its touches in the lookback window before it. An order without such a
 * touch keeps a row with NULL paths, so the orders without touches are counted from the same table.
 * `filter` (a WHERE clause on o) narrows the orders.
 */
function orderJourneySelect(filter: string): string {
  return `SELECT o.id AS order_id, o.ordered_at, o.revenue,
                 ${pathOf('channel')} AS channel_path,
                 ${pathOf('campaign')} AS campaign_path,
                 string_agg(round(extract(epoch FROM o.ordered_at - t.at) / ${DAY_S})::int::text, ',' ORDER BY t.at, t.id) AS ages
            FROM orders o
            LEFT JOIN touchpoints t ON t.order_id = o.id
                  AND t.at <= o.ordered_at AND t.at >= o.ordered_at - ${STORED_LOOKBACK_DAYS} * interval '1 day'
           ${filter}
           GROUP BY o.id, o.ordered_at, o.revenue`;
}

/** Each visitor's touches without an order, in time order; `filter` (ANDed, on t) narrows the visitors. */
function browsingJourneySelect(filter: string): string {
  return `SELECT ${visitorOf('t')} AS visitor, min(t.at) AS first_at, max(t.at) AS last_at,
                 ${pathOf('channel')} AS channel_path,
                 ${pathOf('campaign')} AS campaign_path,
                 array_agg(t.at ORDER BY t.at, t.id) AS ats
            FROM touchpoints t
           WHERE t.order_id IS NULL ${filter}
           GROUP BY 1`;
}

interface JourneyTable {
  table: string;
  key: string;
  dirtyTable: string;
  columns: readonly string[];
  /** The rows of `table` for the keys `keysSql` selects (every key when it is undefined). */
  select(keysSql?: string): string;
  /** The column the rows are clustered by on a rebuild, so a time range reads few pages. */
  clusterBy: string;
  rollup?: Rollup;
}

/** Counts of journey rows per key, kept in step with the journeys: each refresh moves the counts of the rows it replaces. */
interface Rollup {
  table: string;
  /** Key columns of the rollup, and the expressions over a journey row that compute them, in the same order. */
  keys: readonly { column: string; of: string }[];
  count: string;
}

const ORDER_JOURNEYS: JourneyTable = {
  table: 'order_journeys',
  key: 'order_id',
  dirtyTable: 'dirty_orders',
  columns: ['order_id', 'ordered_at', 'revenue', 'channel_path', 'campaign_path', 'ages'],
  select: (keysSql) => orderJourneySelect(keysSql === undefined ? '' : `WHERE o.id IN (${keysSql})`),
  clusterBy: 'ordered_at',
};

const BROWSING_JOURNEYS: JourneyTable = {
  table: 'browsing_journeys',
  key: 'visitor',
  dirtyTable: 'dirty_visitors',
  columns: ['visitor', 'first_at', 'last_at', 'channel_path', 'campaign_path', 'ats'],
  select: (keysSql) => browsingJourneySelect(keysSql === undefined ? '' : `AND ${visitorOf('t')} IN (${keysSql})`),
  clusterBy: 'first_at',
  rollup: {
    table: 'browsing_day_paths',
    keys: [
      { column: 'first_day', of: "(first_at AT TIME ZONE 'UTC')::date" },
      { column: 'channel_path', of: 'channel_path' },
      { column: 'campaign_path', of: 'campaign_path' },
    ],
    count: 'visitors',
  },
};

/** When at least this share of the stored journeys is dirty, one full rebuild beats per-key work. */
const FULL_REBUILD_SHARE = 0.5;
/** Memory for a rebuild's sorts: it aggregates every touch at once, which spills at the default 4 MB. */
const REBUILD_WORK_MEM = '256MB';

/** Brings every order journey up to date with orders and touchpoints. */
export const refreshOrderJourneys = (db: Db): Promise<void> => refresh(db, ORDER_JOURNEYS);
/** Brings every browsing (non-converting) journey up to date with touchpoints. */
export const refreshBrowsingJourneys = (db: Db): Promise<void> => refresh(db, BROWSING_JOURNEYS);
/** Recomputes every order journey from orders and touchpoints, whatever is marked. */
export const rebuildOrderJourneys = (db: Db): Promise<void> => rebuild(db, ORDER_JOURNEYS);
/** Recomputes every browsing journey from touchpoints, whatever is marked. */
export const rebuildBrowsingJourneys = (db: Db): Promise<void> => rebuild(db, BROWSING_JOURNEYS);

/**
 * Recomputes the dirty keys' journeys (all of them when most are dirty). The EXCLUSIVE lock on the
 * dirty table waits for every writer that marked a key and has not committed yet, and holds new
 * ones back until we commit: so the rows we read include every marked change, and no mark made
 * after our read is deleted with ours.
 */
async function refresh(db: Db, journeys: JourneyTable): Promise<void> {
  const [pending] = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${journeys.dirtyTable}) AS any`);
  if (!pending?.any) return;
  await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${journeys.dirtyTable} IN EXCLUSIVE MODE`);
    const [marked] = await tx.query<{ dirty: number }>(`SELECT count(*)::int AS dirty FROM ${journeys.dirtyTable}`);
    const dirty = marked?.dirty ?? 0;
    if (dirty === 0) return;
    // Counting stops just past twice the dirty keys: enough to tell "most are dirty" without reading a large table.
    const [stored] = await tx.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM (SELECT 1 FROM ${journeys.table} LIMIT $1) AS some_rows`, [Math.ceil(dirty / FULL_REBUILD_SHARE) + 1]);
    if (dirty >= FULL_REBUILD_SHARE * (stored?.rows ?? 0)) {
      await rebuildInside(tx, journeys);
      return;
    }
    await tx.query(journeys.rollup ? refreshWithRollupSql(journeys, journeys.rollup) : refreshSql(journeys));
    if (journeys.rollup) await tx.query(`DELETE FROM ${journeys.rollup.table} WHERE ${journeys.rollup.count} = 0`);
  });
}

/** Replaces the dirty keys' rows with fresh ones, and deletes those with nothing left to show. */
function refreshSql(journeys: JourneyTable): string {
  const { key, dirtyTable } = journeys;
  return `WITH dirty AS (DELETE FROM ${dirtyTable} RETURNING ${key}),
               fresh AS (${journeys.select(`SELECT ${key} FROM dirty`)}),
               gone AS (${deleteGoneSql(journeys)})
          ${upsertSql(journeys)}`;
}

/** As refreshSql, and moves the rollup's counts from the replaced rows (read before the change) to the fresh ones. */
function refreshWithRollupSql(journeys: JourneyTable, rollup: Rollup): string {
  const { table, key, dirtyTable } = journeys;
  const keyColumns = rollup.keys.map((part) => part.column).join(', ');
  const keysOf = rollup.keys.map((part) => `${part.of} AS ${part.column}`).join(', ');
  return `WITH dirty AS (DELETE FROM ${dirtyTable} RETURNING ${key}),
               fresh AS (${journeys.select(`SELECT ${key} FROM dirty`)}),
               replaced AS (SELECT * FROM ${table} WHERE ${key} IN (SELECT ${key} FROM dirty)),
               gone AS (${deleteGoneSql(journeys)}),
               kept AS (${upsertSql(journeys)}),
               moved AS (SELECT ${keysOf}, -1 AS n FROM replaced UNION ALL SELECT ${keysOf}, 1 AS n FROM fresh)
          INSERT INTO ${rollup.table} (${keyColumns}, ${rollup.count})
          SELECT ${keyColumns}, sum(n) FROM moved GROUP BY ${keyColumns} HAVING sum(n) <> 0
          ON CONFLICT (${keyColumns}) DO UPDATE SET ${rollup.count} = ${rollup.table}.${rollup.count} + EXCLUDED.${rollup.count}`;
}

const deleteGoneSql = ({ table, key }: JourneyTable): string =>
  `DELETE FROM ${table} j WHERE j.${key} IN (SELECT ${key} FROM dirty) AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.${key} = j.${key})`;

function upsertSql({ table, key, columns }: JourneyTable): string {
  const updates = columns.filter((column) => column !== key).map((column) => `${column} = EXCLUDED.${column}`).join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM fresh
          ON CONFLICT (${key}) DO UPDATE SET ${updates}`;
}

async function rebuild(db: Db, journeys: JourneyTable): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${journeys.dirtyTable} IN EXCLUSIVE MODE`);
    await rebuildInside(tx, journeys);
  });
}

/** TRUNCATE, not DELETE: a rebuild replaces millions of rows, and deleting them would leave as many dead. */
async function rebuildInside(tx: Db, journeys: JourneyTable): Promise<void> {
  const { table, dirtyTable, rollup } = journeys;
  await tx.query(`SET LOCAL work_mem = '${REBUILD_WORK_MEM}'`);
  await tx.query(`TRUNCATE ${[table, dirtyTable, ...(rollup ? [rollup.table] : [])].join(', ')}`);
  const columns = journeys.columns.join(', ');
  await tx.query(`INSERT INTO ${table} (${columns})
                  SELECT ${columns} FROM (${journeys.select()}) AS every_journey ORDER BY ${journeys.clusterBy}`);
  if (rollup) {
    const keyColumns = rollup.keys.map((part) => part.column).join(', ');
    await tx.query(`INSERT INTO ${rollup.table} (${keyColumns}, ${rollup.count})
                    SELECT ${rollup.keys.map((part) => part.of).join(', ')}, count(*) FROM ${table}
                    GROUP BY ${rollup.keys.map((_, index) => index + 1).join(', ')}`);
  }
  // The planner's row counts for the new tables: until autovacuum gets to them, it would guess from empty ones.
  await tx.query(`ANALYZE ${table}`);
  if (rollup) await tx.query(`ANALYZE ${rollup.table}`);
}
