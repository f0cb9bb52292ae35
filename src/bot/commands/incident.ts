import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { IncidentChange, IncidentEventRecord, IncidentRecord } from '../data-port.js';
import { mentionOf } from '../mention.js';
import type { Person, Reply } from '../reply.js';
import { reply } from '../reply.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { mayChangeIncident } from '../roles.js';
import type { Words } from '../words.js';
import { badDuration, parseDurationMs } from '../duration.js';
import { rootPost, threadNote } from '../incident-posts.js';

type IncidentArgs =
  | { action: 'show'; id: number }
  | { action: 'ack' | 'resolve'; id: number }
  | { action: 'mute'; id: number; durationMs: number };

const ACTION_WORDS: Record<string, 'ack' | 'resolve' | 'mute'> = {
  ack: 'ack', acknowledge: 'ack', 'prendi-in-carico': 'ack', resolve: 'resolve', risolvi: 'resolve', mute: 'mute', silenzia: 'mute',
};

function takeId(words: Words, t: CommandContext['t']): Result<number> {
  const text = words.takeMatch(/^#?\d+$/);
  if (text === undefined) return fail(words.problem(t('incident.badId')));
  return ok(Number(text.replace('#', '')));
}

export const incident = defineCommand<IncidentArgs>({
  name: 'incident',
  aliases: ['incidente'],
  summary: 'help.incident',
  examples: ['incident 12', 'incident ack 12', 'incident resolve 12', 'incident mute 12 2h'],
  parse(words, { t }) {
    const actionWord = words.takeWord(Object.keys(ACTION_WORDS));
    const action = actionWord === undefined ? 'show' : ACTION_WORDS[actionWord]!;
    const id = takeId(words, t);
    if (!id.ok) return id;
    let args: IncidentArgs = action === 'mute' ? { action, id: id.value, durationMs: 0 } : { action, id: id.value };
    if (args.action === 'mute') {
      const text = words.takeMatch(/^\d+[a-z]+$/);
      const durationMs = text === undefined ? null : parseDurationMs(text);
      if (durationMs === null) return fail(badDuration(words, text, t, 'incident mute 12 2h'));
      args = { ...args, durationMs };
    }
    const [stray] = words.leftover();
    if (stray !== undefined) return fail(words.problem(t('parse.unexpected', { words: stray, command: 'incident' })));
    return ok(args);
  },
  async stateChange(args, context) {
    if (args.action === 'show') return undefined;
    const found = await context.data.incident(args.id);
    // An unknown incident is for `run` to report; there is nothing to guard.
    if (!found || mayChangeIncident(context.settings.roles, context.request, found.incident.ownerTeam)) return { isAllowed: true };
    return { isAllowed: false, refusal: context.t('roles.incident', { action: args.action, id: args.id, team: found.incident.ownerTeam }) };
  },
  async run(args, context) {
    const { data, t, now } = context;
    if (args.action === 'show') {
      const found = await data.incident(args.id);
      if (!found) return fail({ kind: 'no_data', message: t('incident.notFound', { id: args.id }) });
      return ok(detailReply(found.incident, found.events, context));
    }
    const change: IncidentChange = args.action === 'mute' ? { kind: 'mute', until: new Date(now.getTime() + args.durationMs) } : args.action === 'ack' ? { kind: 'acknowledge' } : { kind: 'resolve' };
    const actor = actorOf(context);
    const result = await data.changeIncident(args.id, change, { actor: context.request.userId, at: now }, (changed) => ({
      root: rootPost(changed, context),
      note: { ...threadNote(changed, noteText(change, mentionOf(actor, context.request.platform), context), context), mentions: [actor] },
    }));
    if (!result.ok) {
      return fail({ kind: 'bad_input', message: result.reason === 'not_found' ? t('incident.notFound', { id: args.id }) : t('incident.alreadyResolved', { id: args.id }) });
    }
    const done = doneText(change, args.id, context);
    return ok({ ...reply({ title: done, summary: done }), isConfirmation: true });
  },
});

/** The person who changed the incident, named in its thread; a platform that sent no name shows the id. */
function actorOf({ request }: CommandContext): Person {
  return request.asker ?? { id: request.userId, name: request.userId };
}

function noteText(change: IncidentChange, user: string, { t, fmt }: CommandContext): string {
  if (change.kind === 'acknowledge') return t('incident.note.acknowledgedBy', { user });
  if (change.kind === 'resolve') return t('incident.note.resolvedBy', { user });
  return t('incident.note.mutedBy', { user, until: fmt.dateTime(change.until) });
}

function doneText(change: IncidentChange, id: number, { t, fmt }: CommandContext): string {
  if (change.kind === 'acknowledge') return t('incident.done.acknowledged', { id });
  if (change.kind === 'resolve') return t('incident.done.resolved', { id });
  return t('incident.done.muted', { id, until: fmt.dateTime(change.until) });
}

/** The incident as its root post reads now, with its history of events below. */
function detailReply(found: IncidentRecord, events: readonly IncidentEventRecord[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const post = rootPost(found, context);
  return {
    ...post,
    summary: `${t('incident.detailSummary', { status: t(`incident.status.${found.status}`), severity: t(`incident.severity.${found.severity}`), owner: t(`incident.team.${found.ownerTeam}`) })} ${post.summary}`,
    blocks: [
      ...post.blocks,
      { type: 'text', text: t('incident.eventsTitle') },
      { type: 'list', items: events.map((event) => t('incident.event', { at: fmt.dateTime(event.at), kind: event.kind, actor: event.actor ?? t('incident.actorMonitor') })) },
    ],
  };
}
