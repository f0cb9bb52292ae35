import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/adapters/store/db.js';
import { summariseTransactions } from '../../../src/analytics/customer-summary.js';
import { rankByValueAtStake } from '../../../src/analytics/value-at-stake.js';
import type { Reply } from '../../../src/bot/reply.js';
import { readCdnowTransactions, significantDigitsTolerance } from '../../analytics/cdnow-fixtures.js';
import { ask, createTestBot, tableOf } from '../../support/bot.js';
import { runMkt } from '../../support/cli.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import { CHURN_JANUARY_ORDERS } from '../../support/hand-scored-shops.js';

const now = new Date('2026-11-26T09:00:00Z');

/** The raw value of a field in the reply's "Model" fields block. */
function modelValue(answer: Reply, label: string): number | string | null | undefined {
  const block = answer.blocks.find((candidate) => candidate.type === 'fields');
  if (block?.type !== 'fields') throw new Error(`no fields block in "${answer.title}": ${answer.summary}`);
  return block.fields.find((field) => field.label === label)?.raw;
}

/** The CDNOW sample as orders: one customer per sample id, each transaction line one order at midnight UTC. */
async function loadCdnow(db: Db): Promise<void> {
  const transactions = readCdnowTransactions();
  const customers = [...new Set(transactions.map((row) => row.customerId))];
  await db.query('INSERT INTO customers (id) SELECT unnest($1::text[])', [customers]);
  await db.query(
    `INSERT INTO orders (id, customer_id, ordered_at, revenue)
     SELECT 'cd' || n, customer_id, day::timestamptz, revenue
       FROM unnest($1::text[], $2::text[], $3::numeric[]) WITH ORDINALITY AS line (customer_id, day, revenue, n)`,
    [transactions.map((row) => row.customerId), transactions.map((row) => `${row.day}T00:00:00Z`), transactions.map((row) => row.value)],
  );
}

