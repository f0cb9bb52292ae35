import type { Db } from '../../store/db.js';

export interface ButtonAudit {
  channelId: string;
  userId: string;
  command: string;
  /** 'ok' or the problem kind of the reply. */
  outcome: string;
  messageTs?: string;
}

/** Who pressed which button (acknowledge, resolve, mute, ...) and how it went. */
export async function auditButton(db: Db, entry: ButtonAudit): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (platform, channel, actor, action, outcome, details) VALUES ('slack', $1, $2, $3, $4, $5)`,
    [entry.channelId, entry.userId, entry.command, entry.outcome, JSON.stringify({ messageTs: entry.messageTs ?? null })],
  );
}
