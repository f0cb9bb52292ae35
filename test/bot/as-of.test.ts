import { beforeAll, describe, expect, it } from 'vitest';
import { ask, createTestBot } from '../support/bot.js';
import { runMkt } from '../support/cli.js';
import { cutDataAt } from '../support/data-cut-at.js';
import { clearData, testDbKind, useTestDb } from '../support/db.js';
import { seedSmallShop, SMALL_SHOP_NOW } from '../support/small-shop.js';

/**
 * `as-of D` for every command that reads dated data: the answer as of D equals the answer asked at the
 * end of D of the same shop cut at D (every row dated later deleted, in the test's rolled-back
 * transaction). The small shop has orders, journeys, spend, events, page-speed runs and changes
 * before and after 1 November 2026.
 */
const DAY = '2026-11-01';
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
    expect(asked).toEqual(onCut);
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
