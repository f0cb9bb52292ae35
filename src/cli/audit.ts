import { parseArgs } from 'node:util';
import { selectAudit } from '../adapters/store/queries/audit.js';
import type { AdminCommand } from './admin-command.js';
import { columns } from './columns.js';

const USAGE = 'mkt audit [--limit N] [--channel ID] [--actor ID]';

/** Who changed what, where: every incident, silence and digest change, typed or clicked, allowed or refused. */
export const auditLog: AdminCommand = {
  words: ['audit'],
  usage: USAGE,
  description: 'who changed incidents, silences and digests, where, and whether it was allowed (newest first)',
  async run(args, app, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options: { limit: { type: 'string' }, channel: { type: 'string' }, actor: { type: 'string' } }, strict: true });
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const limit = Number(parsed.values.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      io.err(`--limit: expected a whole number from 1 to 10000\nUsage: ${USAGE}`);
      return 2;
    }
    const entries = await selectAudit(app.db, { limit, ...(parsed.values.channel ? { channel: parsed.values.channel } : {}), ...(parsed.values.actor ? { actor: parsed.values.actor } : {}) });
    if (entries.length === 0) {
      io.out('No changes recorded.');
      return 0;
    }
    io.out(columns([
      ['at', 'platform', 'channel', 'who', 'via', 'outcome', 'what'],
      ...entries.map((entry) => [entry.at.toISOString(), entry.platform, entry.channel, entry.actor, entry.isClick ? 'button' : 'typed', entry.outcome, entry.action]),
    ]));
    return 0;
  },
};
