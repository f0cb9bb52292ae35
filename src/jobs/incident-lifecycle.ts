import type { Db } from '../adapters/store/db.js';
import type { StoredIncident } from '../adapters/store/queries/incidents.js';
import { enqueueRootEditAndNote, insertIncident, insertIncidentEvent, isSilenced, latestIncident, updateIncident } from '../adapters/store/queries/incidents.js';
import type { ChangeRow, MonitorStateRow } from '../adapters/store/queries/monitors.js';
import { enqueuePost } from '../adapters/store/queries/outbox.js';
import { lockMonitorState, readMonitorState, saveMonitorState } from '../adapters/store/queries/monitors.js';
import { ownerOfCause, rankLikelyCauses } from '../analytics/likely-cause.js';
import type { PostContext } from '../bot/incident-posts.js';
import { channelMention, findingsSentence, incidentTitle, rootPost, teamName, threadNote, causeSentence } from '../bot/incident-posts.js';
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
  causeLookbackMinutes: number;
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

/** The changes before the breach began, most likely first, each with its lead time. */
export function likelyCauses(evaluation: Evaluation, changes: readonly ChangeRow[], lookbackMinutes: number): IncidentCause[] {
  if (evaluation.breachStartMs === null) return [];
  // A change inside the data's resolution after the apparent start may still have caused it.
  const referenceMs = evaluation.breachStartMs + evaluation.resolutionMs;
  return rankLikelyCauses(changes, referenceMs, lookbackMinutes).slice(0, CAUSES_KEPT).map(({ change }) => ({
    kind: change.kind, ref: change.ref, at: new Date(change.atMs).toISOString(), author: change.author, summary: change.summary, url: change.url,
    leadMinutes: Math.max(0, (evaluation.breachStartMs! - change.atMs) / MINUTE_MS),
  }));
}

function viewOf(incident: StoredIncident | null): IncidentView | null {
  if (!incident) return null;
  return {
    id: incident.id, status: incident.status, severity: incident.severity, ownerTeam: incident.ownerTeam,
    resolvedAtMs: incident.resolvedAt?.getTime() ?? null, mutedUntilMs: incident.mutedUntil?.getTime() ?? null,
    isFieldConfirmed: incident.evidence.isFieldConfirmed,
  };
}

const evidenceOf = (evaluation: Evaluation): IncidentEvidence => ({ findings: evaluation.findings, series: evaluation.series, isFieldConfirmed: evaluation.isFieldConfirmed ?? null });

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
    else if (incident && incident.status !== 'resolved' && evaluation.level === 'breach') await updateIncident(tx, incident.id, { lastBreachAt: context.asOf, evidence: evidenceOf(evaluation) });
    return action.kind;
  });
}

async function decide(db: Db, state: MonitorStateRow, evaluation: Evaluation, context: LifecycleContext): Promise<RuleOutcome & { incident: StoredIncident | null; causes: IncidentCause[] }> {
  const { signal, target } = evaluation;
  const incident = await latestIncident(db, signal, target);
  const causes = evaluation.level === 'breach' ? likelyCauses(evaluation, context.changes, context.causeLookbackMinutes) : incident?.causes ?? [];
  const outcome = decideIncident({
    memory: { breachesInRow: state.breachesInRow, okSinceMs: state.okSinceMs },
    level: evaluation.level,
    severity: evaluation.severity,
    ownerTeam: ownerOfCause(causes[0]?.kind),
    isFieldConfirmed: evaluation.isFieldConfirmed ?? null,
    incident: viewOf(incident),
    isSilenced: await isSilenced(db, signal, target, context.asOf),
    nowMs: context.asOf.getTime(),
    rules: context.rules,
  });
  return { ...outcome, incident, causes };
}

async function openIncident(tx: Db, evaluation: Evaluation, causes: IncidentCause[], context: LifecycleContext): Promise<void> {
  const ownerTeam = ownerOfCause(causes[0]?.kind);
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
  for (const address of others) await enqueuePost(tx, { dedupeKey: `incident:${id}:root:${address}`, ...parseAddress(address), reply: root });
}

async function changeIncident(tx: Db, incident: StoredIncident, action: Exclude<IncidentAction, { kind: 'none' | 'open' }>, evaluation: Evaluation, causes: IncidentCause[], context: LifecycleContext): Promise<void> {
  const at = context.asOf;
  const { t, fmt } = context.posts;
  const evidence = evidenceOf(evaluation);
  let note: string;
  if (action.kind === 'resolve') {
    await updateIncident(tx, incident.id, { status: 'resolved', resolved: { at, by: MONITOR_ACTOR } });
    note = t('incident.note.resolvedAuto', { hold: fmt.duration(context.rules.holdMs / MINUTE_MS) });
  } else if (action.kind === 'reopen') {
    await updateIncident(tx, incident.id, { status: 'open', resolved: null, acknowledged: null, severity: evaluation.severity, evidence, causes, lastBreachAt: at, breachStartedAt: evaluation.breachStartMs === null ? null : new Date(evaluation.breachStartMs) });
    note = t('incident.note.reopened', { findings: findingsSentence({ ...incident, evidence }, context.posts) });
  } else if (action.kind === 'handover') {
    await updateIncident(tx, incident.id, { ownerTeam: action.to, causes, evidence, lastBreachAt: at });
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
