import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../../src/adapters/store/migrate.js';
import { testDbKind, useTestDb } from '../../support/db.js';

describe(`migrations on ${testDbKind}`, () => {
  const test = useTestDb();

  it('records every migration once and applies nothing on a second run', async () => {
    const all = await readMigrations();
    const recorded = await test.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.map((row) => row.version)).toEqual(all.map((migration) => migration.version));
    expect(await migrate(test.db)).toEqual([]);
  });

  it('creates every relation of the data contract', async () => {
    const tables = await test.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`);
    const names = tables.map((row) => row.table_name);
    for (const relation of ['customers', 'orders', 'touchpoints', 'reported_conversions', 'tracking_events', 'pagespeed_runs', 'changes', 'spend', 'budgets']) {
      expect(names).toContain(relation);
    }
  });

  it('refuses two migration files with one number, naming both, instead of silently skipping the second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      for (const file of ['001_a.sql', '002_b.sql', '002_c.sql']) await writeFile(join(dir, file), 'SELECT 1;');
      await expect(readMigrations(pathToFileURL(`${dir}/`))).rejects.toThrow('migrations share a number: 002_b.sql and 002_c.sql; give each its own');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('rolls back a failed migration entirely and records nothing for it', async () => {
    const broken = [{ version: 999, name: 'broken', sql: 'CREATE TABLE half_done (a int); SELECT no_such_column FROM half_done;' }];
    await expect(migrate(test.db, broken)).rejects.toThrow();
    const leftovers = await test.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done' AND table_schema = current_schema()`);
    expect(leftovers).toEqual([]);
    expect(await test.db.query('SELECT 1 FROM schema_migrations WHERE version = 999')).toEqual([]);
  });

  it('returns int8 and numeric columns as numbers on both databases', async () => {
    const [row] = await test.db.query<{ n: unknown; m: unknown }>('SELECT count(*) AS n, 12.50::numeric AS m FROM customers');
    expect(row).toEqual({ n: 0, m: 12.5 });
  });
});
