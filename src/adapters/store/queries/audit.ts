import type { AuditData, AuditRecord } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

export interface AuditFilter {
  limit: number;
  channel?: string;
  actor?: string;
}

export function auditQueries(db: Db): AuditData {
  return {
    async recordAudit(entry) {
      await db.query(
        'INSERT INTO audit_log (at, platform, channel, actor, action, outcome, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)',
        [entry.at, entry.platform, entry.channel, entry.actor, entry.action, entry.outcome, JSON.stringify({ via: entry.isClick ? 'button' : 'typed' })],
      );
    },
  };
}

/** The newest entries first, optionally of one channel or one person. */
export async function selectAudit(db: Db, filter: AuditFilter): Promise<AuditRecord[]> {
  const rows = await db.query<{ at: Date; platform: string; channel: string | null; actor: string | null; action: string; outcome: string; details: { via?: string } | null }>(
    `SELECT at, platform, channel, actor, action, outcome, details FROM audit_log
      WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR actor = $2)
      ORDER BY at DESC, id DESC LIMIT $3`,
    [filter.channel ?? null, filter.actor ?? null, filter.limit],
  );
  return rows.map((row) => ({
    at: row.at, platform: row.platform, channel: row.channel ?? '', actor: row.actor ?? '', action: row.action, outcome: row.outcome, isClick: row.details?.via === 'button',
  }));
}
