import type { Db } from '../store/db.js';
import { insertBatch } from '../store/insert-batch.js';
import type { ExportSession } from './ga4-export-sessions.js';

/** Where a day's table was read from; recorded with it (migration 015). */
export type ExportOrigin = 'file' | 'bigquery';

export interface ExportDay {
  /** YYYY-MM-DD */
  day: string;
  events: number;
  /** BigQuery's last modification of the table, when read through the API. */
  tableModifiedAt?: Date;
}

export interface ExportWrite {
  days: string[];
  sessions: number;
  /** Touches inserted or changed; importing the same day again writes none. */
  touchesWritten: number;
  /** Touches of sessions the day no longer holds. */
  touchesRemoved: number;
}

const SESSION_COLUMNS = ['day', 'touch_id', 'user_pseudo_id', 'user_id', 'transaction_id', 'first_event_at', 'source', 'medium', 'campaign', 'channel', 'device', 'country'] as const;
const SESSION_TYPES = ['date', 'text', 'text', 'text', 'text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text'] as const;
const TOUCH_FIELDS = ['customer_id', 'anonymous_id', 'at', 'channel', 'source', 'medium', 'campaign', 'device', 'country', 'order_id'] as const;

/**
 * Replaces the export days `days` with `sessions` (all of them of those days), in one transaction:
 * the days' kept sessions, then the touches of every session they held before or hold now. A touch
 * is made from all the day parts of its session: the earliest day's source and first event, and
 * the first user id and transaction id any part carries.
 */
export async function replaceExportDays(db: Db, days: readonly ExportDay[], sessions: readonly ExportSession[], origin: ExportOrigin): Promise<ExportWrite> {
  const dayList = days.map((day) => day.day);
  return db.transaction(async (tx) => {
    await tx.exec('CREATE TEMP TABLE ga4_touches_affected (touch_id text PRIMARY KEY) ON COMMIT DROP');
    await tx.query(`WITH gone AS (DELETE FROM ga4_export_sessions WHERE day = ANY($1::date[]) RETURNING touch_id)
                    INSERT INTO ga4_touches_affected SELECT DISTINCT touch_id FROM gone`, [dayList]);
    await insertBatch(tx, 'ga4_export_sessions', SESSION_COLUMNS, SESSION_TYPES, sessions.map((session) => [
      session.day, session.touchId, session.userPseudoId, session.userId, session.transactionId, session.firstEventAt,
      session.source, session.medium, session.campaign, session.channel, session.device, session.country,
    ]));
    await tx.query(`INSERT INTO ga4_touches_affected SELECT DISTINCT touch_id FROM ga4_export_sessions WHERE day = ANY($1::date[]) ON CONFLICT DO NOTHING`, [dayList]);
    const [written] = await tx.query<{ rows: number }>(`WITH written AS (${upsertTouchesSql()} RETURNING 1) SELECT count(*)::int AS rows FROM written`);
    const [removed] = await tx.query<{ rows: number }>(
      `WITH removed AS (DELETE FROM touchpoints t WHERE t.id IN (SELECT touch_id FROM ga4_touches_affected)
                          AND NOT EXISTS (SELECT 1 FROM ga4_export_sessions s WHERE s.touch_id = t.id) RETURNING 1)
       SELECT count(*)::int AS rows FROM removed`);
    await insertBatch(tx, 'ga4_export_days', ['day', 'origin', 'events', 'sessions', 'table_modified_at', 'imported_at'], ['date', 'text', 'int8', 'int4', 'timestamptz', 'timestamptz'],
      days.map((day) => [day.day, origin, day.events, sessions.filter((session) => session.day === day.day).length, day.tableModifiedAt ?? null, new Date()]),
      { onConflict: `ON CONFLICT (day) DO UPDATE SET origin = excluded.origin, events = excluded.events, sessions = excluded.sessions,
                     table_modified_at = excluded.table_modified_at, imported_at = excluded.imported_at` });
    return { days: dayList, sessions: sessions.length, touchesWritten: written?.rows ?? 0, touchesRemoved: removed?.rows ?? 0 };
  });
}

/** The affected sessions' touches from all their day parts; a row that would not change is left alone (no journey marked dirty). */
function upsertTouchesSql(): string {
  const earliest = (column: string) => `(array_agg(${column} ORDER BY day))[1]`;
  const firstSet = (column: string) => `(array_agg(${column} ORDER BY day, first_event_at) FILTER (WHERE ${column} IS NOT NULL))[1]`;
  const changed = TOUCH_FIELDS.map((field) => `touchpoints.${field}`).join(', ');
  const incoming = TOUCH_FIELDS.map((field) => `excluded.${field}`).join(', ');
  return `INSERT INTO touchpoints (id, ${TOUCH_FIELDS.join(', ')})
          SELECT touch_id, ${firstSet('user_id')}, min(user_pseudo_id), min(first_event_at), ${earliest('channel')},
                 ${earliest('source')}, ${earliest('medium')}, ${earliest('campaign')}, ${earliest('device')}, ${earliest('country')},
                 ${firstSet('transaction_id')}
            FROM ga4_export_sessions WHERE touch_id IN (SELECT touch_id FROM ga4_touches_affected)
           GROUP BY touch_id
          ON CONFLICT (id) DO UPDATE SET ${TOUCH_FIELDS.map((field) => `${field} = excluded.${field}`).join(', ')}
           WHERE (${changed}) IS DISTINCT FROM (${incoming})`;
}

/** The last day imported, and from where: for `mkt sources check`. */
export async function lastExportDay(db: Db): Promise<{ day: string; origin: ExportOrigin; tableModifiedAt: Date | null } | undefined> {
  const [last] = await db.query<{ day: string; origin: ExportOrigin; table_modified_at: Date | null }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, origin, table_modified_at FROM ga4_export_days ORDER BY day DESC LIMIT 1`);
  return last ? { day: last.day, origin: last.origin, tableModifiedAt: last.table_modified_at } : undefined;
}
