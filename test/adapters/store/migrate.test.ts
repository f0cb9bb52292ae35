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
