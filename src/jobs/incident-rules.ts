/**
 * The incident lifecycle as one pure decision (DESIGN.md, "Incidents"): given what a monitor
 * remembers of a signal and target, this evaluation, and the incident it last had, what happens.
 * Enter and exit thresholds live in the monitors (a reading between them is `between`); this
 * function adds persistence, the hold period before resolving, re-opening within a cooldown,
 * silences and hand-over when the likely cause points to the other team.
 */
import type { Severity } from '../analytics/monitors/evaluation.js';
import { isMoreSevere } from '../analytics/monitors/evaluation.js';
import type { OwnerTeam } from '../bot/data-port.js';
import { HOUR_MS } from '../analytics/time.js';

/** What a monitor keeps between evaluations of one signal and target. */
export interface MonitorMemory {
  breachesInRow: number;
  /** Since when the signal has been ok without interruption; null when it is not ok now. */
  okSinceMs: number | null;
}

export interface IncidentView {
  id: number;
  status: 'open' | 'acknowledged' | 'resolved';
  severity: Severity;
  ownerTeam: OwnerTeam;
  resolvedAtMs: number | null;
  mutedUntilMs: number | null;
  isFieldConfirmed: boolean | null;
}

export interface RuleSettings {
  /** Consecutive breaching evaluations before an incident opens (default 2). */
  breachesToOpen: number;
  /** How long the signal must hold ok before the incident resolves itself. */
  holdMs: number;
  /** A breach this soon after a resolution re-opens the same incident. */
  cooldownMs: number;
}

export const DEFAULT_RULES: RuleSettings = { breachesToOpen: 2, holdMs: 2 * HOUR_MS, cooldownMs: 24 * HOUR_MS };

export interface RuleInput {
  memory: MonitorMemory;
  /** `between`: past the exit threshold but not the enter one; `unknown`: too little data to say. */
  level: 'breach' | 'between' | 'ok' | 'unknown';
  severity: Severity;
  /** The team the likely cause points to; 'both' when no change explains it. */
  ownerTeam: OwnerTeam;
  isFieldConfirmed: boolean | null;
  /** The latest incident of this signal and target, live or resolved; null if there never was one. */
  incident: IncidentView | null;
  /** A `mute <signal> <target>` silence covers this signal and target now. */
  isSilenced: boolean;
  /** A change landed since the incident resolved: a new breach is then a new fault, not the old one back. */
  hasChangeSinceResolved?: boolean;
  nowMs: number;
  /** Since when the data itself shows the signal back (an ok verdict's recent window); the hold counts from it. */
  recoveredSinceMs?: number | null;
  rules: RuleSettings;
}

export type IncidentAction =
  | { kind: 'none' }
  | { kind: 'open' }
  | { kind: 'reopen'; incidentId: number }
  | { kind: 'update'; incidentId: number }
  | { kind: 'handover'; incidentId: number; from: OwnerTeam; to: OwnerTeam }
  | { kind: 'resolve'; incidentId: number };

export interface RuleOutcome {
  memory: MonitorMemory;
  action: IncidentAction;
}

export function decideIncident(input: RuleInput): RuleOutcome {
  const { memory, incident, nowMs, rules } = input;
  if (input.level === 'unknown') return { memory, action: { kind: 'none' } };
  if (input.level === 'between') return { memory: { breachesInRow: 0, okSinceMs: null }, action: { kind: 'none' } };
  if (input.level === 'ok') {
    const okSinceMs = memory.okSinceMs ?? Math.min(nowMs, input.recoveredSinceMs ?? nowMs);
    const next = { breachesInRow: 0, okSinceMs };
    if (incident && incident.status !== 'resolved' && nowMs - okSinceMs >= rules.holdMs) return { memory: next, action: { kind: 'resolve', incidentId: incident.id } };
    return { memory: next, action: { kind: 'none' } };
  }

  const next = { breachesInRow: memory.breachesInRow + 1, okSinceMs: null };
  if (incident && incident.status !== 'resolved') {
    // Only evidence naming the other team hands over; losing track of the cause keeps the owner.
    if (input.ownerTeam !== 'both' && input.ownerTeam !== incident.ownerTeam) {
      return { memory: next, action: { kind: 'handover', incidentId: incident.id, from: incident.ownerTeam, to: input.ownerTeam } };
    }
    const isMuted = incident.mutedUntilMs !== null && incident.mutedUntilMs > nowMs;
    // Material: it got worse, or real-user data now confirms it. A milder reading is not news.
    const isMaterial = isMoreSevere(input.severity, incident.severity) || (input.isFieldConfirmed === true && incident.isFieldConfirmed !== true);
    return { memory: next, action: isMaterial && !isMuted ? { kind: 'update', incidentId: incident.id } : { kind: 'none' } };
  }
  if (next.breachesInRow < rules.breachesToOpen || input.isSilenced) return { memory: next, action: { kind: 'none' } };
  // Re-open only the same fault: soon after it resolved, and with no change in between.
  const isRecent = incident !== null && incident.resolvedAtMs !== null && nowMs - incident.resolvedAtMs <= rules.cooldownMs && input.hasChangeSinceResolved !== true;
  return { memory: next, action: isRecent ? { kind: 'reopen', incidentId: incident.id } : { kind: 'open' } };
}
