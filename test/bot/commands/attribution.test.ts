import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/reply.js';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';

// Today is 2026-11-26, so "last 7d" is 2026-11-19..2026-11-25.
const now = new Date('2026-11-26T09:00:00Z');

/*
 * Four converting journeys (touches carry the order id) and three that never convert:
 *   J1 o1 €100: paid_search (11-20 12:00) → email (11-21 10:00), ordered 11-21 12:00
 *      plus a display touch on 10-01, more than 30 days before the order: outside the lookback
 *   J2 o2 €50:  paid_social (11-19 10:00) → paid_search (11-20 10:00) → direct (11-22 09:00), ordered 11-22 10:00
 *   J3 o3 €200: email (11-23 09:00), ordered 11-23 10:00
 *   J4 o4 €60:  paid_social (11-24 08:00) → email (11-24 09:00), ordered 11-24 10:00
 *   N1 paid_social; N2 paid_social → paid_search; N3 direct (visitors without an order)
 *   o5 €40 on 11-25 has no touchpoint at all.
 * Spend in the period: paid_search €100, paid_social €50, display €30.
 */
async function loadJourneys(db: Parameters<typeof insertOrders>[0]): Promise<void> {
  await insertOrders(db, [
    { id: 'o1', customer: 'c1', at: '2026-11-21T12:00:00Z', revenue: 100 },
    { id: 'o2', customer: 'c2', at: '2026-11-22T10:00:00Z', revenue: 50 },
    { id: 'o3', customer: 'c3', at: '2026-11-23T10:00:00Z', revenue: 200 },
    { id: 'o4', customer: 'c4', at: '2026-11-24T10:00:00Z', revenue: 60 },
    { id: 'o5', customer: 'c5', at: '2026-11-25T10:00:00Z', revenue: 40 },
    // A shop day with an order but no touchpoints, for the "nothing to attribute" answer.
    { id: 'o9', customer: 'c9', at: '2026-11-05T10:00:00Z', revenue: 70 },
  ]);
  await insertTouchpoints(db, [
    { id: 't0', customer: 'c1', at: '2026-10-01T10:00:00Z', channel: 'display', order: 'o1' },
    { id: 't1', customer: 'c1', at: '2026-11-20T12:00:00Z', channel: 'paid_search', campaign: 'brand_search', order: 'o1' },
    { id: 't2', customer: 'c1', at: '2026-11-21T10:00:00Z', channel: 'email', order: 'o1' },
    { id: 't3', customer: 'c2', at: '2026-11-19T10:00:00Z', channel: 'paid_social', campaign: 'prospecting', order: 'o2' },
    { id: 't4', customer: 'c2', at: '2026-11-20T10:00:00Z', channel: 'paid_search', campaign: 'brand_search', order: 'o2' },
    { id: 't5', customer: 'c2', at: '2026-11-22T09:00:00Z', channel: 'direct', order: 'o2' },
    { id: 't6', customer: 'c3', at: '2026-11-23T09:00:00Z', channel: 'email', order: 'o3' },
    { id: 't7', customer: 'c4', at: '2026-11-24T08:00:00Z', channel: 'paid_social', campaign: 'prospecting', order: 'o4' },
    { id: 't8', customer: 'c4', at: '2026-11-24T09:00:00Z', channel: 'email', order: 'o4' },
    { id: 'n1', anonymous: 'a1', at: '2026-11-20T08:00:00Z', channel: 'paid_social', campaign: 'prospecting' },
    { id: 'n2', anonymous: 'a2', at: '2026-11-21T08:00:00Z', channel: 'paid_social', campaign: 'prospecting' },
    { id: 'n3', anonymous: 'a2', at: '2026-11-22T08:00:00Z', channel: 'paid_search', campaign: 'brand_search' },
    { id: 'n4', anonymous: 'a3', at: '2026-11-23T08:00:00Z', channel: 'direct' },
  ]);
  await db.query(`INSERT INTO spend (day, channel, campaign, cost) VALUES
    ('2026-11-20', 'paid_search', 'brand_search', 100), ('2026-11-21', 'paid_social', 'prospecting', 50),
    ('2026-11-22', 'display', 'retargeting_display', 30), ('2026-10-20', 'paid_search', 'brand_search', 999)`);
}

