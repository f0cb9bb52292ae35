import type { CaptureHour } from '../../../analytics/monitors/capture-drop.js';
import type { FieldRecord } from '../../../analytics/monitors/page-speed.js';
import type { Db } from '../db.js';
import { HOUR_MS, WEEK_MS } from '../../../analytics/time.js';

// ROWS_AS_JSON: the larger reads come back as one json_agg value: PGlite turns each row into a JS
// object one by one, and a monitor pass reads hundreds of them every few minutes.

/** The end (exclusive) of the last hour of tracking events that has arrived, at or before `asOf`. */
export async function trackingFrontier(db: Db, asOf: Date): Promise<Date | null> {
  const [row] = await db.query<{ hour: Date | null }>('SELECT max(hour) AS hour FROM tracking_events WHERE hour + interval \'1 hour\' <= $1', [asOf]);
  return row?.hour ? new Date(row.hour.getTime() + HOUR_MS) : null;
}

/**
 * Hourly counts of the events in the `hoursBack` hours before `endMs` and the same hours of each
 * of the previous `weeks` weeks: all the seasonal baseline reads, not the whole history.
 */
export async function eventHourCounts(db: Db, events: readonly string[], endMs: number, hoursBack: number, weeks: number): Promise<{ event: string; hourMs: number; count: number }[]> {
  const hours: string[] = [];
  for (let week = 0; week <= weeks; week += 1) {
    for (let hour = 1; hour <= hoursBack; hour += 1) hours.push(new Date(endMs - week * WEEK_MS - hour * HOUR_MS).toISOString());
  }
  // Exactly the hours the baseline reads, found through the (event_name, hour) index; one JSON value back (ROWS_AS_JSON).
  const [row] = await db.query<{ rows: [string, number, number][] | null }>(
    `SELECT json_agg(json_build_array(event_name, extract(epoch FROM hour) * 1000, count)) AS rows
       FROM tracking_events WHERE event_name = ANY($1::text[]) AND hour = ANY($2::timestamptz[])`,
    [events, hours],
  );
  // Several sources of one event in one hour add up.
  const counts = new Map<string, { event: string; hourMs: number; count: number }>();
  for (const [event, hourMs, count] of row?.rows ?? []) {
    const key = `${event} ${hourMs}`;
    counts.set(key, { event, hourMs, count: (counts.get(key)?.count ?? 0) + count });
  }
  return [...counts.values()];
}

/** Backend orders and the event's reported count per hour in [start, end). */
export async function captureHours(db: Db, event: string, start: Date, end: Date): Promise<CaptureHour[]> {
  const rows = await db.query<{ hour: Date; orders: number; captured: number }>(
    `WITH hours AS (SELECT generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') AS hour)
     SELECT h.hour,
            (SELECT count(*) FROM orders o WHERE o.ordered_at >= h.hour AND o.ordered_at < h.hour + interval '1 hour')::int AS orders,
            coalesce((SELECT sum(count) FROM tracking_events t WHERE t.event_name = $1 AND t.hour = h.hour), 0)::int AS captured
       FROM hours h ORDER BY h.hour`,
    [event, start, end],
  );
  return rows.map((row) => ({ hourMs: row.hour.getTime(), orders: row.orders, captured: row.captured }));
}

/** Reported events per backend order over [start, end); null without orders. */
export async function baselineCaptureRate(db: Db, event: string, start: Date, end: Date): Promise<number | null> {
  const [row] = await db.query<{ orders: number; captured: number }>(
    `SELECT (SELECT count(*) FROM orders WHERE ordered_at >= $2 AND ordered_at < $3)::int AS orders,
            (SELECT coalesce(sum(count), 0) FROM tracking_events WHERE event_name = $1 AND hour >= $2 AND hour < $3)::int AS captured`,
    [event, start, end],
  );
  return row && row.orders > 0 ? row.captured / row.orders : null;
}

export async function fieldRecords(db: Db, start: Date, end: Date): Promise<FieldRecord[]> {
  type Cells = [number, string, 'mobile' | 'desktop', number | null, number | null, number | null];
  const [row] = await db.query<{ records: Cells[] | null }>(
    `SELECT json_agg(json_build_array(extract(epoch FROM at) * 1000, url, form_factor, lcp_ms, inp_ms, cls) ORDER BY at) AS records
       FROM pagespeed_runs WHERE kind = 'field' AND at >= $1 AND at < $2`,
    [start, end],
  );
  return (row?.records ?? []).map(([atMs, url, formFactor, lcpMs, inpMs, cls]) => ({ atMs, url, formFactor, lcpMs, inpMs, cls }));
}

