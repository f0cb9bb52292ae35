import type { ChangeKind, ChangeRecord, ChangesData, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

/** Deploys, tag-manager publishes, campaign launches and config changes; the range is half-open. */
export function changesQueries(db: Db): ChangesData {
  return {
    async changesBetween(range: TimeRange, kinds: readonly ChangeKind[]): Promise<ChangeRecord[]> {
      // Kinds travel as one comma-joined text so both drivers bind the parameter the same way.
      return db.query<{ at: Date; kind: ChangeKind; ref: string; author: string | null; summary: string | null; url: string | null }>(
        `SELECT at, kind, ref, author, summary, url
           FROM changes
          WHERE at >= $1 AND at < $2 AND kind = ANY (string_to_array($3, ','))
          ORDER BY at DESC, id DESC`,
        [range.start, range.end, kinds.join(',')],
      );
    },
  };
}
