import type { Db } from '../db.js';

/** Drops the data tables' indexes other than primary keys (loading first and indexing once is faster) and returns how to recreate them. */
export async function dropSecondaryIndexes(tx: Db): Promise<string[]> {
  const indexes = await tx.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`,
    [['customers', 'orders', 'touchpoints']],
  );
  for (const index of indexes) await tx.exec(`DROP INDEX ${quoteIdentifier(index.name)}`);
  return indexes.map((index) => index.definition);
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
