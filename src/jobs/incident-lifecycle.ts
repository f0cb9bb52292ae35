import type { Db } from '../adapters/store/db.js';
import type { StoredIncident } from '../adapters/store/queries/incidents.js';
import { enqueueRootEditAndNote, incidentRootCopies, insertIncident, insertIncidentEvent, isSilenced, latestIncident, updateIncident } from '../adapters/store/queries/incidents.js';
import type { ChangeRow, MonitorStateRow } from '../adapters/store/queries/monitors.js';
import { enqueuePost } from '../adapters/store/queries/outbox.js';
import { lockMonitorState, readMonitorState, saveMonitorState } from '../adapters/store/queries/monitors.js';
import { DEFAULT_CAUSE_WINDOW_MINUTES, judgeCauses, ownerOfCause } from '../analytics/likely-cause.js';
import type { PostContext } from '../bot/incident-posts.js';
import { causeSentence, channelMention, detailNote, findingsSentence, incidentTitle, rootPost, teamName, threadNote } from '../bot/incident-posts.js';
import type { ChatPlatform } from '../bot/outbound.js';
import type { IncidentCause, IncidentEvidence, OwnerTeam } from '../bot/data-port.js';
import { incidentEventOf } from '../bot/data-port.js';
import type { IncidentAction, IncidentView, RuleOutcome, RuleSettings } from './incident-rules.js';
import { decideIncident } from './incident-rules.js';
import type { Evaluation } from '../analytics/monitors/evaluation.js';
import { isMoreSevere } from '../analytics/monitors/evaluation.js';
import { MINUTE_MS } from '../analytics/time.js';

/** Where each team is told: channel addresses like 'slack:C123', 'teams:<id>', 'console', 'file'. */
export interface TeamChannels {
  dev: string;
  marketing: string;
}

export interface LifecycleContext {
  asOf: Date;
  rules: RuleSettings;
  channels: TeamChannels;
  /** Changes that may explain a breach, any order. */
  changes: readonly ChangeRow[];
  /** How far before a breach's start earlier changes are listed as context (never as the cause). */
  causeLookbackMinutes: number;
  /**
   * How long before a breach's start a change may land and still be its likely cause, where the
   * monitor does not say when the signal was last fine (tracking); page speed uses the run before the step.
   */
  causeWindowMinutes?: number;
  posts: PostContext;
}


const MONITOR_ACTOR = 'monitor';
const CAUSES_KEPT = 3;

/** Splits a channel address; config.ts (ChannelAddress) has already checked its shape, so the prefixes are known platforms. */
export function parseAddress(address: string): { platform: ChatPlatform; channelId: string } {
  const cut = address.indexOf(':');
  if (cut < 0) return { platform: address as 'console' | 'file', channelId: address };
  return { platform: address.slice(0, cut) as 'slack' | 'teams', channelId: address.slice(cut + 1) };
}

function channelsOf(team: OwnerTeam, channels: TeamChannels): string[] {
  if (team === 'dev') return [channels.dev];
  if (team === 'marketing') return [channels.marketing];
  return [...new Set([channels.dev, channels.marketing])];
}

/**
 * The changes that explain a breach that began at `startMs`: likely causes only inside the cause
 * window (the signal stepped at them), most likely first; earlier changes follow as context.
 */
export function likelyCauses(evaluation: Evaluation, startMs: number | null, changes: readonly ChangeRow[], context: Pick<LifecycleContext, 'causeLookbackMinutes' | 'causeWindowMinutes'>): IncidentCause[] {
  if (startMs === null) return [];
  const windowMinutes = context.causeWindowMinutes ?? DEFAULT_CAUSE_WINDOW_MINUTES;
  // The monitor's own "last seen fine" (the lab run before a step, the last hour orders were reported
  // as usual) only holds for the start it dated; elsewhere the configured window bounds the cause.
  const seenFineMs = evaluation.breachStartMs === startMs ? evaluation.causeWindowStartMs ?? null : null;
  const judged = judgeCauses(changes, startMs, {
    fromMs: Math.max(seenFineMs ?? startMs - windowMinutes * MINUTE_MS, startMs - context.causeLookbackMinutes * MINUTE_MS),
    // A change inside the data's resolution after the apparent start may still have caused it.
    toMs: startMs + evaluation.resolutionMs,
    contextFromMs: startMs - context.causeLookbackMinutes * MINUTE_MS,
  });
  const asCause = ({ change, leadMinutes }: { change: ChangeRow; leadMinutes: number }): IncidentCause => ({
    kind: change.kind, ref: change.ref, at: new Date(change.atMs).toISOString(), author: change.author, summary: change.summary, url: change.url, leadMinutes,
  });
  return [
    ...judged.likely.slice(0, CAUSES_KEPT).map(asCause),
    ...judged.context.slice(0, CAUSES_KEPT).map((ranked) => ({ ...asCause(ranked), role: 'context' as const })),
  ];
}

/** The likely cause, if any: context changes never are one. */
export const leadCause = (causes: readonly IncidentCause[]): IncidentCause | undefined => causes.find((cause) => cause.role !== 'context');

