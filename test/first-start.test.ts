import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/adapters/store/seed/seed-demo.js';
import { demoStories } from '../src/adapters/store/seed/stories.js';
import { MINUTE_MS } from '../src/analytics/time.js';
import { parseConfig } from '../src/config.js';
import { demoReplayPeriod, replayDemoIncidents } from '../src/first-start.js';
import { ask, createTestBot, recordingLogger, tableOf } from './support/bot.js';
import { testDbKind, useTestDb } from './support/db.js';

const END = new Date('2026-11-26T09:00:00Z');
const STORIES = demoStories(END);

describe(`first start replays the demo's incident stories on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeAll(async () => {
    // The demo-stories shop (test/jobs/monitors/demo-stories.test.ts): 400 customers over twelve weeks.
    await seedDemo(test.db, { end: END, customers: 400, seed: 7, weeks: 12, replace: true });
    const parsed = parseConfig({});
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    // Every half hour rather than the scheduler's quarter hour: the same stories at half the test's time.
    await replayDemoIncidents(test.db, parsed.config, END, recordingLogger(), 30 * MINUTE_MS).done;
  }, 900_000);

  it('replays from just before the LCP story to the demo\'s end', () => {
    const { from, to } = demoReplayPeriod(END);
    expect(from.getTime()).toBeLessThan(STORIES.lcpRegression.publishAt.getTime());
    expect(from.getTime()).toBeGreaterThan(STORIES.lcpRegression.publishAt.getTime() - 2 * 60 * MINUTE_MS);
    expect(to).toEqual(END);
  });

  it('`incidents all` lists the two stories, and each incident shows its thread from opening to resolution', async () => {
    const bot = createTestBot(test.db, { now: END });
    const listed = await ask(bot, 'incidents all');
    const rows = tableOf(listed).rows.map((row) => row.map((cell) => cell.raw));
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row[2])).toEqual(['resolved', 'resolved']);
    const incidents = await test.db.query<{ id: number; signal: string; owner_team: string; cause: string; root_outbox_id: number }>(
      `SELECT id, signal, owner_team, cause->0->>'ref' AS cause, root_outbox_id FROM incidents ORDER BY opened_at`);
    expect(incidents.map((row) => [row.signal, row.owner_team, row.cause])).toEqual([
      ['speed', 'marketing', STORIES.lcpRegression.publishRef],
      ['tracking', 'dev', STORIES.trackingOutage.deployRef],
    ]);
    for (const incident of incidents) {
      const detail = await ask(bot, `incident ${incident.id}`);
      const history = detail.blocks.flatMap((block) => (block.type === 'list' ? block.items : []));
      expect(history.some((item) => item.includes('opened'))).toBe(true);
      expect(history.some((item) => item.includes('resolved'))).toBe(true);
      const thread = await test.db.query('SELECT id FROM outbox WHERE thread_of = $1', [incident.root_outbox_id]);
      expect(thread.length).toBeGreaterThan(0);
    }
  });
});
