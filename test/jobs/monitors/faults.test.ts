import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/adapters/store/db.js';
import { HOUR_MS, MINUTE_MS, DAY_MS } from '../../../src/analytics/time.js';
import type { MonitorRunReport } from '../../../src/jobs/monitors/run-monitors.js';
import { monitorCoverage } from '../../../src/jobs/monitors/coverage.js';
import { runMonitors } from '../../../src/jobs/monitors/run-monitors.js';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src/jobs/monitors/settings.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { writeChange, writeLabRuns, writeMonitorShop } from '../../support/monitor-shop.js';

/**
 * Faults written by hand into shops the demo stories do not use (other sizes and seeds), the monitors
 * stepped every 15 minutes as the scheduler steps them: who is told, what is blamed, how fast an
 * incident opens and how soon after the fix it resolves.
 */
const STEP_MS = 15 * MINUTE_MS;
const channels = { dev: 'slack:CDEV', marketing: 'slack:CMKT' };

async function step(db: Db, fromMs: number, toMs: number): Promise<MonitorRunReport[]> {
  const reports: MonitorRunReport[] = [];
  for (let ms = fromMs; ms <= toMs; ms += STEP_MS) {
    reports.push(await runMonitors(db, { asOf: new Date(ms), settings: DEFAULT_MONITOR_SETTINGS, channels, locale: 'en', currency: 'EUR', timeZone: 'UTC' }));
  }
  return reports;
}

type IncidentRow = { id: number; signal: string; target: string; status: string; owner_team: string; opened_at: Date; resolved_at: Date | null; breach_started_at: Date | null; cause: { ref: string; role?: string }[] };
const incidents = (db: Db) => db.query<IncidentRow>('SELECT id, signal, target, status, owner_team, opened_at, resolved_at, breach_started_at, cause FROM incidents ORDER BY id');
const roots = (db: Db, id: number) => db.query<{ id: number; channel_id: string }>(
  `SELECT id, channel_id FROM outbox WHERE (dedupe_key = $1 OR dedupe_key LIKE $2) AND thread_of IS NULL AND replaces IS NULL ORDER BY id`, [`incident:${id}:root`, `incident:${id}:root:%`]);

