import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { aroundAll, aroundEach, inject, onTestFinished } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import { migrate } from '../../src/adapters/store/migrate.js';
import { openPg } from '../../src/adapters/store/pg.js';
import { openPglite } from '../../src/adapters/store/pglite.js';

/** The server the suite runs against when DATABASE_URL is set (CI's second pass), else PGlite. */
export const testDatabaseUrl = process.env.DATABASE_URL || undefined;
export const testDbKind: Db['kind'] = testDatabaseUrl ? 'pg' : 'pglite';

/**
 * A database of one test's own, whose writes really commit: the escape hatch for what cannot run
 * inside one transaction on one connection (see `ownTestDb`).
 */
export interface OwnTestDb extends Db {
  /** Why the test needs it (also what tells it apart from `useTestDb`'s handle for the type checker). */
  readonly reason: string;
  /** The pg schema, so `reopenTestDb` can open a second pool on the same data. */
  readonly schema: string | undefined;
}

/**
 * A fresh migrated database: on PostgreSQL a new schema in the test database, on PGlite
 * the run's migrated template loaded into memory.
 */
async function createDb(): Promise<Db & { schema: string | undefined; destroy(): Promise<void> }> {
  if (testDatabaseUrl) {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const db = await openPg(testDatabaseUrl, { schema, maxConnections: 4 });
    await migrate(db);
    return {
      ...db,
      schema,
      destroy: async () => {
        await db.exec(`DROP SCHEMA ${schema} CASCADE`);
        await db.close();
      },
    };
  }
  const template = await readFile(inject('pgliteTemplate'));
  const db = await openPglite('memory://', { loadDataDir: new Blob([template]) });
  return { ...db, schema: undefined, destroy: () => db.close() };
}

const ROLLBACK = Symbol('roll the test back');

/** Runs `work` in a savepoint of the open transaction: kept when it resolves, undone when it throws. */
async function inSavepoint<T>(connection: Db, work: () => Promise<T>): Promise<T> {
  await connection.exec('SAVEPOINT test_step');
  try {
    const value = await work();
    await connection.exec('RELEASE SAVEPOINT test_step');
    return value;
  } catch (error) {
    await connection.exec('ROLLBACK TO SAVEPOINT test_step; RELEASE SAVEPOINT test_step');
    throw error;
  }
}

/**
 * What a commit does to temporary tables made ON COMMIT DROP, and what a pooled connection means for
 * the others (the next transaction may get another connection): none outlives its transaction.
 */
const DROP_TEMPORARY_TABLES = `DO $$ DECLARE made regclass; BEGIN
  FOR made IN SELECT oid::regclass FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind IN ('r', 'p') LOOP
    EXECUTE format('DROP TABLE %s', made);
  END LOOP;
END $$`;

/**
 * The database as one test sees it: one connection inside the test's transaction, behaving like a
 * database of its own. Each statement and each `transaction()` is a savepoint, so a failing statement
 * undoes only itself and a thrown error rolls back only its transaction, as they would outside; they
 * take turns as on PGlite (a transaction runs to its end before the next statement starts), and the
 * temporary tables a transaction made are gone after it. Unlike a real commit, `SET LOCAL` inside
 * `transaction()` lasts to the end of the test, and `now()` stays at the test's start.
 */
function testSession(connection: Db): { db: Db; end(): void } {
  let ended = false;
  const live = (): Db => {
    if (ended) throw new Error('useTestDb: the database was used after its test ended (work left running, or a handle kept from an earlier test)');
    return connection;
  };
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  // Inside a transaction statements run as they come, and a nested transaction joins the outer one,
  // as in src/adapters/store (pg.ts, pglite.ts).
  const inside: Db = {
    kind: connection.kind,
    query: (sql, params) => live().query(sql, params),
    exec: (sql) => live().exec(sql),
    transaction: (work) => work(inside),
    close: async () => undefined,
    ...(connection.copyCsv ? { copyCsv: (table: string, columns: readonly string[], csv: string) => live().copyCsv!(table, columns, csv) } : {}),
  };
  const db: Db = {
    kind: connection.kind,
    query: (sql, params) => inTurn(() => inSavepoint(live(), () => connection.query(sql, params))),
    exec: (sql) => inTurn(() => inSavepoint(live(), () => connection.exec(sql))),
    ...(connection.copyCsv ? { copyCsv: (table: string, columns: readonly string[], csv: string) => inTurn(() => inSavepoint(live(), () => connection.copyCsv!(table, columns, csv))) } : {}),
    transaction: (work) => inTurn(async () => {
      const value = await inSavepoint(live(), () => work(inside));
      await connection.exec(DROP_TEMPORARY_TABLES);
      return value;
    }),
    close: async () => undefined,
  };
  return { db, end: () => { ended = true; } };
}

