import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../src/adapters/store/queries/monitors.js';
import { createFormatter } from '../../src/bot/format.js';
import { translator } from '../../src/bot/messages/index.js';
import type { LifecycleContext } from '../../src/jobs/incident-lifecycle.js';
import { applyEvaluation } from '../../src/jobs/incident-lifecycle.js';
import type { Evaluation } from '../../src/analytics/monitors/evaluation.js';
import { DEFAULT_RULES } from '../../src/jobs/incident-rules.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { HOUR_MS } from '../../src/analytics/time.js';

const t0 = Date.parse('2026-11-23T16:00:00Z');
const deploy: ChangeRow = { id: 1, atMs: Date.parse('2026-11-23T14:02:00Z'), kind: 'deploy', ref: '4e1d7a2', author: 'jonas.brandt', summary: 'Checkout refactor', url: null };
const publish: ChangeRow = { id: 2, atMs: Date.parse('2026-11-23T11:30:00Z'), kind: 'tag_manager', ref: 'GTM-K7Q2D9X v1080', author: 'anna.vogel', summary: 'Consent defaults', url: null };

function evaluation(level: Evaluation['level'], breachStartMs: number | null = Date.parse('2026-11-23T14:00:00Z')): Evaluation {
  return {
    monitor: 'capture_drop', signal: 'tracking', target: 'purchase', level, severity: 'critical', breachStartMs, resolutionMs: HOUR_MS, series: null,
    findings: level === 'breach' ? [{ metric: 'capture_rate', subject: 'purchase', level, observed: 0, expected: 0.9, unit: 'ratio' }] : [],
  };
}

const context = (atMs: number): LifecycleContext => ({
  asOf: new Date(atMs), rules: DEFAULT_RULES, channels: { dev: 'slack:CDEV', marketing: 'slack:CMKT' }, changes: [deploy, publish],
  causeLookbackMinutes: 24 * 60, posts: { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') },
});

describe(`applyEvaluation on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE incident_events, incidents, silences, monitor_state, outbox RESTART IDENTITY CASCADE');
  });

  const posts = () => test.db.query<{ channel_id: string; thread_of: number | null; replaces: number | null; summary: string }>(
    `SELECT channel_id, thread_of, replaces, payload->>'summary' AS summary FROM outbox ORDER BY id`);

  it('opens on the second breach, blames the deploy and posts the root to the dev channel', async () => {
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0))).toBe('none');
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS))).toBe('open');
    const [incident] = await test.db.query<{ owner_team: string; cause: { ref: string; leadMinutes: number }[] }>('SELECT owner_team, cause FROM incidents');
    expect(incident?.owner_team).toBe('dev');
    // The deploy at 14:02 falls inside the first low hour (14:00-15:00): it counts, its lead time floored at 0.
    expect(incident?.cause[0]).toMatchObject({ ref: '4e1d7a2', leadMinutes: 0 });
    expect(await posts()).toEqual([expect.objectContaining({ channel_id: 'CDEV', thread_of: null, replaces: null })]);
  });

  it('hands over to marketing in the same thread when the drop turns out to have begun before the deploy, right after a publish', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS));
    expect(await applyEvaluation(test.db, evaluation('breach', Date.parse('2026-11-23T12:00:00Z')), context(t0 + 2 * HOUR_MS))).toBe('handover');
    const [incident] = await test.db.query<{ owner_team: string }>('SELECT owner_team FROM incidents');
    expect(incident?.owner_team).toBe('marketing');
    const all = await posts();
    expect(all.at(-1)).toMatchObject({ channel_id: 'CDEV', thread_of: 1, summary: expect.stringMatching(/^Handing this over to marketing <#CMKT>: Likely cause: tag-manager publish GTM-K7Q2D9X v1080 by anna.vogel, 30 min before it began/) });
    const events = await test.db.query<{ kind: string; details: unknown }>('SELECT kind, details FROM incident_events ORDER BY id');
    expect(events.map((event) => event.kind)).toEqual(['opened', 'handed_over']);
    expect(events[1]?.details).toEqual({ from: 'dev', to: 'marketing' });
  });

  it('evaluating the same instant again changes nothing', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0));
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0))).toBe('already_evaluated');
    const [state] = await test.db.query<{ breaches_in_row: number }>('SELECT breaches_in_row FROM monitor_state');
    expect(state?.breaches_in_row).toBe(1);
  });

  it('a silence from chat keeps the incident closed', async () => {
    await test.db.query(`INSERT INTO silences (signal, target, until_at, created_by) VALUES ('tracking', 'purchase', $1, 'U7')`, [new Date(t0 + 24 * HOUR_MS)]);
    for (let step = 0; step < 4; step += 1) await applyEvaluation(test.db, evaluation('breach'), context(t0 + step * HOUR_MS));
    expect(await test.db.query('SELECT id FROM incidents')).toEqual([]);
  });

  it('re-opens the same incident when it re-fires within the cooldown, and says so in its thread', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS));
    await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 2 * HOUR_MS));
    expect(await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 4 * HOUR_MS))).toBe('resolve');
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + 5 * HOUR_MS));
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0 + 6 * HOUR_MS))).toBe('reopen');
    const incidents = await test.db.query<{ id: number; status: string; resolved_at: Date | null }>('SELECT id, status, resolved_at FROM incidents');
    expect(incidents).toEqual([{ id: 1, status: 'open', resolved_at: null }]);
    expect((await posts()).at(-1)?.summary).toMatch(/^Re-opened: it is back \(purchase reported for 0% of backend orders/);
  });
});
