import type { Db } from '../../store/db.js';
import { claimPlatformEvent } from '../../store/queries/chat-state.js';

/**
 * Claims an Events API delivery by its event id. Slack re-sends an event it thinks was not received
 * (X-Slack-Retry-Num), sometimes while the first delivery is still running; exactly one claim wins.
 */
export const claimEvent = (db: Db, eventId: string): Promise<boolean> => claimPlatformEvent(db, 'slack', eventId);