function viewOf(incident: StoredIncident | null): IncidentView | null {
  if (!incident) return null;
  return {
    id: incident.id, status: incident.status, severity: incident.severity, ownerTeam: incident.ownerTeam,
    resolvedAtMs: incident.resolvedAt?.getTime() ?? null, mutedUntilMs: incident.mutedUntil?.getTime() ?? null,
    isFieldConfirmed: incident.evidence.isFieldConfirmed,
  };
}

/** Once real-user data confirmed an incident it stays confirmed, so "CrUX now confirms it" is said once. */
const evidenceOf = (evaluation: Evaluation, incident: StoredIncident | null = null): IncidentEvidence => ({
  findings: evaluation.findings,
  series: evaluation.series,
  isFieldConfirmed: incident && incident.status !== 'resolved' && incident.evidence.isFieldConfirmed === true ? true : evaluation.isFieldConfirmed ?? null,
});

/**
 * Applies one evaluation: the monitor's memory, the incident, its event and its posts change in one
 * transaction (DESIGN.md, "Jobs and delivery"). An instant already evaluated changes nothing, so
 * running the same period twice is harmless.
 */
export async function applyEvaluation(db: Db, evaluation: Evaluation, context: LifecycleContext): Promise<IncidentAction['kind'] | 'already_evaluated'> {
  // Most passes change nothing (all ok, or a breach already reported): decide on a plain read first.
  const seen = await readMonitorState(db, evaluation.signal, evaluation.target);
  if (seen) {
    const { memory, action } = await decide(db, seen, evaluation, context);
    if (action.kind === 'none' && memory.breachesInRow === seen.breachesInRow && memory.okSinceMs === seen.okSinceMs) return 'none';
  }
  return db.transaction(async (tx) => {
    const { signal, target } = evaluation;
    const state = await lockMonitorState(tx, signal, target);
    if (state.lastEvaluatedAtMs !== null && state.lastEvaluatedAtMs >= context.asOf.getTime()) return 'already_evaluated';
    const { memory, action, incident, causes } = await decide(tx, state, evaluation, context);
    const value = evaluation.findings[0]?.observed ?? null;
    await saveMonitorState(tx, signal, target, { ...memory, value, evaluatedAt: context.asOf });
    if (action.kind === 'open') await openIncident(tx, evaluation, causes, context);
    else if (incident && action.kind !== 'none') await changeIncident(tx, incident, action, evaluation, causes, context);
    else if (incident && incident.status !== 'resolved' && evaluation.level === 'breach') await updateIncident(tx, incident.id, { lastBreachAt: context.asOf, evidence: evidenceOf(evaluation, incident) });
    return action.kind;
  });
}

async function decide(db: Db, state: MonitorStateRow, evaluation: Evaluation, context: LifecycleContext): Promise<RuleOutcome & { incident: StoredIncident | null; causes: IncidentCause[] }> {
  const { signal, target } = evaluation;
  const incident = await latestIncident(db, signal, target);
  const isLive = incident !== null && incident.status !== 'resolved';
  let causes = incident?.causes ?? [];
  let ownerTeam: OwnerTeam = incident?.ownerTeam ?? 'both';
  if (evaluation.level === 'breach' && isLive) {
    // The start was fixed when the incident opened; only a change not known then, inside the window
    // before that start, is new evidence, and only new evidence hands the incident over.
    const fixedStartMs = incident.breachStartedAt?.getTime() ?? evaluation.breachStartMs;
    const known = new Set(incident.causes.map((cause) => `${cause.kind} ${cause.ref}`));
    const fresh = likelyCauses(evaluation, fixedStartMs, context.changes, context);
    const lead = leadCause(fresh);
    if (lead && !known.has(`${lead.kind} ${lead.ref}`)) {
      causes = fresh;
      ownerTeam = ownerOfCause(lead.kind);
    }
  } else if (evaluation.level === 'breach') {
    causes = likelyCauses(evaluation, evaluation.breachStartMs, context.changes, context);
    ownerTeam = ownerOfCause(leadCause(causes)?.kind);
  }
  const resolvedAtMs = incident?.resolvedAt?.getTime() ?? null;
  const outcome = decideIncident({
    memory: { breachesInRow: state.breachesInRow, okSinceMs: state.okSinceMs },
    level: evaluation.level,
    severity: evaluation.severity,
    ownerTeam,
    isFieldConfirmed: evaluation.isFieldConfirmed ?? null,
    incident: viewOf(incident),
    // A new change since it resolved makes a new breach a new fault with its own cause and thread.
    hasChangeSinceResolved: resolvedAtMs !== null && context.changes.some((change) => change.atMs > resolvedAtMs && change.atMs <= context.asOf.getTime()),
    isSilenced: await isSilenced(db, signal, target, context.asOf),
    nowMs: context.asOf.getTime(),
    recoveredSinceMs: evaluation.recoveredSinceMs ?? null,
    rules: context.rules,
  });
  return { ...outcome, incident, causes };
}

