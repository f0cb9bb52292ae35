import { beforeAll, describe, expect, it } from 'vitest';
import { insertIncident, insertIncidentEvent, updateIncident } from '../../../src/adapters/store/queries/incidents.js';
import { enqueuePost } from '../../../src/adapters/store/queries/outbox.js';
import { ask, createTestBot, tableOf } from '../../support/bot.js';
import { testDbKind, useTestDb } from '../../support/db.js';

const now = new Date('2026-11-24T09:00:00Z');
const opened = new Date('2026-11-23T18:00:00Z');

describe(`incident commands on ${testDbKind}`, () => {
  const test = useTestDb();
  let trackingId: number;
  let speedId: number;
  let rootId: number;

  beforeAll(async () => {
    await test.db.exec('TRUNCATE incident_events, incidents, silences, outbox RESTART IDENTITY CASCADE');
    trackingId = await insertIncident(test.db, {
      signal: 'tracking', target: 'purchase', severity: 'critical', title: 'Tracking: "purchase" events are going missing', ownerTeam: 'dev',
      openedAt: opened, breachStartedAt: new Date('2026-11-23T14:00:00Z'),
      evidence: { findings: [{ metric: 'capture_rate', subject: 'purchase', level: 'breach', observed: 0, expected: 0.9, unit: 'ratio' }], series: null, isFieldConfirmed: null },
      causes: [{ kind: 'deploy', ref: '4e1d7a2', at: '2026-11-23T14:02:00.000Z', author: 'jonas.brandt', summary: 'Checkout refactor', url: null, leadMinutes: 58 }],
    });
    await insertIncidentEvent(test.db, trackingId, { at: opened, kind: 'opened', actor: 'monitor', details: null });
    rootId = await enqueuePost(test.db, { dedupeKey: `incident:${trackingId}:root`, platform: 'slack', channelId: 'CDEV', reply: { title: 'root', summary: 'root', blocks: [], actions: [], attachments: [] } });
    await updateIncident(test.db, trackingId, { rootOutboxId: rootId });
    speedId = await insertIncident(test.db, {
      signal: 'speed', target: 'https://shop.example', severity: 'major', title: 'Page speed', ownerTeam: 'marketing', openedAt: new Date('2026-11-10T05:00:00Z'),
      breachStartedAt: null, evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
    await updateIncident(test.db, speedId, { status: 'resolved', resolved: { at: new Date('2026-11-12T05:00:00Z'), by: 'monitor' } });
  });

  it('lists only open incidents by default and every incident with "all"', async () => {
    const bot = createTestBot(test.db, { now });
    const open = await ask(bot, 'incidents');
    expect(tableOf(open).rows.map((row) => row[0]?.raw)).toEqual([trackingId]);
    expect(open.summary).toBe('1 incident, 1 still open.');
    const all = await ask(bot, 'incidents all');
    expect(tableOf(all).rows.map((row) => [row[0]?.raw, row[2]?.text])).toEqual([[speedId, 'Resolved'], [trackingId, 'Open']]);
  });

  it('shows one incident with its evidence, cause and history', async () => {
    const answer = await ask(createTestBot(test.db, { now }), `incident ${trackingId}`);
    expect(answer.summary).toMatch(/^Open, Critical, owned by developers\. Critical: purchase reported for 0% of backend orders \(usually 90%\)/);
    expect(JSON.stringify(answer.blocks)).toContain('Likely cause: deploy 4e1d7a2 by jonas.brandt, 58 min before it began');
    const history = answer.blocks.at(-1);
    expect(history).toEqual({ type: 'list', items: ['23 Nov 2026, 18:00: opened (monitor)'] });
  });

  it('acknowledges as the asking user: records the event, edits the root post and notes it in the thread, in one go', async () => {
    const answer = await ask(createTestBot(test.db, { now }), `incident ack ${trackingId}`, { platform: 'slack', userId: 'U42' });
    expect(answer.summary).toBe(`Incident ${trackingId} acknowledged.`);
    const [row] = await test.db.query<{ status: string; acknowledged_by: string; acknowledged_at: Date }>('SELECT status, acknowledged_by, acknowledged_at FROM incidents WHERE id = $1', [trackingId]);
    expect(row).toEqual({ status: 'acknowledged', acknowledged_by: 'U42', acknowledged_at: now });
    const events = await test.db.query<{ kind: string; actor: string; at: Date }>('SELECT kind, actor, at FROM incident_events WHERE incident_id = $1 ORDER BY id', [trackingId]);
    expect(events.at(-1)).toEqual({ kind: 'acknowledged', actor: 'U42', at: now });
    const posts = await test.db.query<{ channel_id: string; thread_of: number | null; replaces: number | null; title: string; summary: string }>(
      `SELECT channel_id, thread_of, replaces, payload->>'title' AS title, payload->>'summary' AS summary FROM outbox WHERE id > $1 ORDER BY id`, [rootId]);
    expect(posts).toEqual([
      expect.objectContaining({ channel_id: 'CDEV', replaces: rootId, thread_of: null, title: `[Acknowledged] #${trackingId} Tracking: "purchase" events are going missing` }),
      expect.objectContaining({ channel_id: 'CDEV', thread_of: rootId, replaces: null, summary: 'Acknowledged by <@U42>.' }),
    ]);
  });

  it('mutes an incident for two hours', async () => {
    const answer = await ask(createTestBot(test.db, { now }), `incident mute ${trackingId} 2h`);
    expect(answer.summary).toBe(`Incident ${trackingId} muted until 24 Nov 2026, 11:00.`);
    const [row] = await test.db.query<{ muted_until: Date }>('SELECT muted_until FROM incidents WHERE id = $1', [trackingId]);
    expect(row?.muted_until).toEqual(new Date('2026-11-24T11:00:00Z'));
  });

  it('names a Teams actor in the thread by a mention Teams can show, not by the raw AAD id', async () => {
    const dave = { id: '29:1CFIxRJBLjT_io3iNsDZxMk', name: 'Dave Taniguchi' };
    await ask(createTestBot(test.db, { now }), `incident mute ${trackingId} 1h`, { platform: 'teams', userId: '6b703ce3-6d14-4fe6-b90c-dc5f03657ae4', asker: dave });
    const [note] = await test.db.query<{ summary: string; mentions: unknown }>(
      `SELECT payload->>'summary' AS summary, payload->'mentions' AS mentions FROM outbox WHERE thread_of = $1 ORDER BY id DESC LIMIT 1`, [rootId]);
    expect(note).toEqual({ summary: 'Muted by <at>Dave Taniguchi</at> until 24 Nov 2026, 10:00: no updates in this thread until then.', mentions: [dave] });
  });

  it('refuses to resolve an incident that is already resolved, and one that does not exist', async () => {
    const bot = createTestBot(test.db, { now });
    expect((await ask(bot, `incident resolve ${speedId}`)).summary).toBe(`Incident ${speedId} is already resolved.`);
    const missing = await ask(bot, 'incident resolve 999');
    expect(missing.problem).toBe('bad_input');
    expect(missing.summary).toContain('There is no incident 999.');
  });

  it('says what a duration looks like when it is not one', async () => {
    const answer = await ask(createTestBot(test.db, { now }), `incident mute ${trackingId} forever`);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toContain('Try `30m`, `2h` or `1d`');
  });

  it('silences a signal and target from chat: "mute tracking purchase 1d"', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'mute tracking purchase 1d', { userId: 'U7' });
    expect(answer.summary).toBe('tracking purchase is silenced until 25 Nov 2026, 09:00: no new incidents for it until then.');
    const silences = await test.db.query<{ signal: string; target: string; until_at: Date; created_by: string }>('SELECT signal, target, until_at, created_by FROM silences');
    expect(silences).toEqual([{ signal: 'tracking', target: 'purchase', until_at: new Date('2026-11-25T09:00:00Z'), created_by: 'U7' }]);
  });

  it('names the signals it knows when asked to mute another', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'mute revenue 1d');
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toContain('"revenue" is not a monitored signal');
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'incidents all');
    expect(answer.title).toBe('Incidenti');
    expect(tableOf(answer).rows[0]?.[2]?.text).toBe('Risolto');
  });
});
