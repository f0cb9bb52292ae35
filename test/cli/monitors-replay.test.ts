import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import { seedDemo } from '../../src/adapters/store/seed/seed-demo.js';
import { demoStories } from '../../src/adapters/store/seed/stories.js';
import { HOUR_MS } from '../../src/analytics/time.js';
import { runMkt } from '../support/cli.js';
import { testDbKind, useTestDb } from '../support/db.js';

const END = new Date('2026-11-26T09:00:00Z');
const OUTAGE = demoStories(END).trackingOutage;
// The demo's tracking outage, from an hour before its deploy to a day and a half after the hotfix.
const FROM = new Date(OUTAGE.deployAt.getTime() - HOUR_MS).toISOString();
const TO = new Date(OUTAGE.endsAt.getTime() + 36 * HOUR_MS).toISOString();
const ENV = { DEV_CHANNEL: 'slack:CDEV', MARKETING_CHANNEL: 'slack:CMKT' };

/** A fingerprint of everything a replay may write. */
async function stored(db: Db): Promise<Record<string, unknown>> {
  const digest = async (table: string) => (await db.query<{ rows: number; digest: string }>(
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} AS t`))[0];
  return { incidents: await digest('incidents'), events: await digest('incident_events'), outbox: await digest('outbox'), state: await digest('monitor_state'), runs: await digest('job_runs') };
}

const timelineOf = (lines: readonly string[]) => lines.join('\n').split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));

describe(`mkt monitors replay on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeAll(async () => {
    // Twelve weeks of 400 customers: enough purchases an hour for the outage to show (demo-stories.test.ts).
    await seedDemo(test.db, { end: END, customers: 400, seed: 7, weeks: 12, replace: true });
  }, 300_000);

  it.each([
    [['--to', TO], '--from: required, an ISO time like 2026-11-20T09:00:00Z, a date like 2026-11-20 (midnight UTC) or now'],
    [['--from', 'yesterday', '--to', TO], '--from: expected an ISO time like 2026-11-20T09:00:00Z, a date like 2026-11-20 (midnight UTC) or now, got "yesterday"'],
    [['--from', TO, '--to', FROM], '--to must be later than --from'],
    [['--from', FROM, '--to', TO, '--every', '15'], '--every: expected minutes or hours from 1m to 24h, like 15m or 1h, got "15"'],
    [['--from', FROM, '--to', TO, '--every', '2d'], '--every: expected minutes or hours from 1m to 24h, like 15m or 1h, got "2d"'],
    [['--from', FROM, '--to', '2999-01-01'], '--to is in the future'],
    [['--from', '2000-01-01', '--to', TO, '--every', '1m'], 'more than 40,000 steps of --every'],
    [['--from', FROM, '--to', TO, '--dryrun'], "Unknown option '--dryrun'"],
  ])('refuses %j with a short message and the usage, storing nothing', async (args, message) => {
    const before = await stored(test.db);
    const { code, io } = await runMkt(test.db, ['monitors', 'replay', ...args], ENV);
    expect(code).toBe(2);
    expect(io.errors.join('\n')).toContain(message);
    expect(io.errors.join('\n')).toContain('Usage: mkt monitors replay --from <time> --to <time> [--every 15m] [--dry-run]');
    expect(io.lines).toEqual([]);
    expect(await stored(test.db)).toEqual(before);
  });

  it('--dry-run prints the timeline of the outage (opened for developers, blamed on the deploy, resolved) and changes nothing', async () => {
    const before = await stored(test.db);
    const { code, io } = await runMkt(test.db, ['monitors', 'replay', '--from', FROM, '--to', TO, '--dry-run'], ENV);
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    const timeline = timelineOf(io.lines);
    expect(timeline[0]).toMatch(new RegExp(`^\\S+\\s+open\\s+tracking\\s+purchase\\s+#\\d+, \\w+, owner dev, likely cause ${OUTAGE.deployRef}$`));
    expect(timeline.some((line) => /\sresolve\s+tracking\s+purchase\s+#\d+$/.test(line))).toBe(true);
    const text = io.lines.join('\n');
    expect(text).toMatch(/Dry run: \d+ steps every 15 min from \S+ to \S+: 1 opened, .* 1 resolved; [1-9]\d* posts would have been queued\./);
    expect(text).toContain('Nothing was changed.');
    expect(await stored(test.db)).toEqual(before);
  }, 300_000);

  it('stores what the dry run showed: the incident, its events and its posts; the same period again is refused, a dry run of it starts afresh', async () => {
    const dry = await runMkt(test.db, ['monitors', 'replay', '--from', FROM, '--to', TO, '--dry-run'], ENV);
    const real = await runMkt(test.db, ['monitors', 'replay', '--from', FROM, '--to', TO], ENV);
    expect(real.io.errors).toEqual([]);
    expect(real.code).toBe(0);
    // Identities aside (a rolled-back insert still takes its number from the sequence), the same story.
    const withoutIds = (lines: readonly string[]) => timelineOf(lines).map((line) => line.replace(/#\d+/, '#'));
    expect(withoutIds(real.io.lines)).toEqual(withoutIds(dry.io.lines));
    const [incident] = await test.db.query<{ id: number; status: string; owner_team: string; cause: string; root_outbox_id: number | null }>(
      `SELECT id, status, owner_team, cause->0->>'ref' AS cause, root_outbox_id FROM incidents WHERE signal = 'tracking'`);
    expect(incident).toMatchObject({ status: 'resolved', owner_team: 'dev', cause: OUTAGE.deployRef });
    const [root] = await test.db.query<{ channel_id: string; status: string }>('SELECT channel_id, status FROM outbox WHERE id = $1', [incident!.root_outbox_id]);
    expect(root).toEqual({ channel_id: 'CDEV', status: 'pending' });
    const events = await test.db.query<{ kind: string }>('SELECT kind FROM incident_events WHERE incident_id = $1 ORDER BY id', [incident!.id]);
    expect(events.map((event) => event.kind)).toEqual(expect.arrayContaining(['opened', 'resolved']));
    const posts = /(\d+) posts queued\./.exec(real.io.lines.join('\n'));
    expect(Number(posts?.[1])).toBe((await test.db.query('SELECT id FROM outbox')).length);

    const before = await stored(test.db);
    const again = await runMkt(test.db, ['monitors', 'replay', '--from', FROM, '--to', TO], ENV);
    expect(again.code).toBe(1);
    expect(again.io.errors.join('\n')).toMatch(/^The monitors have already judged up to \S+: a replay that stores its incidents starts after that \(--from \S+ or later\)\.\nAdd --dry-run/);
    const afresh = await runMkt(test.db, ['monitors', 'replay', '--from', FROM, '--to', TO, '--dry-run'], ENV);
    expect(afresh.io.lines.join('\n')).toContain('The monitors had already judged a later moment, so this dry run started them afresh');
    expect(withoutIds(afresh.io.lines)).toEqual(withoutIds(real.io.lines));
    expect(await stored(test.db)).toEqual(before);
  }, 600_000);
});
