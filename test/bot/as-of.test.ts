import { beforeAll, describe, expect, it } from 'vitest';
import { ask, createTestBot } from '../support/bot.js';
import { runMkt } from '../support/cli.js';
import { cutDataAt } from '../support/data-cut-at.js';
import { clearData, testDbKind, useTestDb } from '../support/db.js';
import { insertOrders, insertTouchpoints } from '../support/fixtures.js';
import { seedSmallShop, SMALL_SHOP_NOW } from '../support/small-shop.js';

/**
 * `as-of D` for every command that reads dated data: the answer as of D equals the answer asked at the
 * end of D of the same shop cut at D (every row dated later deleted, in the test's rolled-back
 * transaction). The small shop has orders, journeys, spend, events, page-speed runs and changes
 * before and after 1 November 2026.
 */
const DAY = '2026-11-01';

/**
 * A reply with its numbers to 12 significant digits: journeys built from the raw rows (as of a day) and
 * from the kept tables (on the cut data) sum the same credits in another order, which moves the last bit.
 */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  if (Array.isArray(value)) return value.map(rounded);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rounded(inner)]));
}
const QUESTIONS = [
  'kpi', 'kpi last 7d', 'kpi this month',
  'rfm', 'rfm last 30d',
  'churn', 'churn time-unit day top 20',
  'attribution', 'attribution linear', 'attribution compare', 'attribution time-decay by campaign',
  'segment revenue by channel', 'segment aov by rfm_segment last 60d',
  'budget', 'budget last 7d',
  'changes', 'changes last 14d deploys',
  'tracking', 'tracking purchase last 14d',
  'speed', 'speed /checkout last 14d',
].map((question) => [question, question] as const);
/** A period typed past the day ends with it: asked as of the day, it is the shorter period on the cut data. */
const CLIPPED = [['kpi 2026-10-20..2026-11-20', 'kpi 2026-10-20..2026-11-01'], ['speed since 2026-10-25', 'speed since 2026-10-25']] as const;

describe.each([['UTC'], ['Europe/Rome']])(`as-of on ${testDbKind}, TIME_ZONE %s`, (timeZone) => {
  const test = useTestDb();
  // The end of the day in the zone: midnight UTC, or 23:00 UTC the day before in Rome (CET).
  const end = timeZone === 'UTC' ? new Date('2026-11-02T00:00:00Z') : new Date('2026-11-01T23:00:00Z');

  beforeAll(async () => {
    await clearData(test.db);
    await seedSmallShop(test.db);
  });

  it.each([...QUESTIONS, ...CLIPPED])('"%s" as of the day is "%s" on the data cut at its end', async (question, onCutQuestion) => {
    const asked = await ask(createTestBot(test.db, { now: SMALL_SHOP_NOW, settings: { timeZone } }), `${question} as-of ${DAY}`);
    await cutDataAt(test.db, end, DAY);
    const onCut = await ask(createTestBot(test.db, { now: end, settings: { timeZone } }), onCutQuestion);
    expect(onCut.problem, onCut.summary).toBeUndefined();
    expect(rounded(asked)).toEqual(rounded(onCut));
  });
});

describe(`as-of on ${testDbKind}: one meaning however asked`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await seedSmallShop(test.db);
  });

  it('answers the CLI flag as the words', async () => {
    const words = await ask(createTestBot(test.db, { now: SMALL_SHOP_NOW }), `kpi last 7d as-of ${DAY}`);
    const flag = await runMkt(test.db, ['kpi', 'last', '7d', '--as-of', DAY, '--json']);
    expect(flag.code).toBe(0);
    const { summary, blocks } = JSON.parse(flag.io.lines.join('\n')) as typeof words;
    expect({ summary, blocks }).toEqual({ summary: words.summary, blocks: words.blocks });
  });

  it('refuses as-of where a command has no day to ask about, and a day in the future', async () => {
    const bot = createTestBot(test.db, { now: SMALL_SHOP_NOW });
    expect((await ask(bot, `incidents as-of ${DAY}`)).problem).toBe('bad_input');
    expect((await ask(bot, 'kpi as-of 2026-11-27')).summary).toBe('2026-11-27 is in the future; `as-of` needs a day up to today.');
    expect((await ask(bot, `kpi as-of ${DAY}`, { asOfDay: '2026-10-01' })).problem).toBe('bad_input');
    expect((await ask(bot, 'incidents', { asOfDay: DAY })).summary).toBe('`incidents` does not answer about a past day, so it takes no `as-of`.');
  });
});

describe(`as-of on ${testDbKind}: journeys that only later rows complete`, () => {
  const test = useTestDb();
  const end = new Date('2026-11-02T00:00:00Z');

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, [
      { id: 'k1', customer: 'K', at: '2026-10-31T12:00:00Z', revenue: 80 },
      // M's order comes the morning after the day: as of the day, M's touch led to nothing.
      { id: 'm1', customer: 'M', at: '2026-11-02T09:00:00Z', revenue: 60 },
      { id: 'n1', customer: 'N', at: '2026-10-30T09:00:00Z', revenue: 40 },
    ]);
    await insertTouchpoints(test.db, [
      { id: 't1', anonymous: 'v1', at: '2026-10-30T10:00:00Z', channel: 'paid_social' },
      { id: 't2', customer: 'K', at: '2026-10-31T11:00:00Z', channel: 'email', order: 'k1' },
      // Signing in after the day links v1 to K back over the window: as of the day, v1 is nobody's.
      { id: 't3', customer: 'K', anonymous: 'v1', at: '2026-11-03T10:00:00Z', channel: 'direct' },
      { id: 't4', customer: 'M', at: '2026-11-01T20:00:00Z', channel: 'paid_search' },
      { id: 't5', customer: 'N', at: '2026-10-30T08:00:00Z', channel: 'email', order: 'n1' },
    ]);
  });

  it.each(['attribution linear', 'attribution markov', 'attribution time-decay', 'attribution compare'])('"%s" as of the day reads neither the later order nor the later sign-in', async (question) => {
    const asked = await ask(createTestBot(test.db, { now: SMALL_SHOP_NOW }), `${question} last 7d as-of ${DAY}`);
    await cutDataAt(test.db, end, DAY);
    const onCut = await ask(createTestBot(test.db, { now: end }), `${question} last 7d`);
    expect(onCut.problem, onCut.summary).toBeUndefined();
    expect(rounded(asked)).toEqual(rounded(onCut));
  });
});
