import { beforeAll, describe, expect, it } from 'vitest';
import { createDataPort } from '../../../src/adapters/store/data-port.js';
import type { SegmentAssignment, SegmentTransition } from '../../../src/analytics/rfm-segments.js';
import { segmentMovement } from '../../../src/analytics/rfm-segments.js';
import type { AsOf } from '../../../src/bot/data-port.js';
import type { DigestAudience, DigestBotParts } from '../../../src/bot/digest/compose.js';
import { composeDigestAt, digestSources } from '../../../src/bot/digest/compose.js';
import { digestWeek } from '../../../src/bot/digest/schedule.js';
import type { Reply } from '../../../src/bot/reply.js';
import { createTestBot, testSettings } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import { scoreCustomersInJs } from '../../support/rfm-reference.js';
import { seedSmallShop } from '../../support/small-shop.js';

// Monday 23 Nov 2026, 08:00 UTC: the digest covers Mon 16 – Sun 22 Nov 2026 (UTC, the test bot's zone).
const scheduledAt = new Date('2026-11-23T08:00:00Z');
const week = digestWeek(scheduledAt, testSettings.timeZone);
const audience: DigestAudience = { platform: 'slack', channelId: 'C0MARKETING', locale: 'en' };
const SLIPPING = ['at_risk', 'cant_lose'];

describe(`the digest's RFM moves on ${testDbKind}`, () => {
  const test = useTestDb();
  const parts = (): DigestBotParts => ({ bot: createTestBot(test.db, { now: scheduledAt }), data: createDataPort(test.db) });

  /** The independent answer: every customer's history at both ends scored in JS, then the matrix of moves. */
  async function movesScoredInJs(): Promise<SegmentTransition[]> {
    const assignmentsAt = async (asOf: AsOf): Promise<SegmentAssignment[]> =>
      (await scoreCustomersInJs(test.db, asOf, testSettings.rfmSegmentMap))
        .map((scored) => ({ customerId: scored.customerId, segmentId: scored.segmentId, monetary: scored.monetary }));
    return segmentMovement(await assignmentsAt({ end: week.start, isNow: false }), await assignmentsAt({ end: week.end, isNow: false }));
  }

  beforeAll(async () => {
    await clearData(test.db);
    await seedSmallShop(test.db);
    // A week's campaign brings 40 first-time buyers: everyone else's scores fall, and some valued customers slip.
    await insertOrders(test.db, Array.from({ length: 40 }, (_, i) => ({
      id: `campaign-${i}`, customer: `w${i}`, at: `2026-11-${16 + (i % 7)}T12:00:00Z`, revenue: 20 + i,
    })));
  });

  it('are the moves scoreRfm and segmentMovement give for the same histories', async () => {
    expect([week.start.toISOString(), week.end.toISOString()]).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    const moves = await digestSources(parts(), audience, scheduledAt).segmentMoves(week.start, week.end);
    const expected = await movesScoredInJs();
    // Same cells in the same order (most customers first, then ids), with the same counts and revenue.
    expect(moves.map((move) => [move.from, move.to, move.customers])).toEqual(expected.map((move) => [move.from, move.to, move.customers]));
    moves.forEach((move, i) => expect(move.monetary).toBeCloseTo(expected[i]?.monetary ?? NaN, 6));
    // The comparison means something only if the week moves people: newcomers, changed segments, slides.
    expect(expected.some((move) => move.from === null)).toBe(true);
    expect(expected.filter((move) => move.from !== null && move.from !== move.to).length).toBeGreaterThan(5);
  });

  it('shows how many customers moved into At Risk or Can\'t Lose Them and their revenue, as scored in JS', async () => {
    const digest: Reply = await composeDigestAt(parts(), audience, scheduledAt);
    const slid = (await movesScoredInJs()).filter((move) => move.from !== null && !SLIPPING.includes(move.from) && move.to !== null && SLIPPING.includes(move.to));
    const customers = slid.reduce((sum, move) => sum + move.customers, 0);
    const revenue = slid.reduce((sum, move) => sum + move.monetary, 0);
    expect(customers).toBeGreaterThan(0);
    const fields = digest.blocks.flatMap((block) => (block.type === 'fields' ? block.fields : []));
    expect(fields.find((field) => field.label === "Moved into At Risk or Can't Lose Them")?.raw).toBe(customers);
    expect(fields.find((field) => field.label === 'Their revenue to date')?.raw as number).toBeCloseTo(revenue, 6);
  });

  it('asks the store the very RFM question its rfm answer asked, so one cached scoring serves both', async () => {
    await test.db.exec('DELETE FROM answer_cache');
    await composeDigestAt(parts(), audience, scheduledAt);
    expect(await test.db.query("SELECT count(*)::int AS answers FROM answer_cache WHERE kind = 'rfm_aggregates'")).toEqual([{ answers: 1 }]);
  });
});
