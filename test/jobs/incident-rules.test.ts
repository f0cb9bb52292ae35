import { describe, expect, it } from 'vitest';
import type { IncidentView, RuleInput } from '../../src/jobs/incident-rules.js';
import { decideIncident } from '../../src/jobs/incident-rules.js';
import { MINUTE_MS, HOUR_MS } from '../../src/analytics/time.js';

const now = Date.parse('2026-11-23T18:00:00Z');
const rules = { breachesToOpen: 2, holdMs: 2 * HOUR_MS, cooldownMs: 24 * HOUR_MS };

const liveIncident = { id: 7, status: 'open', severity: 'major', ownerTeam: 'dev', resolvedAtMs: null, mutedUntilMs: null, isFieldConfirmed: null } satisfies IncidentView;

function input(overrides: Partial<RuleInput>): RuleInput {
  return {
    memory: { breachesInRow: 0, okSinceMs: null }, level: 'breach', severity: 'major', ownerTeam: 'dev', isFieldConfirmed: null,
    incident: null, isSilenced: false, nowMs: now, rules, ...overrides,
  };
}

describe('decideIncident', () => {
  it('does not open on the first breach: a breach must persist for two evaluations', () => {
    const outcome = decideIncident(input({}));
    expect(outcome).toEqual({ memory: { breachesInRow: 1, okSinceMs: null }, action: { kind: 'none' } });
  });

  it('opens on the second consecutive breach', () => {
    expect(decideIncident(input({ memory: { breachesInRow: 1, okSinceMs: null } })).action).toEqual({ kind: 'open' });
  });

  it('a reading between the exit and enter thresholds breaks the run of breaches', () => {
    const outcome = decideIncident(input({ level: 'between', memory: { breachesInRow: 1, okSinceMs: null } }));
    expect(outcome.memory.breachesInRow).toBe(0);
    expect(decideIncident(input({ memory: outcome.memory })).action).toEqual({ kind: 'none' });
  });

  it('too little data to judge changes nothing, neither the count of breaches nor the ok streak', () => {
    const memory = { breachesInRow: 1, okSinceMs: now - HOUR_MS };
    expect(decideIncident(input({ level: 'unknown', memory }))).toEqual({ memory, action: { kind: 'none' } });
  });

  it('never opens a second incident while one is live: a continuing breach at the same severity posts nothing', () => {
    const outcome = decideIncident(input({ memory: { breachesInRow: 5, okSinceMs: null }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'none' });
  });

  it('posts an update when the incident gets more severe', () => {
    const outcome = decideIncident(input({ severity: 'critical', memory: { breachesInRow: 3, okSinceMs: null }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'update', incidentId: 7 });
  });

  it('a milder reading is not news', () => {
    const outcome = decideIncident(input({ severity: 'minor', memory: { breachesInRow: 3, okSinceMs: null }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'none' });
  });

  it('posts an update when field data starts confirming a page-speed incident', () => {
    const outcome = decideIncident(input({ isFieldConfirmed: true, memory: { breachesInRow: 3, okSinceMs: null }, incident: { ...liveIncident, isFieldConfirmed: false } }));
    expect(outcome.action).toEqual({ kind: 'update', incidentId: 7 });
  });

  it('stays quiet about updates while the incident is muted', () => {
    const muted = { ...liveIncident, mutedUntilMs: now + HOUR_MS };
    expect(decideIncident(input({ severity: 'critical', memory: { breachesInRow: 3, okSinceMs: null }, incident: muted })).action).toEqual({ kind: 'none' });
  });

  it('hands over when the likely cause now points to the other team', () => {
    const outcome = decideIncident(input({ ownerTeam: 'marketing', memory: { breachesInRow: 3, okSinceMs: null }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'handover', incidentId: 7, from: 'dev', to: 'marketing' });
  });

  it('keeps the owner when the cause is lost rather than handing over to both teams', () => {
    const outcome = decideIncident(input({ ownerTeam: 'both', memory: { breachesInRow: 3, okSinceMs: null }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'none' });
  });

  it('starts the hold period on the first ok evaluation and does not resolve yet', () => {
    const outcome = decideIncident(input({ level: 'ok', memory: { breachesInRow: 4, okSinceMs: null }, incident: liveIncident }));
    expect(outcome).toEqual({ memory: { breachesInRow: 0, okSinceMs: now }, action: { kind: 'none' } });
  });

  it('resolves once the signal has held ok for the hold period', () => {
    const outcome = decideIncident(input({ level: 'ok', memory: { breachesInRow: 0, okSinceMs: now - 2 * HOUR_MS }, incident: liveIncident }));
    expect(outcome.action).toEqual({ kind: 'resolve', incidentId: 7 });
  });

  it('a between reading during the hold period restarts it', () => {
    const outcome = decideIncident(input({ level: 'between', memory: { breachesInRow: 0, okSinceMs: now - 90 * MINUTE_MS }, incident: liveIncident }));
    expect(outcome.memory.okSinceMs).toBeNull();
    expect(outcome.action).toEqual({ kind: 'none' });
  });

  it('re-opens the same incident when it re-fires within the cooldown', () => {
    const resolved = { ...liveIncident, status: 'resolved', resolvedAtMs: now - 23 * HOUR_MS } satisfies IncidentView;
    expect(decideIncident(input({ memory: { breachesInRow: 1, okSinceMs: null }, incident: resolved })).action).toEqual({ kind: 'reopen', incidentId: 7 });
  });

  it('opens a new incident when it re-fires after the cooldown', () => {
    const resolved = { ...liveIncident, status: 'resolved', resolvedAtMs: now - 25 * HOUR_MS } satisfies IncidentView;
    expect(decideIncident(input({ memory: { breachesInRow: 1, okSinceMs: null }, incident: resolved })).action).toEqual({ kind: 'open' });
  });

  it('opens nothing while the signal and target are silenced, but keeps counting', () => {
    const outcome = decideIncident(input({ memory: { breachesInRow: 3, okSinceMs: null }, isSilenced: true }));
    expect(outcome).toEqual({ memory: { breachesInRow: 4, okSinceMs: null }, action: { kind: 'none' } });
  });
});