/** Raw cells of a channel's row, after the channel name. */
function rawRow(answer: Reply, channel: string): (number | string | null)[] {
  return rowOf(answer, channel).slice(1).map((cell) => cell.raw);
}

function chartOf(answer: Reply) {
  const chart = answer.blocks.find((block) => block.type === 'chart');
  if (chart?.type !== 'chart') throw new Error(`no chart in "${answer.title}"`);
  return chart;
}

describe(`attribution on ${testDbKind}`, () => {
  const test = useTestDb();
  const bot = () => createTestBot(test.db, { now });

  beforeAll(async () => {
    await clearData(test.db);
    await loadJourneys(test.db);
  });

  it('answers "attribution last click last 7d" with each order credited to its last touch', async () => {
    const answer = await ask(bot(), 'attribution last click last 7d');
    expect(answer.problem).toBeUndefined();
    // email closes J1, J3, J4: 3 conversions, 100 + 200 + 60 = 360; direct closes J2: 1, 50. Share of 4.
    expect(rawRow(answer, 'email').slice(0, 3)).toEqual([3, 360, 0.75]);
    expect(rawRow(answer, 'direct').slice(0, 3)).toEqual([1, 50, 0.25]);
    // paid_search earned nothing under last click: ROAS 0 / 100 = 0.
    expect(rawRow(answer, 'paid_search')).toEqual([0, 0, 0, 100, 0]);
    expect(answer.summary).toBe('Under last click attribution, email earns the most credit: 3.0 conversions (75.0%) and €360.00 in revenue.');
  });

  it('splits each order evenly over its touches under linear, leaving out touches older than 30 days', async () => {
    const answer = await ask(bot(), 'attribution linear last 7d');
    const [email, paidSearch, paidSocial, direct] = ['email', 'paid_search', 'paid_social', 'direct'].map((channel) => rawRow(answer, channel));
    // email: J1 ½ + J3 1 + J4 ½ = 2; revenue 50 + 200 + 30 = 280 (the display touch on 10-01 would make J1 thirds)
    expect(email?.[0]).toBeCloseTo(2, 10);
    expect(email?.[1]).toBeCloseTo(280, 8);
    // paid_search: J1 ½ + J2 ⅓ = 0.8333; revenue 50 + 50/3 = 66.667; spend 100 → ROAS 0.6667
    expect(paidSearch?.[0]).toBeCloseTo(5 / 6, 10);
    expect(paidSearch?.[1]).toBeCloseTo(200 / 3, 8);
    expect(paidSearch?.[4]).toBeCloseTo(2 / 3, 8);
    // paid_social: J2 ⅓ + J4 ½ = 0.8333; revenue 50/3 + 30 = 46.667; spend 50 → ROAS 0.9333
    expect(paidSocial?.[0]).toBeCloseTo(5 / 6, 10);
    expect(paidSocial?.[4]).toBeCloseTo(140 / 150, 8);
    // direct: J2 ⅓
    expect(direct?.[0]).toBeCloseTo(1 / 3, 10);
    // display spent €30 and earned nothing; it is listed with ROAS 0.
    expect(rawRow(answer, 'display')).toEqual([0, 0, 0, 30, 0]);
    expect(rowOf(answer, 'display')[5]?.text).toBe('0.00×');
    expect(rowOf(answer, 'email')[5]?.text).toBe('n/a');
  });

  it('credits Markov removal effects computed by hand, non-converting journeys included', async () => {
    // Order-1 chain, 7 journeys. Transitions: start→search 1/7, →social 4/7, →email 1/7, →direct 1/7;
    // search→email 1/3, →direct 1/3, →null 1/3; social→search 2/4, →email 1/4, →null 1/4;
    // email→conv 1; direct→conv 1/2, →null 1/2. P(conv) = 4/7.
    // Without email: P = 1/7 → effect 3/4. Without direct: 3/7 → 1/4.
    // Without paid_search: 2.5/7 → 3/8. Without paid_social: 2/7 → 1/2. Sum of effects 15/8.
    // Credit = 4 × effect / (15/8): email 1.6, paid_social 16/15, paid_search 0.8, direct 8/15.
    const answer = await ask(bot(), 'attribution markov last 7d');
    expect(rawRow(answer, 'email')[0]).toBeCloseTo(1.6, 9);
    expect(rawRow(answer, 'paid_social')[0]).toBeCloseTo(16 / 15, 9);
    expect(rawRow(answer, 'paid_search')[0]).toBeCloseTo(0.8, 9);
    expect(rawRow(answer, 'direct')[0]).toBeCloseTo(8 / 15, 9);
    // 4 conversions in all is far below the 100 the models need: said in a sentence, not hidden.
    const texts = answer.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : []));
    expect(texts.some((text) => text.startsWith('There is too little data for a reliable Markov (data-driven) result: only 4 conversions, fewer than 100'))).toBe(true);
    expect(texts).toContain('1 of 5 orders had no touchpoint in the 30 days before them and are not attributed.');
  });

  it('weighs touches by age under time decay (half-life 7 days, ages in whole days)', async () => {
    // J1 ages [1, 0]: paid_search 2^(-1/7) / (2^(-1/7) + 1) = 0.475266
    // J2 ages [3, 2, 0]: paid_search 2^(-2/7) / (2^(-3/7) + 2^(-2/7) + 1) = 0.320027
    const j1 = 2 ** (-1 / 7) / (2 ** (-1 / 7) + 1);
    const j2 = 2 ** (-2 / 7) / (2 ** (-3 / 7) + 2 ** (-2 / 7) + 1);
    const answer = await ask(bot(), 'attribution time decay last 7d');
    expect(rawRow(answer, 'paid_search')[0]).toBeCloseTo(j1 + j2, 9);
    expect(rawRow(answer, 'paid_search')[0]).toBeCloseTo(0.795293, 5);
  });

  it('uses the configured model with no arguments and offers buttons to switch', async () => {
    // testSettings.attributionModel is markov; the default period is the last 30 days.
    const answer = await ask(bot(), 'attribution');
    expect(answer.title).toBe('Attribution by channel, Markov (data-driven), last 30d');
    expect(answer.actions.map((button) => button.command)).toEqual(['attribution last_click last 30d', 'attribution linear last 30d', 'attribution compare last 30d']);
    expect(answer.actions.every((button) => button.id === 'attribution.model')).toBe(true);
    const followed = await ask(bot(), answer.actions[0]!.command);
    expect(followed.problem).toBeUndefined();
  });

  it('draws one bar per channel for one model', async () => {
    const chart = chartOf(await ask(bot(), 'attribution linear last 7d'));
    expect(chart.config.data.labels).toEqual(['email', 'paid_search', 'paid_social', 'direct']);
    expect(chart.config.data.datasets).toHaveLength(1);
    expect(chart.config.data.datasets[0]?.data).toEqual([2, 0.83, 0.83, 0.33]);
  });

  it('compares all models and names the channel Markov credits most above last click', async () => {
    const answer = await ask(bot(), 'attribution compare last 7d');
    // paid_social: 0 under last click, 16/15 = 1.07 under Markov: 0% → 26.7% of 4 conversions.
    expect(answer.summary).toBe('Under data-driven (Markov) attribution, paid_social gains the most compared with last click: 1.1 more conversions, from 0.0% to 26.7% of all conversions (+26.7 pp).');
    const table = tableOf(answer);
    expect(table.columns).toHaveLength(9);
    expect(table.rows).toHaveLength(4);
    expect(rawRow(answer, 'email')).toHaveLength(8);
    const chart = chartOf(answer);
    expect(chart.config.data.labels).toHaveLength(8);
    expect(chart.config.data.datasets.map((dataset) => dataset.label).sort()).toEqual(['direct', 'email', 'paid_search', 'paid_social']);
    expect(chart.config.data.datasets.find((dataset) => dataset.label === 'email')?.backgroundColor).toBe('#E69F00');
  });

  it('splits by campaign, naming touches without one after their channel', async () => {
    const answer = await ask(bot(), 'attribution linear last 7d by campaign');
    expect(tableOf(answer).columns[0]?.label).toBe('Campaign');
    // brand_search: J1 ½ + J2 ⅓; prospecting: J2 ⅓ + J4 ½; (email) 2; (direct) ⅓
    expect(rawRow(answer, 'brand_search')[0]).toBeCloseTo(5 / 6, 10);
    expect(rawRow(answer, 'prospecting')[0]).toBeCloseTo(5 / 6, 10);
    expect(rawRow(answer, '(email)')[0]).toBeCloseTo(2, 10);
    expect(rawRow(answer, '(direct)')[0]).toBeCloseTo(1 / 3, 10);
  });

  it('understands friendly and Italian model names', async () => {
    for (const [text, title] of [
      ['attribution first click last 7d', 'first click'],
      ['attribution data-driven last 7d', 'Markov (data-driven)'],
      ['attribution position last 7d', 'position based'],
      ['attribution last non direct last 7d', 'last non-direct click'],
      ['attribuzione ultimo clic last 7d', 'last click'],
      ['attribution markoviano last 7d', 'Markov (data-driven)'],
    ] as const) {
      const answer = await ask(bot(), text);
      expect(answer.title, text).toBe(`Attribution by channel, ${title}, last 7d`);
    }
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'attribuzione ultimo clic last 7d');
    expect(answer.summary).toBe("Con l'attribuzione ultimo clic, email riceve il merito maggiore: 3,0 conversioni (75,0%) e 360,00\u00a0€ di fatturato.");
    expect(tableOf(answer).columns.map((column) => column.label)).toEqual(['Canale', 'Conversioni', 'Fatturato', 'Quota', 'Spesa', 'ROAS']);
  });

  it('says there is nothing to attribute when a period has no orders, or orders without touchpoints', async () => {
    const empty = await ask(bot(), 'attribution 2025-01-01..2025-01-31');
    expect(empty.problem).toBe('no_data');
    expect(empty.summary).toContain('No orders between 1 Jan 2025 and 31 Jan 2025');
    const untracked = await ask(bot(), 'attribution compare 2026-11-05..2026-11-05');
    expect(untracked.problem).toBe('no_data');
    expect(untracked.summary).toContain('There are 1 orders between 5 Nov 2026 and 5 Nov 2026, but none has a touchpoint');
  });

  it.each([
    ['attribution markof', /"markof" is not an attribution model I know. Valid models: first_click, last_click/, /Did you mean `attribution markov`\?/],
    ['attribution last 0d', /"last 0d" is not a period I understand/, /help attribution/],
    ['attribution markov by', /Say what to split by/, /help attribution/],
    ['attribution by country', /not by "country"/, /help attribution/],
    ['attribution markov linear', /Pick one model, or `compare` for all: I read both "markov" and "linear"/, /help attribution/],
    ['attribution compare shapley last 7d', /I read both "compare" and "shapley"/, /I understood: last 7d, compare/],
    ['attribution since 2027-01-01', /The period starts after it ends/, /help attribution/],
  ])('answers the malformed "%s" with a helpful error', async (text, message, hint) => {
    const answer = await ask(bot(), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toMatch(message);
    expect(answer.blocks.map((block) => (block.type === 'text' ? block.text : '')).join('\n')).toMatch(hint);
  });
});