async function openIncident(tx: Db, evaluation: Evaluation, causes: IncidentCause[], context: LifecycleContext): Promise<void> {
  const ownerTeam = ownerOfCause(leadCause(causes)?.kind);
  const breachStartedAt = evaluation.breachStartMs === null ? null : new Date(evaluation.breachStartMs);
  const id = await insertIncident(tx, {
    signal: evaluation.signal, target: evaluation.target, severity: evaluation.severity, title: incidentTitle(evaluation, context.posts.t),
    ownerTeam, openedAt: context.asOf, breachStartedAt, evidence: evidenceOf(evaluation), causes,
  });
  await insertIncidentEvent(tx, id, { at: context.asOf, kind: incidentEventOf('open'), actor: MONITOR_ACTOR, details: { severity: evaluation.severity, ownerTeam, cause: causes[0]?.ref ?? null } });
  const incident = await latestIncident(tx, evaluation.signal, evaluation.target);
  if (!incident) throw new Error(`incident ${id} vanished inside its transaction`);
  const [primary, ...others] = channelsOf(ownerTeam, context.channels);
  const root = rootPost(incident, context.posts);
  const rootOutboxId = await enqueuePost(tx, { dedupeKey: `incident:${id}:root`, ...parseAddress(primary!), reply: root });
  await updateIncident(tx, id, { rootOutboxId });
  const copies = [rootOutboxId];
  for (const address of others) copies.push(await enqueuePost(tx, { dedupeKey: `incident:${id}:root:${address}`, ...parseAddress(address), reply: root }));
  // The root post stays short; every finding and the earlier changes go in its thread, under each copy.
  const detail = detailNote(incident, context.posts);
  for (const copyId of copies) await enqueuePost(tx, { dedupeKey: `incident:${id}:detail:${copyId}`, threadOf: copyId, reply: detail });
}

/** A root copy in each channel of `team` that has none yet, so a team an incident is handed to sees it in its own channel. */
async function addRootCopies(tx: Db, incident: StoredIncident, team: OwnerTeam, context: LifecycleContext): Promise<void> {
  const existing = await incidentRootCopies(tx, incident);
  for (const address of channelsOf(team, context.channels)) {
    const { platform, channelId } = parseAddress(address);
    if (existing.some((copy) => copy.platform === platform && copy.channelId === channelId)) continue;
    const copyId = await enqueuePost(tx, { dedupeKey: `incident:${incident.id}:root:${address}`, platform, channelId, reply: rootPost(incident, context.posts) });
    await enqueuePost(tx, { dedupeKey: `incident:${incident.id}:detail:${copyId}`, threadOf: copyId, reply: detailNote(incident, context.posts) });
  }
}

async function changeIncident(tx: Db, incident: StoredIncident, action: Exclude<IncidentAction, { kind: 'none' | 'open' }>, evaluation: Evaluation, causes: IncidentCause[], context: LifecycleContext): Promise<void> {
  const at = context.asOf;
  const { t, fmt } = context.posts;
  const evidence = evidenceOf(evaluation, incident);
  let note: string;
  if (action.kind === 'resolve') {
    await updateIncident(tx, incident.id, { status: 'resolved', resolved: { at, by: MONITOR_ACTOR } });
    note = t('incident.note.resolvedAuto', { hold: fmt.duration(context.rules.holdMs / MINUTE_MS) });
  } else if (action.kind === 'reopen') {
    // The same fault back (no change since it resolved): its cause and owner stand.
    await updateIncident(tx, incident.id, { status: 'open', resolved: null, acknowledged: null, severity: evaluation.severity, evidence: evidenceOf(evaluation), lastBreachAt: at, breachStartedAt: evaluation.breachStartMs === null ? null : new Date(evaluation.breachStartMs) });
    note = t('incident.note.reopened', { findings: findingsSentence({ ...incident, evidence }, context.posts) });
  } else if (action.kind === 'handover') {
    await updateIncident(tx, incident.id, { ownerTeam: action.to, causes, evidence, lastBreachAt: at });
    await addRootCopies(tx, (await latestIncident(tx, incident.signal, incident.target)) ?? incident, action.to, context);
    const mention = channelsOf(action.to, context.channels).map(channelMention).join(' ');
    note = t('incident.note.handover', { team: teamName(action.to, t), mention, reason: causeSentence(causes, context.posts) });
  } else {
    const isEscalation = isMoreSevere(evaluation.severity, incident.severity);
    const severity = isEscalation ? evaluation.severity : incident.severity;
    await updateIncident(tx, incident.id, { severity, evidence, lastBreachAt: at });
    note = isEscalation
      ? t('incident.note.escalated', { severity: t(`incident.severity.${severity}`), findings: findingsSentence({ ...incident, evidence }, context.posts) })
      : t('incident.note.fieldConfirmed');
  }
  const eventId = await insertIncidentEvent(tx, incident.id, { at, kind: incidentEventOf(action.kind), actor: MONITOR_ACTOR, details: action.kind === 'handover' ? { from: action.from, to: action.to } : null });
  const updated = await latestIncident(tx, incident.signal, incident.target);
  if (!updated) throw new Error(`incident ${incident.id} vanished inside its transaction`);
  await enqueueRootEditAndNote(tx, updated, eventId, { root: rootPost(updated, context.posts), note: threadNote(updated, note, context.posts) });
}
