import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { botSettings } from '../../../src/app.js';
import { createDataPort } from '../../../src/adapters/store/data-port.js';
import { commands } from '../../../src/bot/commands/index.js';
import { createBot } from '../../../src/bot/dispatch.js';
import { importData } from '../../../src/cli/import.js';
import type { CliIo } from '../../../src/cli/admin-command.js';
import { attributionQueries } from '../../../src/adapters/store/queries/attribution.js';
import { parseConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/adapters/http/metrics.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import { queryOf, range, summarise } from '../../support/journey-fixtures.js';
import { fixturePath } from './support/google-test-server.js';

const EXPORT_FOLDER = new URL('../../fixtures/ga4-export/', import.meta.url).pathname;
const DAY_1 = 'events_20261124.json';
const DAY_2 = 'events_20261125-000000000000.json.gz';

function captureIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (text) => void lines.push(text), err: (text) => void errors.push(text), progress: () => undefined };
}

interface TouchRow { id: string; customer_id: string | null; anonymous_id: string; at: Date; channel: string; source: string | null; medium: string | null; campaign: string | null; device: string | null; country: string | null; order_id: string | null }

describe(`mkt import ga4-export on ${testDbKind}`, () => {
  const test = useTestDb();
  let app: App;
  let folder: string;
  const touches = () => test.db.query<TouchRow>('SELECT id, customer_id, anonymous_id, at, channel, source, medium, campaign, device, country, order_id FROM touchpoints ORDER BY at');
  const importExport = async (path: string) => {
    const io = captureIo();
    const code = await importData.run(['ga4-export', path], app, io);
    return { code, ...io };
  };

  beforeAll(async () => {
    const parsed = parseConfig({});
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const log = createLogger('silent');
    const bot = createBot({ data: createDataPort(test.db), commands, settings: botSettings(parsed.config), clock: () => new Date(), log });
    app = { config: parsed.config, db: test.db, log, bot, metrics: createMetrics(test.db), close: async () => undefined };
    folder = await mkdtemp(join(tmpdir(), 'mkt-ga4-export-'));
  });
  beforeEach(async () => {
    await clearData(test.db);
    await test.db.exec('TRUNCATE ga4_export_sessions, ga4_export_days');
  });

  it("reads the export's real page_view row: one direct touch of its visitor's session", async () => {
    // The fixture is pretty-printed; an export to files writes each event on one line.
    const row = JSON.parse(readFileSync(fixturePath('ga4', 'bigquery_export_events_20210128_page_view_row.json'), 'utf8')) as unknown;
    const file = join(folder, 'events_20210128.json');
    await writeFile(file, `${JSON.stringify(row)}\n`);
    const outcome = await importExport(file);
    expect(outcome).toMatchObject({ code: 0, errors: [] });
    expect(outcome.lines).toEqual(['ga4-export 2021-01-28: 1 events in 1 sessions; 1 touches written, 0 removed.']);
    expect(await touches()).toEqual([{
      id: 'ga4:1146540.1921992520:3599645542', customer_id: null, anonymous_id: '1146540.1921992520', at: new Date(1_611_798_022_695),
      channel: 'direct', source: '(direct)', medium: '(none)', campaign: null, device: 'desktop', country: 'US', order_id: null,
    }]);
  });

  it('makes one touch per session from a folder of plain and gzipped day files, each field from where the export keeps it', async () => {
    const outcome = await importExport(EXPORT_FOLDER);
    expect(outcome.errors).toEqual([]);
    expect(outcome.lines).toEqual(['ga4-export 2026-11-24..2026-11-25 (2 days): 22 events in 8 sessions; 7 touches written, 0 removed; 1 events without a visitor or session id skipped.']);
    expect(await touches()).toEqual([
      // Last-click source on every event; GA4's campaign placeholder "(organic)" is no campaign.
      touch('1146540.1921992520', '2026-11-24T09:14:03.412Z', { channel: 'organic_search', source: 'google', medium: 'organic' }),
      // Signed in: user_id names the customer.
      touch('2034987711.1732400012', '2026-11-24T12:40:51.220Z', { customer_id: 'c00000042', channel: 'paid_social', source: 'instagram', medium: 'paid_social', campaign: 'spring_sale', device: 'mobile', country: 'DE' }),
      // No last-click record: the campaign collected with the session's first event, grouped by GA4's rules.
      touch('913388201.1732271150', '2026-11-24T15:02:17.640Z', { channel: 'email', source: 'newsletter', medium: 'email', campaign: 'newsletter_weekly' }),
      // Only the source/medium/campaign event parameters.
      touch('477120934.1731990021', '2026-11-24T18:25:40.117Z', { channel: 'affiliate', source: 'partnernet', medium: 'affiliate', campaign: 'partner_program' }),
      // Nothing but the user's first-visit source.
      touch('1689220457.1729431002', '2026-11-24T21:07:12.508Z', { channel: 'direct', source: '(direct)', medium: '(none)' }),
      // Across midnight: started on the 24th, signed in and bought on the 25th.
      touch('30551876.1732490300', '2026-11-24T23:52:30.774Z', { customer_id: 'c00000077', channel: 'referral', source: 'blog.example.org', medium: 'referral', order_id: 'o00000124' }),
      // Visitor A's second visit: signs in at checkout; the purchase names the order.
      touch('1146540.1921992520', '2026-11-25T19:31:44.090Z', { customer_id: 'c00000007', channel: 'email', source: 'newsletter', medium: 'email', campaign: 'newsletter_weekly', order_id: 'o00000123' }),
    ]);
    const days = await test.db.query('SELECT to_char(day, \'YYYY-MM-DD\') AS day, origin, events, sessions FROM ga4_export_days ORDER BY day');
    expect(days).toEqual([{ day: '2026-11-24', origin: 'file', events: 15, sessions: 6 }, { day: '2026-11-25', origin: 'file', events: 7, sessions: 2 }]);
  });

  it('changes nothing when the same days are imported again', async () => {
    await importExport(EXPORT_FOLDER);
    const before = await touches();
    const again = await importExport(EXPORT_FOLDER);
    expect(again.lines[0]).toContain('0 touches written, 0 removed');
    expect(await touches()).toEqual(before);
  });

  it("replaces a day: its sessions gone from the new file go, changed ones change, and the next day's part of a session stays", async () => {
    await importExport(EXPORT_FOLDER);
    // Day 1 again without visitor E, with B's ad now a search ad, and without F's evening part.
    const lines = (await readFile(join(EXPORT_FOLDER, DAY_1), 'utf8')).trim().split('\n');
    const kept = lines.filter((line) => !line.includes('"user_pseudo_id":"1689220457.1729431002"') && !line.includes('"user_pseudo_id":"30551876.1732490300"'))
      .map((line) => line.replaceAll('"instagram"', '"bing"').replaceAll('"paid_social"', '"cpc"').replaceAll('"Paid Social"', '"Paid Search"'));
    const replay = join(folder, 'replay');
    await mkdir(replay, { recursive: true });
    await writeFile(join(replay, DAY_1), `${kept.join('\n')}\n`);
    const outcome = await importExport(join(replay, DAY_1));
    expect(outcome.lines).toEqual(['ga4-export 2026-11-24: 12 events in 4 sessions; 2 touches written, 1 removed; 1 events without a visitor or session id skipped.']);
    const after = await touches();
    expect(after.map((row) => row.anonymous_id)).not.toContain('1689220457.1729431002');
    expect(after.find((row) => row.customer_id === 'c00000042')).toMatchObject({ channel: 'paid_search', source: 'bing', medium: 'cpc' });
    // F's session now starts with its part after midnight: day 2 still holds it.
    expect(after.find((row) => row.anonymous_id === '30551876.1732490300')).toMatchObject({ at: new Date('2026-11-25T00:03:05.117Z'), order_id: 'o00000124', customer_id: 'c00000077' });
  });

  it("builds each order's journey from the visitor's earlier anonymous session once the purchase session names the order", async () => {
    await insertOrders(test.db, [
      { id: 'o00000123', customer: 'c00000007', at: '2026-11-25T19:38:30Z', revenue: 59.8 },
      { id: 'o00000124', customer: 'c00000077', at: '2026-11-25T00:04:45Z', revenue: 86.4 },
    ]);
    await importExport(EXPORT_FOLDER);
    const journeys = await attributionQueries(test.db).journeys(queryOf(range('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'), 'channel', true));
    expect(summarise(journeys)).toEqual({
      orders: 2, ordersWithoutTouches: 0,
      paths: [
        { path: 'affiliate', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'organic_search>email', conversions: 1, revenue: 59.8, nulls: 0 },
        { path: 'paid_social', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'referral', conversions: 1, revenue: 86.4, nulls: 0 },
      ],
    });
  });

  describe('refuses a bad export with one line naming the file, the line and what was wrong', () => {
    const bad = async (name: string, content: string | Buffer) => {
      const file = join(folder, name);
      await writeFile(file, content);
      const outcome = await importExport(file);
      expect(outcome.code).toBe(1);
      expect(outcome.errors).toHaveLength(1);
      expect(await test.db.query('SELECT id FROM touchpoints')).toEqual([]);
      return outcome.errors[0];
    };
    const firstLine = () => readFileSync(join(EXPORT_FOLDER, DAY_1), 'utf8').split('\n')[0] ?? '';

    it('a missing path, and a folder without export files', async () => {
      const missing = await importExport(join(folder, 'nowhere'));
      expect(missing).toMatchObject({ code: 1, errors: [expect.stringMatching(/^Nothing imported: cannot read .*nowhere: ENOENT/)] });
      const empty = join(folder, 'empty');
      await mkdir(empty, { recursive: true });
      expect((await importExport(empty)).errors).toEqual([`Nothing imported: ${empty} holds no export files (expected names ending in .json, .jsonl or .ndjson, maybe .gz).`]);
    });

    it('a line that is not JSON, and a pretty-printed row', async () => {
      expect(await bad('events_20261124.json', `${firstLine()}\n{"event_date": "20261124",\n`)).toMatch(/^Nothing imported: events_20261124\.json line 2: not JSON: /);
      await copyFile(fixturePath('ga4', 'bigquery_export_events_20210128_page_view_row.json'), join(folder, 'pretty.json'));
      expect((await importExport(join(folder, 'pretty.json'))).errors).toEqual([expect.stringMatching(/^Nothing imported: pretty\.json line 1: not JSON: .* \(expected one event per line: newline-delimited JSON as BigQuery exports it\)\.$/)]);
    });

    it('an event without a timestamp, and a timestamp that is not an integer', async () => {
      const event = JSON.parse(firstLine()) as Record<string, unknown>;
      expect(await bad('no-time.json', `${firstLine()}\n${JSON.stringify({ ...event, event_timestamp: undefined })}\n`))
        .toBe('Nothing imported: no-time.json line 2: event_timestamp: missing.');
      expect(await bad('odd-time.json', `${JSON.stringify({ ...event, event_timestamp: '17955116.43' })}\n`))
        .toBe('Nothing imported: odd-time.json line 1: event_timestamp: expected an integer (BigQuery writes INT64 as a string of digits).');
    });

    it('a gzip file cut short, and an empty file', async () => {
      const gzipped = await readFile(join(EXPORT_FOLDER, DAY_2));
      expect(gunzipSync(gzipped).length).toBeGreaterThan(0);
      expect(await bad('cut.json.gz', gzipped.subarray(0, gzipped.length - 20))).toMatch(/^Nothing imported: cut\.json\.gz( after line \d+)?: unexpected end of file\.$/);
      expect(await bad('empty.json.gz', gzipSync(''))).toBe('Nothing imported: empty.json.gz holds no events.');
    });
  });
});

function touch(visitor: string, at: string, fields: Partial<TouchRow>): TouchRow {
  const sessionId = String(Math.floor(Date.parse(at) / 1000));
  return {
    id: `ga4:${visitor}:${sessionId}`, customer_id: null, anonymous_id: visitor, at: new Date(at), channel: 'direct', source: null, medium: null, campaign: null,
    device: 'desktop', country: 'IT', order_id: null, ...fields,
  };
}
