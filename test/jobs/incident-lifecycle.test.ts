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

const context = (atMs: number, changes: ChangeRow[] = [deploy, publish]): LifecycleContext => ({
  asOf: new Date(atMs), rules: DEFAULT_RULES, channels: { dev: 'slack:CDEV', marketing: 'slack:CMKT' }, changes,
  causeLookbackMinutes: 24 * 60, causeWindowMinutes: 120, posts: { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') },
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
    // The root, and every finding in its thread; the publish (2 h 30 min before) is context only.
    expect(await posts()).toEqual([
      expect.objectContaining({ channel_id: 'CDEV', thread_of: null, replaces: null }),
      expect.objectContaining({ channel_id: 'CDEV', thread_of: 1, summary: 'Evidence: 1 finding.' }),
    ]);
  });

  it('names no cause when the only change is outside the window before the start: both teams get a copy, the change is context in the thread', async () => {
    // The publish at 11:30 left the signal fine until 14:00: 2 h 30 min, past the 120-minute window.
    await applyEvaluation(test.db, evaluation('breach'), context(t0, [publish]));
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS, [publish]))).toBe('open');
    const [incident] = await test.db.query<{ owner_team: string; cause: { ref: string; role?: string }[] }>('SELECT owner_team, cause FROM incidents');
    expect(incident).toEqual({ owner_team: 'both', cause: [expect.objectContaining({ ref: publish.ref, role: 'context' })] });
    const all = await posts();
    expect(all.filter((post) => post.thread_of === null && post.replaces === null).map((post) => post.channel_id)).toEqual(['CDEV', 'CMKT']);
    expect(all[0]!.summary).toMatch(/No change explains it \(none landed just before it began\), so both teams are told\.$/);
    const details = await test.db.query<{ text: string }>(`SELECT payload::text AS text FROM outbox WHERE thread_of IS NOT NULL`);
    expect(details).toHaveLength(2);
    expect(details[0]!.text).toContain(`Earlier changes, for context only (too early to have caused it): tag-manager publish ${publish.ref}, 2 h 30 min before it began.`);
  });

  it('edits both copies and notes in both threads when both teams were told', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0, []));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS, []));
    await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 2 * HOUR_MS, []));
    expect(await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 4 * HOUR_MS, []))).toBe('resolve');
    const all = await posts();
    const roots = all.filter((post) => post.thread_of === null && post.replaces === null);
    expect(roots.map((post) => post.channel_id)).toEqual(['CDEV', 'CMKT']);
    for (const channel of ['CDEV', 'CMKT']) {
      const own = all.filter((post) => post.channel_id === channel);
      expect(own.filter((post) => post.replaces !== null)).toHaveLength(1);
      expect(own.at(-1)!.summary).toBe('Resolved: the signal has been back to normal for 2 h.');
    }
  });

  it('hands over only on new evidence: a change recorded late inside the window before the fixed start', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0, [publish]));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS, [publish]));
    // A later reading dates the drop earlier, right after the publish: the start stays as opened.
    expect(await applyEvaluation(test.db, evaluation('breach', Date.parse('2026-11-23T12:00:00Z')), context(t0 + 2 * HOUR_MS, [publish]))).toBe('none');
    // The deploy reaches the change log only now (its CI hook was late): new evidence, inside the window.
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0 + 3 * HOUR_MS, [publish, deploy]))).toBe('handover');
    const [incident] = await test.db.query<{ owner_team: string; breach_started_at: Date }>('SELECT owner_team, breach_started_at FROM incidents');
    expect(incident).toEqual({ owner_team: 'dev', breach_started_at: new Date('2026-11-23T14:00:00Z') });
    const all = await posts();
    expect(all.at(-1)).toMatchObject({ channel_id: 'CMKT', summary: expect.stringMatching(/^Handing this over to developers <#CDEV>: Likely cause: deploy 4e1d7a2 by jonas.brandt/) });
    const events = await test.db.query<{ kind: string; details: unknown }>('SELECT kind, details FROM incident_events ORDER BY id');
    expect(events.map((event) => event.kind)).toEqual(['opened', 'handed_over']);
    expect(events[1]?.details).toEqual({ from: 'both', to: 'dev' });
  });

  it('never hands over to a change made after the start', async () => {
    const late: ChangeRow = { ...deploy, id: 3, ref: 'c0ffee1', atMs: Date.parse('2026-11-23T15:30:00Z') };
    await applyEvaluation(test.db, evaluation('breach'), context(t0, []));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS, []));
    expect(await applyEvaluation(test.db, evaluation('breach'), context(t0 + 2 * HOUR_MS, [late]))).toBe('none');
    const [incident] = await test.db.query<{ owner_team: string }>('SELECT owner_team FROM incidents');
    expect(incident?.owner_team).toBe('both');
  });

  it('a new breach after a new deploy is a new incident with its own thread, not a re-opening', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS));
    await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 2 * HOUR_MS));
    await applyEvaluation(test.db, evaluation('ok', null), context(t0 + 4 * HOUR_MS));
    const next: ChangeRow = { ...deploy, id: 3, ref: 'd00d5e7', atMs: t0 + 4.5 * HOUR_MS };
    const start = t0 + 5 * HOUR_MS;
    await applyEvaluation(test.db, evaluation('breach', start), context(t0 + 6 * HOUR_MS, [deploy, publish, next]));
    expect(await applyEvaluation(test.db, evaluation('breach', start), context(t0 + 7 * HOUR_MS, [deploy, publish, next]))).toBe('open');
    const incidents = await test.db.query<{ id: number; status: string; cause: { ref: string }[] }>('SELECT id, status, cause FROM incidents ORDER BY id');
    expect(incidents.map((row) => [row.id, row.status, row.cause[0]?.ref])).toEqual([[1, 'resolved', '4e1d7a2'], [2, 'open', 'd00d5e7']]);
  });

  it('resolves on the data: the hold counts from when the recent window came back, not from the first ok evaluation', async () => {
    await applyEvaluation(test.db, evaluation('breach'), context(t0));
    await applyEvaluation(test.db, evaluation('breach'), context(t0 + HOUR_MS));
    const back = { ...evaluation('ok', null), recoveredSinceMs: t0 + 0.5 * HOUR_MS };
    expect(await applyEvaluation(test.db, back, context(t0 + 2 * HOUR_MS))).toBe('none');
    expect(await applyEvaluation(test.db, back, context(t0 + 2.5 * HOUR_MS))).toBe('resolve');
  });

  it('says "CrUX now confirms it" once, however often the field data comes and goes, and keeps the root post to 8 lines', async () => {
    const speed = (isFieldConfirmed: boolean | null): Evaluation => ({
      monitor: 'page_speed', signal: 'speed', target: 'https://shop.example', level: 'breach', severity: 'major', breachStartMs: Date.parse('2026-11-23T11:00:00Z'), resolutionMs: 0, series: null, isFieldConfirmed,
      findings: Array.from({ length: 27 }, (_, index) => ({ metric: 'lab_lcp', subject: `https://shop.example/p${index} (mobile)`, level: 'breach' as const, observed: 3600, expected: 2400, unit: 'ms' as const })),
    });
    const outcomes: string[] = [];
    for (const [step, confirmed] of [false, false, true, false, true, true].entries()) outcomes.push(await applyEvaluation(test.db, speed(confirmed), context(t0 + step * HOUR_MS)));
    expect(outcomes.filter((outcome) => outcome === 'update')).toHaveLength(1);
    const notes = (await posts()).filter((post) => post.summary.startsWith('Field data (CrUX p75) now confirms it'));
    // No change explains it, so both teams were told: one note in each copy's thread.
    expect(notes.map((note) => note.channel_id)).toEqual(['CDEV', 'CMKT']);
    const [root] = await test.db.query<{ payload: { title: string; summary: string; blocks: { type: string; fields?: unknown[]; items?: unknown[]; text?: string }[] } }>('SELECT payload FROM outbox ORDER BY id LIMIT 1');
    const lines = 2 + root!.payload.blocks.reduce((count, block) => count + (block.type === 'fields' ? block.fields!.length : block.type === 'list' ? block.items!.length : block.type === 'text' ? 1 : 0), 0);
    expect(lines).toBeLessThanOrEqual(8);
    expect(root!.payload.summary).toContain('25 more');
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
