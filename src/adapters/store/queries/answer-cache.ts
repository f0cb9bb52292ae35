import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AsOf } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { orderDataVersion } from './customer-summaries.js';

/**
 * Answers of the heavy customer questions kept in answer_cache (migration 011) until the order data
 * changes. A row is served only at the order data version it was computed at: every statement that
 * writes orders (a late order, a corrected or deleted one, TRUNCATE) raises that version, so no
 * cached answer outlives the data it was computed from.
 */

/** Which question a row answers: `key` names every input the answer depends on; `shape` reads the stored JSON back. */
export interface AnswerQuestion<T> {
  kind: string;
  /** A function when naming the inputs reads the data: it is called after the version is read. */
  key: string | (() => Promise<string>);
  shape: z.ZodType<T>;
}

/**
 * The stored answer when it was computed at the current order data version, else `compute()`'s,
 * stored for the next asker.
 *
 * The version is read before computing, and `compute` brings the kept summaries up to date itself
 * (refreshSummaries, which writes no order and so leaves the version alone). That order matters:
 * an order written while we compute raises the version past the one we store under, so the answer
 * is recomputed next time; reading the version after the refresh instead could label summaries
 * still missing that order with the new version. A hit needs no refresh: the stored answer was
 * computed from summaries refreshed after its version was read.
 */
export async function cachedAnswer<T>(db: Db, question: AnswerQuestion<T>, compute: () => Promise<T>): Promise<T> {
  const version = await orderDataVersion(db);
  const key = typeof question.key === 'string' ? question.key : await question.key();
  const [row] = await db.query<{ value: unknown }>(
    'SELECT value FROM answer_cache WHERE kind = $1 AND key = $2 AND data_version = $3',
    [question.kind, key, version],
  );
  // A row this code cannot read (written by another release) is recomputed rather than trusted.
  const stored = row ? question.shape.safeParse(row.value) : undefined;
  if (stored?.success) return stored.data;
  const value = await compute();
  await storeAnswer(db, { kind: question.kind, key, version }, value);
  return value;
}

async function storeAnswer(db: Db, row: { kind: string; key: string; version: number }, value: unknown): Promise<void> {
  // A slower asker that read an older version must not replace a newer answer. computed_at is the
  // moment of storing (clock_timestamp), not the start of the transaction it may run in (now()), so
  // answersComputedAfter counts it whatever transaction the asker is part of.
  await db.query(
    `INSERT INTO answer_cache (kind, key, data_version, value, computed_at) VALUES ($1, $2, $3, $4::jsonb, clock_timestamp())
     ON CONFLICT (kind, key) DO UPDATE SET data_version = EXCLUDED.data_version, value = EXCLUDED.value, computed_at = EXCLUDED.computed_at
      WHERE answer_cache.data_version <= EXCLUDED.data_version`,
    [row.kind, row.key, row.version, JSON.stringify(value)],
  );
  // The version only rises, so a row of an older one can never be served again.
  await db.query('DELETE FROM answer_cache WHERE data_version < $1', [row.version]);
}

// computed_at in whole microseconds: a Date would drop them, and a row would seem newer than itself.
const COMPUTED_AT_US = '(extract(epoch FROM computed_at) * 1000000)::int8';

/** A mark of the latest stored answer's computation (null before the first), for answersComputedAfter. */
export async function latestAnswerMark(db: Db): Promise<number | null> {
  const [row] = await db.query<{ mark: number | null }>(`SELECT max(${COMPUTED_AT_US}) AS mark FROM answer_cache`);
  return row?.mark ?? null;
}

/** How many stored answers were computed after the mark (every one when it is null). */
export async function answersComputedAfter(db: Db, mark: number | null): Promise<number> {
  const [row] = await db.query<{ answers: number }>(
    `SELECT count(*)::int AS answers FROM answer_cache WHERE $1::int8 IS NULL OR ${COMPUTED_AT_US} > $1::int8`, [mark]);
  return row?.answers ?? 0;
}

/** A key from named parts: JSON of an object literal keeps its properties in the order written. */
export function answerKey(parts: Record<string, unknown>): string {
  return JSON.stringify(parts);
}

/** A fingerprint standing in for a large input in a key: the sha256 of its JSON. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * An as-of point in a key. A point that is "now" is keyed on its UTC day, not its instant, so a
 * later question the same day finds the answer. That is right only because a cached answer is served
 * at the order data version it was computed at: any order written since (however it is dated)
 * raises the version. Callers whose query counts orders before the instant, rather than every order,
 * must key on the instant when an order is dated at or after it (see rfm-aggregates.ts).
 */
export function asOfKey(asOf: AsOf): string {
  return asOf.isNow ? `now ${asOfDay(asOf)}` : asOf.end.toISOString();
}

/** A Date stored in jsonb comes back as its ISO text: turned back into the Date it was. */
export const StoredDate = z.iso.datetime().transform((text) => new Date(text));
