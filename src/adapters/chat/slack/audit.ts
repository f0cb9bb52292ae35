import type { Db } from '../../store/db.js';
import { recordAudit } from '../../store/queries/chat-state.js';

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
  await recordAudit(db, {
    platform: 'slack', channel: entry.channelId, actor: entry.userId, action: entry.command, outcome: entry.outcome,
    details: { messageTs: entry.messageTs ?? null },
  });
}
