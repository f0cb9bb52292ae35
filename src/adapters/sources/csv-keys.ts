import type { Db } from '../store/db.js';

export interface KeyedLine {
  line: number;
  /** The row's conflict key, as one string. */
  key: string;
}

export interface KeyLedger {
  /** Records a batch's keys; returns the lines whose key an earlier line of the file already had. */
  repeatsOf(rows: readonly KeyedLine[]): Promise<Map<number, number>>;
}

/**
 * Which keys a file has shown so far, kept in a temporary table of the import's transaction
 * rather than in memory, so a file of ten million rows costs disk, not heap. Two rows with one key
 * would otherwise be upserted in turn, the last one silently winning.
 */
export async function createKeyLedger(tx: Db): Promise<KeyLedger> {
  await tx.exec('CREATE TEMPORARY TABLE csv_import_keys (key text PRIMARY KEY, line integer NOT NULL) ON COMMIT DROP');
  return {
    async repeatsOf(rows) {
      const repeats = new Map<number, number>();
      if (rows.length === 0) return repeats;
      const earlier = new Map((await tx.query<{ key: string; line: number }>(
        'SELECT key, line FROM csv_import_keys WHERE key = ANY($1::text[])', [[...new Set(rows.map((row) => row.key))]],
      )).map((row) => [row.key, row.line]));
      const fresh: KeyedLine[] = [];
      for (const row of rows) {
        const firstLine = earlier.get(row.key);
        if (firstLine !== undefined) {
          repeats.set(row.line, firstLine);
          continue;
        }
        earlier.set(row.key, row.line);
        fresh.push(row);
      }
      await tx.query('INSERT INTO csv_import_keys (key, line) SELECT * FROM unnest($1::text[], $2::int[])', [fresh.map((row) => row.key), fresh.map((row) => row.line)]);
      return repeats;
    },
  };
}