describe(`churn on ${testDbKind}, CDNOW sample`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await loadCdnow(test.db);
  });

  it('fits the published BG/NBD parameters on the 39-week calibration period (Fader, Hardie & Lee 2005)', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'churn as-of 1997-09-30 time-unit week');
    expect(answer.problem).toBeUndefined();
    // Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426; 3 significant digits.
    for (const [name, published] of [['r', 0.243], ['alpha', 4.414], ['a', 0.793], ['b', 2.426]] as const) {
      const value = modelValue(answer, name);
      expect(typeof value).toBe('number');
      expect(Math.abs((value as number) - published), name).toBeLessThanOrEqual(significantDigitsTolerance(published, 3));
    }
    // Published log-likelihood -9582.4 (one decimal).
    expect(Math.abs((modelValue(answer, 'BG/NBD log-likelihood') as number) + 9582.4)).toBeLessThan(0.05);
    expect(modelValue(answer, 'Converged')).toBe('true');
  });

  it('ranks the top 20 by value at stake with P(alive) from the fitted parameters, the rest in a CSV', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'churn top 20 as-of 1997-09-30 time-unit week');
    const table = tableOf(answer);
    expect(table.rows).toHaveLength(10);
    expect(table.totalRows).toBe(20);
    const csv = answer.attachments[0];
    expect(csv?.mimeType).toBe('text/csv');
    const csvLines = csv?.content.trim().split('\r\n') ?? [];
    expect(csvLines).toHaveLength(21);
    const stakes = csvLines.slice(1).map((line) => Number(line.split(',')[6]));
    expect(stakes).toEqual([...stakes].sort((x, y) => y - x));

    // P(alive) = 1 / (1 + a/(b+x−1) · ((alpha+T)/(alpha+tx))^(r+x)) (FHL 2005 note 021), with (x, tx, T) of the
    // top customer summarised independently from the raw transactions.
    const [r, alpha, a, b] = ['r', 'alpha', 'a', 'b'].map((name) => modelValue(answer, name) as number) as [number, number, number, number];
    const summaries = summariseTransactions(readCdnowTransactions(), { calibrationEnd: '1997-09-30', unitDays: 7 });
    const topId = String(table.rows[0]?.[0]?.raw);
    const top = summaries.find((summary) => summary.customerId === topId);
    if (!top) throw new Error(`top customer ${topId} not in the sample`);
    const expected = 1 / (1 + (a / (b + top.x - 1)) * ((alpha + top.T) / (alpha + top.tx)) ** (r + top.x));
    expect(table.rows[0]?.[3]?.raw as number).toBeCloseTo(expected, 10);
    expect(answer.summary).toMatch(/^The 20 customers most at risk hold \$?€[\d,.]+ of expected value over the next 90 days that the model expects to lose; \d+ leads, with a \d+% chance of still being active\.$/);
  });

  it('picks the same top 50 in the database as ranking every summarised customer with the analytics module', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'churn top 50 as-of 1997-09-30 time-unit week');
    const [r, alpha, a, b, p, q, gamma] = ['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma'].map((name) => modelValue(answer, name) as number) as
      [number, number, number, number, number, number, number];
    const summaries = summariseTransactions(readCdnowTransactions(), { calibrationEnd: '1997-09-30', unitDays: 7 });
    // Among those still likely active: P(alive) above CHURN_MIN_P_ALIVE (0.1 in the tests).
    const expected = rankByValueAtStake(summaries.filter((summary) => summary.x > 0), { bgNbd: { r, alpha, a, b }, gammaGamma: { p, q, gamma } },
      { horizon: 90 / 7, top: 50, minPAlive: 0.1 });
    const csvRows = answer.attachments[0]?.content.trim().split('\r\n').slice(1).map((line) => line.split(',')) ?? [];
    expect(csvRows.map((row) => row[0])).toEqual(expected.map((row) => row.customerId));
    csvRows.forEach((row, i) => expect(Number(row[6])).toBeCloseTo(expected[i]?.valueAtStake ?? NaN, 2));
  });

  it('says how many one-time buyers it leaves out and why', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'churn as-of 1997-09-30');
    // 2,357 customers, 946 of whom bought again within the 39 weeks (FHL 2005): 1,411 one-time buyers.
    expect(answer.blocks).toContainEqual({ type: 'text', text: expect.stringContaining('1,411 one-time buyers are not ranked') });
    expect(JSON.stringify(answer)).toContain('P(alive) = 1');
  });

  it('fits the published parameters as of 1997-09-30 in any order of asking, typed or as the CLI flag', async () => {
    // The clock at the end of 1997-09-30: a question about "now" then reads every order, later ones too.
    const atDayEnd = createTestBot(test.db, { now: new Date('1997-10-01T00:00:00Z') });
    const expectPublished = (model: Record<string, unknown>) => {
      for (const [name, published] of [['r', 0.243], ['alpha', 4.414], ['a', 0.793], ['b', 2.426]] as const) {
        expect(Math.abs((model[name] as number) - published), name).toBeLessThanOrEqual(significantDigitsTolerance(published, 3));
      }
      expect(Math.abs((model.logLikelihood as number) + 9582.4)).toBeLessThan(0.05);
    };
    const modelOf = (answer: Reply) => (answer.data as { model: Record<string, unknown> }).model;
    const nowFirst = modelOf(await ask(atDayEnd, 'churn time-unit week'));
    expect(Math.abs((nowFirst.logLikelihood as number) + 9582.4)).toBeGreaterThan(100);
    expectPublished(modelOf(await ask(atDayEnd, 'churn as-of 1997-09-30 time-unit week')));
    const cli = await runMkt(test.db, ['churn', '--as-of', '1997-09-30', '--time-unit', 'week', '--json']);
    expect(cli.code).toBe(0);
    expectPublished(modelOf(JSON.parse(cli.io.lines.join('\n')) as Reply));
    expect(modelOf(await ask(atDayEnd, 'churn time-unit week'))).toEqual(nowFirst);
    expectPublished(modelOf(await ask(atDayEnd, 'churn time-unit week as-of 1997-09-30')));
    expectPublished(modelOf(await ask(createTestBot(test.db, { now }), 'churn al 1997-09-30 time-unit week')));
    // In Rome the day ends at 22:00 UTC: the orders stamped midnight UTC (02:00 there) on 1 October stay out.
    expectPublished(modelOf(await ask(createTestBot(test.db, { now, settings: { timeZone: 'Europe/Rome' } }), 'churn as-of 1997-09-30 time-unit week')));
    // Asked as of the day first, in a fresh start: "now" is still its own fit.
    await test.db.query('DELETE FROM model_cache');
    await test.db.query('DELETE FROM answer_cache');
    expectPublished(modelOf(await ask(atDayEnd, 'churn as-of 1997-09-30 time-unit week')));
    expect(modelOf(await ask(atDayEnd, 'churn time-unit week'))).toEqual(nowFirst);
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'churn top 5 as-of 1997-09-30');
    expect(answer.title).toBe('Rischio di abbandono al 30 set 1997, prossimi 90 giorni');
    expect(answer.summary).toMatch(/^I 5 clienti più a rischio valgono [\d.,]+\u00a0€ di valore atteso/);
    expect(tableOf(answer).columns.map((column) => column.label)).toContain('Valore a rischio');
  });
});

