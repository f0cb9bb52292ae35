import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/adapters/store/db.js';
import { seedDemo } from '../../../src/adapters/store/seed/seed-demo.js';
import { demoStories } from '../../../src/adapters/store/seed/stories.js';
import { runMonitors } from '../../../src/jobs/monitors/run-monitors.js';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src/jobs/monitors/settings.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { MINUTE_MS, DAY_MS } from '../../../src/analytics/time.js';

const END = new Date('2026-11-26T09:00:00Z');
const STORIES = demoStories(END);
const STEP_MS = 30 * MINUTE_MS;
const channels = { dev: 'slack:CDEV', marketing: 'slack:CMKT' };
// Twelve weeks of history: the default two years spread 400 customers so thinly that the eight-hour
// outage holds about one order, which no monitor can tell from a quiet spell.
const SHOP = { end: END, customers: 400, seed: 7, weeks: 12 };

/** Evaluates every 30 minutes through the last 14 days, as the scheduler would. */
async function drive(db: Db): Promise<void> {
  for (let ms = END.getTime() - 14 * DAY_MS; ms <= END.getTime(); ms += STEP_MS) {
    await runMonitors(db, { asOf: new Date(ms), settings: DEFAULT_MONITOR_SETTINGS, channels, locale: 'en', currency: 'EUR', timeZone: 'UTC' });
  }
}

type IncidentRow = { id: number; signal: string; target: string; status: string; owner_team: string; opened_at: Date; resolved_at: Date | null; cause: string; root_outbox_id: number };

async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const digest = async (table: string) => (await db.query<{ rows: number; digest: string }>(
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} AS t`))[0];
  return { incidents: await digest('incidents'), events: await digest('incident_events'), outbox: await digest('outbox'), state: await digest('monitor_state') };
}

describe(`monitors through the demo stories on ${testDbKind}`, () => {
  const test = useTestDb();
  let incidents: IncidentRow[];

  beforeAll(async () => {
    await seedDemo(test.db, { ...SHOP, replace: true });
    await drive(test.db);
    incidents = await test.db.query<IncidentRow>(`SELECT id, signal, target, status, owner_team, opened_at, resolved_at, cause->0->>'ref' AS cause, root_outbox_id FROM incidents ORDER BY opened_at`);
  }, 900_000);

  const find = (signal: string) => {
    const incident = incidents.find((row) => row.signal === signal);
    if (!incident) throw new Error(`no ${signal} incident among ${JSON.stringify(incidents)}`);
    return incident;
  };

  it('opens exactly two incidents: the LCP regression and the tracking outage', () => {
    expect(incidents.map((row) => [row.signal, row.target])).toEqual([['speed', 'https://shop.example'], ['tracking', 'purchase']]);
  });

  it('blames the tracking outage on the deploy, routes it to developers, opens it during the outage and resolves it after the hotfix', () => {
    const outage = STORIES.trackingOutage;
    const incident = find('tracking');
    expect(incident).toMatchObject({ cause: outage.deployRef, owner_team: 'dev', status: 'resolved' });
    expect(incident.opened_at.getTime()).toBeGreaterThan(outage.startsAt.getTime());
    expect(incident.opened_at.getTime()).toBeLessThanOrEqual(outage.endsAt.getTime());
    expect(incident.resolved_at!.getTime()).toBeGreaterThan(outage.endsAt.getTime());
  });

  it('blames the LCP regression on the tag-manager publish, routes it to marketing and resolves it after the widget is removed', () => {
    const story = STORIES.lcpRegression;
    const incident = find('speed');
    expect(incident).toMatchObject({ cause: story.publishRef, owner_team: 'marketing', status: 'resolved' });
    expect(incident.opened_at.getTime()).toBeGreaterThan(story.publishAt.getTime());
    expect(incident.opened_at.getTime()).toBeLessThan(story.removalAt.getTime());
    expect(incident.resolved_at!.getTime()).toBeGreaterThan(story.removalAt.getTime());
  });

  it('posts each root in its owner channel with the three buttons, replies in its thread, and edits the root to Resolved', async () => {
    for (const [signal, channel] of [['tracking', 'CDEV'], ['speed', 'CMKT']] as const) {
      const incident = find(signal);
      const posts = await test.db.query<{ id: number; channel_id: string; thread_of: number | null; replaces: number | null; payload: { title: string; summary: string; actions: { command: string }[] } }>(
        'SELECT id, channel_id, thread_of, replaces, payload FROM outbox WHERE id = $1 OR thread_of = $1 OR replaces = $1 ORDER BY id', [incident.root_outbox_id]);
      const [root, ...rest] = posts;
      expect(root).toMatchObject({ channel_id: channel, thread_of: null, replaces: null });
      expect(root!.payload.actions.map((button) => button.command)).toEqual([`incident ack ${incident.id}`, `incident resolve ${incident.id}`, `incident mute ${incident.id} 2h`]);
      const replies = rest.filter((post) => post.thread_of === incident.root_outbox_id);
      const edits = rest.filter((post) => post.replaces === incident.root_outbox_id);
      expect(replies.at(-1)!.payload.summary).toBe('Resolved: the signal has been back to normal for 2 h.');
      expect(edits.at(-1)!.payload.title).toMatch(/^\[Resolved\] /);
      expect(edits.at(-1)!.payload.actions).toEqual([]);
      expect(rest.every((post) => post.channel_id === channel)).toBe(true);
    }
  });

  it('states the evidence in numbers and the likely cause in the root post', async () => {
    const [root] = await test.db.query<{ summary: string }>(`SELECT payload->>'summary' AS summary FROM outbox WHERE id = $1`, [find('tracking').root_outbox_id]);
    expect(root!.summary).toMatch(/^Critical: purchase reported for 0% of backend orders \(usually \d+%\)/);
    expect(root!.summary).toContain(`Likely cause: deploy ${STORIES.trackingOutage.deployRef} by jonas.brandt`);
  });

  it('records every state change as an event with who and when', async () => {
    const events = await test.db.query<{ incident_id: number; kind: string; actor: string; at: Date }>('SELECT incident_id, kind, actor, at FROM incident_events ORDER BY id');
    for (const incident of incidents) {
      const own = events.filter((event) => event.incident_id === incident.id);
      expect(own[0]).toMatchObject({ kind: 'opened', actor: 'monitor', at: incident.opened_at });
      expect(own.at(-1)).toMatchObject({ kind: 'resolved', actor: 'monitor', at: incident.resolved_at });
    }
  });

  it('changes nothing when the same period runs again', async () => {
    const before = await snapshot(test.db);
    await drive(test.db);
    expect(await snapshot(test.db)).toEqual(before);
  }, 900_000);
});
