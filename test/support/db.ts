import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import { migrate } from '../../src/adapters/store/migrate.js';
import { openPg } from '../../src/adapters/store/pg.js';
import { openPglite } from '../../src/adapters/store/pglite.js';

/** The server the suite runs against when DATABASE_URL is set (CI's second pass), else PGlite. */
export const testDatabaseUrl = process.env.DATABASE_URL || undefined;
export const testDbKind: Db['kind'] = testDatabaseUrl ? 'pg' : 'pglite';

export interface TestDb extends Db {
  /** Removes this database (the PGlite instance, or the pg schema). */
  destroy(): Promise<void>;
  /** The pg schema name, to open a second connection to the same data (lease and concurrency tests). */
  schema?: string;
}

/**
 * A fresh migrated database: on PostgreSQL a new schema in the test database, on PGlite
 * the run's migrated template loaded into memory.
 */
export async function createTestDb(): Promise<TestDb> {
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
  return { ...db, destroy: () => db.close() };
}

/** A second handle on the same data as `db` (another pool on pg; the same instance on PGlite). */
export async function reopenTestDb(db: TestDb): Promise<Db> {
  if (testDatabaseUrl && db.schema) return openPg(testDatabaseUrl, { schema: db.schema, maxConnections: 4 });
  return { ...db, close: async () => undefined };
}

/** One database for the whole test file, created before its first test and removed after its last. */
export function useTestDb(): { readonly db: TestDb } {
  const holder: { db?: TestDb } = {};
  beforeAll(async () => {
    holder.db = await createTestDb();
  });
  afterAll(async () => {
    await holder.db?.destroy();
  });
  return {
    get db() {
      if (!holder.db) throw new Error('useTestDb: the database is ready only inside tests and hooks');
      return holder.db;
    },
  };
}

const DATA_TABLES = ['touchpoints', 'orders', 'customers', 'reported_conversions', 'tracking_events', 'pagespeed_runs', 'changes', 'spend', 'budgets'];

/** Empties the data contract tables, for a test that loads its own small fixture. */
export async function clearData(db: Db): Promise<void> {
  await db.exec(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}