/** One script that puts every sequence of the schema back where it stands now ('' when there is none). */
async function sequenceRestorer(db: Db): Promise<string> {
  const [row] = await db.query<{ script: string | null }>(
    `SELECT string_agg(format('SELECT setval(%L::regclass, %s, %s);', format('%I.%I', schemaname, sequencename),
                              coalesce(last_value, start_value), (last_value IS NOT NULL)::text), ' ') AS script
       FROM pg_sequences WHERE schemaname = current_schema()`);
  return row?.script ?? '';
}

/**
 * The database of the describe block that calls it, for its tests and hooks.
 *
 * - Data written in that block's `beforeAll` is committed once and every test sees it.
 * - Each test (with its `beforeEach` and `afterEach` hooks) runs inside a transaction rolled back after
 *   it, so a test sees the shared data plus only its own writes, in any order and alone (`-t`).
 * - `test.db` is one handle: capturing it in `beforeAll` (a bot, a server) is fine, it reaches the
 *   running test's transaction.
 * - A nested describe that seeds data of its own calls `useTestDb()` itself: a `beforeAll` that uses
 *   the database after tests have started would leak into the tests after it, and throws.
 * - What needs real commits or two sessions (a second connection, leases, SKIP LOCKED, advisory locks,
 *   another process) takes `ownTestDb(reason)` inside the test instead.
 */
export function useTestDb(): { readonly db: Db } {
  let base: Awaited<ReturnType<typeof createDb>> | undefined;
  let session: Db | undefined;
  let testsStarted = false;
  // Sequences do not roll back: each test starts from the values the shared data left, so the ids a
  // test sees are the same whatever ran before it.
  let restoreSequences: string | undefined;

  aroundAll(async (runSuite) => {
    base = await createDb();
    testsStarted = false;
    restoreSequences = undefined;
    try {
      await runSuite();
    } finally {
      const created = base;
      base = undefined;
      await created.destroy();
    }
  });

  aroundEach(async (runTest) => {
    if (!base) throw new Error('useTestDb: the database of this describe block is not open');
    testsStarted = true;
    restoreSequences ??= await sequenceRestorer(base);
    await base.transaction(async (connection) => {
      const opened = testSession(connection);
      session = opened.db;
      try {
        await runTest();
      } finally {
        session = undefined;
        opened.end();
      }
      throw ROLLBACK;
    }).catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
    if (restoreSequences) await base.exec(restoreSequences);
  });

  const current = (): Db => {
    if (session) return session;
    if (!base) throw new Error('useTestDb: the database is open only inside the tests and hooks of the describe block that called useTestDb()');
    if (testsStarted) {
      throw new Error('useTestDb: the database was used outside a test after tests had started (a beforeAll of a nested describe, or work left running after a test). '
        + 'It would leak into the tests that run after it: call useTestDb() in the nested describe, or finish the work inside its test.');
    }
    return base;
  };
  const db: Db = {
    get kind() {
      return testDbKind;
    },
    query: (sql, params) => current().query(sql, params),
    exec: (sql) => current().exec(sql),
    transaction: (work) => current().transaction(work),
    // The embedded database loads seed rows with COPY (Db.copyCsv), here as in the product.
    ...(testDbKind === 'pglite' ? { copyCsv: (table: string, columns: readonly string[], csv: string) => current().copyCsv!(table, columns, csv) } : {}),
    // The block owns the database; a closing app or bot leaves it open for the next test.
    close: async () => undefined,
  };
  return { db };
}

/**
 * A fresh database of this test's own, removed when the test ends: for a test that cannot run inside
 * one transaction on one connection (two pools, leases taken by two sessions, SKIP LOCKED, advisory
 * locks, another process). `reason` says why in one line, so the opt-out stays deliberate.
 * It starts empty (migrated only); the test seeds what it needs.
 */
export async function ownTestDb(reason: string): Promise<OwnTestDb> {
  if (!reason.trim()) throw new Error('ownTestDb: say in one line why this test cannot run inside a rolled-back transaction');
  const created = await createDb();
  onTestFinished(() => created.destroy());
  return { kind: created.kind, query: created.query, exec: created.exec, transaction: created.transaction, close: async () => undefined, reason, schema: created.schema };
}

/** A second handle on the same data as `db`: another pool on pg, the same instance on PGlite. */
export async function reopenTestDb(db: OwnTestDb): Promise<Db> {
  if (testDatabaseUrl && db.schema) return openPg(testDatabaseUrl, { schema: db.schema, maxConnections: 4 });
  return { ...db, close: async () => undefined };
}

const DATA_TABLES = ['touchpoints', 'orders', 'customers', 'reported_conversions', 'tracking_events', 'pagespeed_runs', 'changes', 'spend', 'budgets'];

/** Empties the data contract tables, for a test that loads its own small fixture. */
export async function clearData(db: Db): Promise<void> {
  await db.exec(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}