/** Stores parameters for the current data version, as a fit would (Gamma-Gamma p = 1, q = 2, gamma = 10). */
async function seedCache(db: Db, bgNbd: { r: number; alpha: number; a: number; b: number }): Promise<void> {
  const [version] = await db.query<{ version: number }>('SELECT version FROM order_data_version');
  const params = {
    bgNbd: { ...bgNbd, logLikelihood: -1, converged: true, iterations: 0 },
    gammaGamma: { p: 1, q: 2, gamma: 10, logLikelihood: -1, converged: true, iterations: 0 },
  };
  await db.query(
    // Keyed as the store keys a fit as of the end of 10 Jan (UTC): the model and the instant the day ends.
    `INSERT INTO model_cache (model, as_of, data_version, params) VALUES ('bg_nbd_gamma_gamma_day 2026-01-11T00:00:00.000Z', '2026-01-10', $1, $2)
     ON CONFLICT (model, as_of) DO UPDATE SET data_version = EXCLUDED.data_version, params = EXCLUDED.params`,
    [version?.version, JSON.stringify(params)]);
}

describe(`churn on ${testDbKind}, small hand-computed cases`, () => {
  const test = useTestDb();
  const asOf = 'as-of 2026-01-10 time-unit day';

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, [
      ...CHURN_JANUARY_ORDERS,
      // after the as-of day: not seen
      { id: 'a3', customer: 'A', at: '2026-01-11T00:00:00Z', revenue: 999 },
    ]);
  });

  it('refuses to fit two repeat buyers and says how many the model needs', async () => {
    const answer = await ask(createTestBot(test.db, { now }), `churn ${asOf}`);
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toBe('Only 2 customers bought more than once by 10 Jan 2026; the churn model needs at least 20 repeat buyers to be fitted. Try a later `as-of` day once more customers have returned.');
  });

  it('reuses cached parameters until an order changes, then fits again', async () => {
    await seedCache(test.db, { r: 1, alpha: 1, a: 1, b: 1 });
    // No floor: A, whose P(alive) is 1/26, is ranked too.
    const answer = await ask(createTestBot(test.db, { now, settings: { churnMinPAlive: 0 } }), `churn ${asOf}`);
    expect(answer.problem).toBeUndefined();
    const rows = tableOf(answer).rows;
    expect(rows.map((row) => row[0]?.raw)).toEqual(['A', 'B']);
    // P(alive) = 1 / (1 + a/(b+x−1) · ((alpha+T)/(alpha+tx))^(r+x)): A 1/(1 + (10/2)²) = 1/26; B 1/(1 + (10/9)²) = 81/181.
    expect(rows[0]?.[3]?.raw as number).toBeCloseTo(1 / 26, 12);
    expect(rows[1]?.[3]?.raw as number).toBeCloseTo(81 / 181, 12);
    // Same x and T, so the same expected purchases if alive; E(M) = p(gamma + x·mbar)/(px + q − 1): A 60/2 = 30, B 40/2 = 20.
    // Value at stake A/B = (25/26 · 30)/(100/181 · 20) = 135750/52000; expected value A/B = (1/26 · 30)/(81/181 · 20) = 5430/42120.
    expect((rows[0]?.[6]?.raw as number) / (rows[1]?.[6]?.raw as number)).toBeCloseTo(135750 / 52000, 10);
    expect((rows[0]?.[5]?.raw as number) / (rows[1]?.[5]?.raw as number)).toBeCloseTo(5430 / 42120, 10);
    expect(answer.blocks).toContainEqual({ type: 'text', text: expect.stringContaining('2 one-time buyers are not ranked') });
    expect(modelValue(answer, 'q')).toBe(2);

    // A late order inside the window changes the data: the cached fit no longer applies.
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('c0', 'C', '2026-01-03T08:00:00Z', 5)`);
    const refit = await ask(createTestBot(test.db, { now }), `churn ${asOf}`);
    expect(refit.summary).toContain('Only 3 customers bought more than once');
  });

  it('lists only customers still likely active, and sums up apart the ones the model counts as gone', async () => {
    await seedCache(test.db, { r: 1, alpha: 1, a: 1, b: 1 });
    // P(alive): A 1/26 = 3.85 %, B 81/181 = 44.8 % (worked above). Past revenue: A 100 + 50, B 20 + 30.
    const ask_ = (minPAlive: number, locale: 'en' | 'it' = 'en') => ask(createTestBot(test.db, { now, settings: { churnMinPAlive: minPAlive, locale } }), `churn ${asOf}`);
    const atTen = await ask_(0.1);
    expect(tableOf(atTen).rows.map((row) => row[0]?.raw)).toEqual(['B']);
    expect(atTen.blocks).toContainEqual({ type: 'text', text: '1 repeat buyer is not listed because the model counts them as already gone (at most a 10% chance of still being active, CHURN_MIN_P_ALIVE); they spent €150.00 in the past.' });
    expect(atTen.data).toMatchObject({ gone: { customers: 1, revenue: 150 }, minPAlive: 0.1 });
    // Just above and just below A's 1/26.
    expect(tableOf(await ask_(0.0384)).rows.map((row) => row[0]?.raw)).toEqual(['A', 'B']);
    expect((await ask_(0.0385)).data).toMatchObject({ gone: { customers: 1, revenue: 150 } });
    // Above B's 81/181 nobody is left to win back.
    const atHalf = await ask_(0.5);
    expect(atHalf.summary).toBe('No customer is both at risk and still likely to be active: every repeat buyer with value at stake has at most a 50% chance of still being active.');
    expect(atHalf.blocks).toContainEqual({ type: 'text', text: '2 repeat buyers are not listed because the model counts them as already gone (at most a 50% chance of still being active, CHURN_MIN_P_ALIVE); they spent €200.00 in the past.' });
    const italian = await ask_(0.5, 'it');
    expect(italian.blocks).toContainEqual({ type: 'text', text: expect.stringMatching(/^2 clienti con riacquisti non sono in elenco perché il modello li considera già persi \(al massimo il 50\s?% di probabilità di essere ancora attivi, CHURN_MIN_P_ALIVE\); in passato hanno speso 200,00\s€\.$/) });
  });

  it('keeps the ranking to one RFM segment when asked', async () => {
    // C's late order makes C a repeat buyer too.
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('c0', 'C', '2026-01-03T08:00:00Z', 5)`);
    // As of 10 Jan (recency days, orders, revenue): A (8, 2, 150), B (1, 2, 50), C (5, 2, 15), D (4, 1, 10).
    // Quintile score 1 + floor(5 · worse / 4): R A1 B4 C2 D3; F A2 B2 C2 D1; M A4 B3 C2 D1; FM = floor((F+M+1)/2): A3 B3 C2 D1.
    // Segments: A (R1, FM3) at_risk, B (R4, FM3) potential_loyalist, C (R2, FM2) hibernating, D (R3, FM1) about_to_sleep.
    await seedCache(test.db, { r: 1, alpha: 1, a: 1, b: 1 });
    const all = await ask(createTestBot(test.db, { now, settings: { churnMinPAlive: 0 } }), `churn ${asOf}`);
    expect(Object.fromEntries(tableOf(all).rows.map((row) => [row[0]?.raw, row[1]?.text]))).toEqual({ A: 'At Risk', B: 'Potential Loyalist', C: 'Hibernating' });
    const loyalists = await ask(createTestBot(test.db, { now }), `churn segment potential-loyalist ${asOf}`);
    expect(tableOf(loyalists).rows.map((row) => row[0]?.raw)).toEqual(['B']);
    const lost = await ask(createTestBot(test.db, { now }), `churn segment lost ${asOf}`);
    expect(lost.summary).toBe('No customer in Lost has value at stake: every one of them is considered active.');
  });

  it('refuses customer lists in a channel outside the allowlist', async () => {
    const bot = createTestBot(test.db, { now, settings: { customerDataAllowlist: ['C-ALLOWED'] } });
    const answer = await ask(bot, 'churn', { platform: 'slack', channelId: 'C-OTHER' });
    expect(answer.problem).toBe('forbidden');
  });

  it.each([
    ['churn top 0', '`top` takes a whole number from 1 to 500.'],
    ['churn top many', '`top` takes a whole number from 1 to 500.'],
    ['churn top', '`top` takes a whole number from 1 to 500.'],
    ['churn segment planet', '"planet" is not a known RFM segment. Valid: champions, loyal, potential_loyalist, new, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, lost.'],
    ['churn horizon soon', '`horizon` takes a number of days or weeks, e.g. `horizon 90d`.'],
    ['churn time-unit fortnight', '"fortnight" is not a time unit. Valid: day, week.'],
    ['churn as-of 1997-13-01', '"1997-13-01" is not a day. Use `as-of YYYY-MM-DD`, e.g. `as-of 2026-09-30`.'],
    ['churn as-of 2999-01-01', '2999-01-01 is in the future; `as-of` needs a day up to today.'],
  ])('answers "%s" with what would work', async (text, message) => {
    const answer = await ask(createTestBot(test.db, { now }), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toBe(message);
  });
});
