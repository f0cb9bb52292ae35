import type { Bot } from '../../../bot/dispatch.js';
import type { Logger } from '../../../log.js';
import { translator } from '../../../bot/messages/index.js';
import type { ChatPoster } from '../../../bot/outbound.js';
import type { Db } from '../../store/db.js';
import type { TeamsConfig } from './auth-config.js';
import { teamsAuth } from './auth-config.js';
import { createTeamsAdapter } from './adapter.js';
import { fileHostFor } from './file-host.js';
import { createConnectorPoster } from './poster.js';

export { startTeams } from './server.js';
export type { RunningTeams, TeamsDependencies } from './server.js';
export { teamsAuth } from './auth-config.js';
export type { TeamsConfig } from './auth-config.js';

/**
 * The Teams ChatPoster the delivery queue calls for platform 'teams'. It has its own adapter, so a
 * worker can post without this process serving /api/messages. Throws when the configuration is
 * not usable (startTeams reports the same line first).
 */
export function createTeamsPoster(config: TeamsConfig, deps: { bot: Bot; db: Db; log: Logger; clock?: () => Date }): ChatPoster {
  const auth = teamsAuth(config);
  if (!auth.ok) throw new Error(auth.error);
  const clock = deps.clock ?? (() => new Date());
  const files = fileHostFor(config, deps.db, clock);
  return createConnectorPoster({
    adapter: createTeamsAdapter(auth),
    appId: auth.appId,
    db: deps.db,
    translatorFor: (conversationId) => translator(deps.bot.localeFor({ channelId: conversationId })),
    log: deps.log,
    clock,
    ...(files ? { files } : {}),
  });
}