export interface ChangeRow {
  id: number;
  atMs: number;
  kind: 'deploy' | 'tag_manager' | 'campaign' | 'config';
  ref: string;
  author: string | null;
  summary: string | null;
  url: string | null;
}

export async function changesBetween(db: Db, start: Date, end: Date): Promise<ChangeRow[]> {
  const rows = await db.query<{ id: number; at: Date; kind: ChangeRow['kind']; ref: string; author: string | null; summary: string | null; url: string | null }>(
    'SELECT id, at, kind, ref, author, summary, url FROM changes WHERE at >= $1 AND at < $2 ORDER BY at',
    [start, end],
  );
  return rows.map((row) => ({ id: row.id, atMs: row.at.getTime(), kind: row.kind, ref: row.ref, author: row.author, summary: row.summary, url: row.url }));
}

export interface MonitorStateRow {
  breachesInRow: number;
  okSinceMs: number | null;
  lastEvaluatedAtMs: number | null;
}

/** The row without a lock, for the fast path that changes nothing; null before the first evaluation. */
export async function readMonitorState(db: Db, signal: string, target: string): Promise<MonitorStateRow | null> {
  const [row] = await db.query<{ breaches_in_row: number; ok_since: Date | null; last_evaluated_at: Date | null }>(
    'SELECT breaches_in_row, ok_since, last_evaluated_at FROM monitor_state WHERE signal = $1 AND target = $2',
    [signal, target],
  );
  return row ? { breachesInRow: row.breaches_in_row, okSinceMs: row.ok_since?.getTime() ?? null, lastEvaluatedAtMs: row.last_evaluated_at?.getTime() ?? null } : null;
}

/** Locks the row for this transaction (creating it first), so two replicas evaluate a target one at a time. */
export async function lockMonitorState(tx: Db, signal: string, target: string): Promise<MonitorStateRow> {
  await tx.query('INSERT INTO monitor_state (signal, target) VALUES ($1, $2) ON CONFLICT DO NOTHING', [signal, target]);
  const [row] = await tx.query<{ breaches_in_row: number; ok_since: Date | null; last_evaluated_at: Date | null }>(
    'SELECT breaches_in_row, ok_since, last_evaluated_at FROM monitor_state WHERE signal = $1 AND target = $2 FOR UPDATE',
    [signal, target],
  );
  if (!row) throw new Error(`monitor_state row for ${signal}/${target} vanished inside its transaction`);
  return { breachesInRow: row.breaches_in_row, okSinceMs: row.ok_since?.getTime() ?? null, lastEvaluatedAtMs: row.last_evaluated_at?.getTime() ?? null };
}

export async function saveMonitorState(tx: Db, signal: string, target: string, state: { breachesInRow: number; okSinceMs: number | null; value: number | null; evaluatedAt: Date }): Promise<void> {
  await tx.query(
    `UPDATE monitor_state SET breaches_in_row = $3, oks_in_row = CASE WHEN $4::timestamptz IS NULL THEN 0 ELSE oks_in_row + 1 END,
            ok_since = $4, last_value = $5, last_evaluated_at = $6
      WHERE signal = $1 AND target = $2`,
    [signal, target, state.breachesInRow, state.okSinceMs === null ? null : new Date(state.okSinceMs), state.value, state.evaluatedAt],
  );
}

/** The latest moment any monitor was evaluated at (monitor_state), or null before the first evaluation. */
export async function latestMonitorEvaluation(db: Db): Promise<Date | null> {
  const [row] = await db.query<{ at: Date | null }>('SELECT max(last_evaluated_at) AS at FROM monitor_state');
  return row?.at ?? null;
}

/**
 * Forgets every monitor's memory and every incident with its events, for a dry-run replay that
 * starts the monitors afresh; only ever run inside a transaction that is rolled back. Silences stay.
 */
export async function forgetMonitorHistory(tx: Db): Promise<void> {
  await tx.exec('DELETE FROM incident_events; DELETE FROM incidents; DELETE FROM monitor_state');
}

/** Posts queued so far (outbox rows of any status), to count what a replay queued. */
export async function outboxRowCount(db: Db): Promise<number> {
  const [row] = await db.query<{ rows: number }>('SELECT count(*)::int8 AS rows FROM outbox');
  return row?.rows ?? 0;
}
