import { parseArgs } from 'node:util';
import { z } from 'zod';
import { recordChange } from '../adapters/sources/changes-log.js';
import type { AdminCommand } from './admin-command.js';

const USAGE = 'mkt changes add --kind deploy|tag_manager|campaign|config --ref X --summary "..." [--at ISO] [--author A] [--url U]';

const ChangeArgs = z.object({
  kind: z.enum(['deploy', 'tag_manager', 'campaign', 'config']),
  ref: z.string().trim().min(1),
  summary: z.string().trim().min(1),
  at: z.iso.datetime({ offset: true }).optional(),
  author: z.string().trim().min(1).optional(),
  url: z.url().optional(),
});

export const changesAdd: AdminCommand = {
  words: ['changes', 'add'],
  usage: USAGE,
  description: 'record a deploy, tag-manager publish, campaign launch or config change by hand',
  async run(args, app, io) {
    let values;
    try {
      values = parseArgs({ args: [...args], options: { kind: { type: 'string' }, ref: { type: 'string' }, summary: { type: 'string' }, at: { type: 'string' }, author: { type: 'string' }, url: { type: 'string' } }, strict: true }).values;
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const parsed = ChangeArgs.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) io.err(`--${issue.path.join('.')}: ${issue.message}`);
      io.err(`Usage: ${USAGE}`);
      return 2;
    }
    const { kind, ref, summary, at, author, url } = parsed.data;
    const { isNew } = await recordChange(app.db, { kind, ref, summary, at: at ? new Date(at) : new Date(), author: author ?? null, url: url ?? null });
    if (isNew) io.out(`Recorded ${kind} ${ref}.`);
    else io.err(`A ${kind} with ref ${ref} is already recorded; nothing changed.`);
    return isNew ? 0 : 1;
  },
};