describe(`monitors on faults written into other shops on ${testDbKind}`, () => {
  const test = useTestDb();

  it('purchases at 40% for 6 h on a 60,000-customer shop, 14 h after an unrelated deploy: no change is blamed, both teams are told and both copies resolve within 2 h of the fix', async () => {
    const deployAt = Date.parse('2026-11-18T18:10:00Z');
    const faultFrom = deployAt + 14 * HOUR_MS - 10 * MINUTE_MS;
    const faultTo = faultFrom + 6 * HOUR_MS;
    // At 2-4 orders an hour (20,000 customers) six hours at 40% are too few orders to tell from chance; 60,000 customers have 6-12.
    await writeMonitorShop(test.db, { customers: 60_000, seed: 31, endMs: faultTo + 4 * HOUR_MS, fault: (event, hourMs) => (event === 'purchase' && hourMs >= faultFrom && hourMs < faultTo ? 0.4 : 1) });
    await writeChange(test.db, { atMs: deployAt, kind: 'deploy', ref: 'a1b2c3d' });
    const reports = await step(test.db, faultFrom - HOUR_MS, faultTo + 4 * HOUR_MS);
    if (process.env.DEBUG_FAULTS) for (const [index, report] of reports.entries()) console.log(new Date(faultFrom - HOUR_MS + index * STEP_MS).toISOString(), JSON.stringify(report.evaluations.filter((e) => e.target === 'purchase').map((e) => [e.level, e.windowHours, e.findings.map((f) => [f.metric, f.observed, f.expected])])));
    const [incident, ...others] = await incidents(test.db);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ signal: 'tracking', target: 'purchase', owner_team: 'both', status: 'resolved' });
    expect(incident!.cause).toEqual([expect.objectContaining({ ref: 'a1b2c3d', role: 'context' })]);
    expect(incident!.opened_at.getTime()).toBeLessThan(faultTo);
    expect(incident!.resolved_at!.getTime() - faultTo).toBeLessThanOrEqual(2 * HOUR_MS);
    const copies = await roots(test.db, incident!.id);
    expect(copies.map((copy) => copy.channel_id)).toEqual(['CDEV', 'CMKT']);
    for (const copy of copies) {
      const [last] = await test.db.query<{ title: string }>(`SELECT payload->>'title' AS title FROM outbox WHERE replaces = $1 ORDER BY id DESC LIMIT 1`, [copy.id]);
      expect(last!.title).toMatch(/^\[Resolved\] /);
    }
  });

  it('purchases at 60% and add_to_cart at 55% for 12 h on a 20,000-customer shop open incidents', async () => {
    const faultFrom = Date.parse('2026-11-19T08:00:00Z');
    const faultTo = faultFrom + 12 * HOUR_MS;
    const kept: Record<string, number> = { purchase: 0.6, add_to_cart: 0.55 };
    await writeMonitorShop(test.db, { customers: 20_000, seed: 47, endMs: faultTo + HOUR_MS, fault: (event, hourMs) => (hourMs >= faultFrom && hourMs < faultTo ? kept[event] ?? 1 : 1) });
    await step(test.db, faultFrom, faultTo + HOUR_MS);
    const opened = await incidents(test.db);
    expect(opened.map((row) => row.target).sort()).toEqual(['add_to_cart', 'purchase']);
    expect(opened.every((row) => row.owner_team === 'both')).toBe(true);
  });

  it('a full tracking outage on a 20,000-customer shop opens within 2 evaluations of its first hour, and resolves within 2 h of the fix', async () => {
    const faultFrom = Date.parse('2026-11-19T10:00:00Z');
    const faultTo = faultFrom + 3 * HOUR_MS;
    await writeMonitorShop(test.db, { customers: 20_000, seed: 58, endMs: faultTo + 3 * HOUR_MS, fault: (_event, hourMs) => (hourMs >= faultFrom && hourMs < faultTo ? 0 : 1) });
    await step(test.db, faultFrom, faultTo + 3 * HOUR_MS);
    const pageViews = (await incidents(test.db)).find((row) => row.target === 'page_view');
    // The first hour is complete at faultFrom + 1 h: that evaluation and the next one.
    expect(pageViews!.opened_at.getTime()).toBeLessThanOrEqual(faultFrom + HOUR_MS + STEP_MS);
    expect(pageViews!.breach_started_at!.getTime()).toBe(faultFrom);
    expect(pageViews!.resolved_at!.getTime() - faultTo).toBeLessThanOrEqual(2 * HOUR_MS);
  });

  it('a sustained 40% loss of page views opens within 3 h', async () => {
    const faultFrom = Date.parse('2026-11-19T09:00:00Z');
    await writeMonitorShop(test.db, { customers: 20_000, seed: 66, endMs: faultFrom + 4 * HOUR_MS, fault: (event, hourMs) => (event === 'page_view' && hourMs >= faultFrom ? 0.6 : 1) });
    await step(test.db, faultFrom, faultFrom + 4 * HOUR_MS);
    const pageViews = (await incidents(test.db)).find((row) => row.target === 'page_view');
    expect(pageViews!.opened_at.getTime() - faultFrom).toBeLessThanOrEqual(3 * HOUR_MS);
  });

  it('a 3,000-customer shop is watched, not blind: every event is judged over a window long enough for its volume, and a quiet day opens nothing', async () => {
    const endMs = Date.parse('2026-11-20T00:00:00Z');
    await writeMonitorShop(test.db, { customers: 3_000, seed: 90210, endMs });
    const reports = await step(test.db, endMs - DAY_MS, endMs);
    for (const event of ['page_view', 'add_to_cart', 'begin_checkout', 'purchase']) {
      const verdicts = reports.flatMap((report) => report.evaluations.filter((evaluation) => evaluation.target === event));
      expect(verdicts.filter((evaluation) => evaluation.level === 'unknown').length, event).toBeLessThan(verdicts.length / 4);
    }
    expect(await incidents(test.db)).toEqual([]);
    // What `mkt jobs list` and `mkt sources check` say: each event watched, the quiet ones over pooled hours.
    const coverage = await monitorCoverage(test.db, new Date(endMs), DEFAULT_MONITOR_SETTINGS);
    const tracking = coverage.filter((signal) => signal.signal === 'tracking');
    expect(tracking.map((signal) => signal.blind)).toEqual([null, null, null, null]);
    expect(tracking.find((signal) => signal.target === 'page_view')!.windowHours).toBe(1);
    expect(tracking.find((signal) => signal.target === 'begin_checkout')!.windowHours).toBeGreaterThan(3);
  });

  it('a lab LCP regression opens within 2 lab runs with no change to blame, and a deploy a week after it began is never blamed', async () => {
    const url = 'https://shop.example/';
    const stepAt = Date.parse('2026-11-10T11:00:00Z');
    const deployAt = stepAt + 7 * DAY_MS;
    const times = await writeLabRuns(test.db, { url, seed: 3000, fromMs: stepAt - 14 * DAY_MS, toMs: deployAt + DAY_MS, lcpAt: (atMs) => (atMs >= stepAt ? 3600 : 2400) });
    await writeChange(test.db, { atMs: deployAt, kind: 'deploy', ref: 'f00dfee' });
    const secondSlowRun = times.filter((atMs) => atMs >= stepAt)[1]!;
    await step(test.db, stepAt - HOUR_MS, secondSlowRun + HOUR_MS);
    await step(test.db, deployAt - HOUR_MS, deployAt + DAY_MS - HOUR_MS);
    const [incident, ...others] = await incidents(test.db);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ signal: 'speed', owner_team: 'both', breach_started_at: new Date(stepAt) });
    expect(incident!.opened_at.getTime()).toBeLessThanOrEqual(secondSlowRun + 2 * STEP_MS);
    expect(incident!.cause.filter((cause) => cause.role !== 'context')).toEqual([]);
    expect(await test.db.query(`SELECT kind FROM incident_events WHERE kind = 'handed_over'`)).toEqual([]);
  });
});
