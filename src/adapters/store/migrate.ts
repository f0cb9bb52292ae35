import { readdir, readFile } from 'node:fs/promises';
import type { Db } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_202_611;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Reads `NNN_name.sql` files in version order. Two files with one number would apply only the first
 * (the version is what is recorded), so that stops the start with both names.
 */
export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file)).sort();
  const twins = files.filter((file, index) => index > 0 && file.slice(0, 3) === files[index - 1]?.slice(0, 3));
  if (twins.length > 0) {
    const named = twins.map((file) => files.filter((other) => other.slice(0, 3) === file.slice(0, 3)).join(' and '));
    throw new Error(`migrations share a number: ${named.join('; ')}; give each its own`);
  }
  return Promise.all(files.map(async (file) => ({
    version: Number(file.slice(0, 3)),
    name: file.slice(4, -4),
    sql: await readFile(new URL(file, dir), 'utf8'),
  })));
}

/**
 * Applies every migration not yet recorded, each in its own transaction, and returns the versions applied.
 * An advisory lock makes two processes starting together take turns instead of racing.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? await readMigrations();
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  // One read first: on a database that is up to date (every start after the first) no transaction is opened.
  const recorded = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version));
  const applied: number[] = [];
  for (const migration of all.filter((candidate) => !recorded.has(candidate.version))) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
