import { beforeEach, describe, expect, it } from 'vitest';
import { attributionQueries } from '../../../src/adapters/store/queries/attribution.js';
import { attribute } from '../../../src/analytics/attribution/attribute.js';
import type { TouchFixture } from '../../support/fixtures.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { queryOf, range } from '../../support/journey-fixtures.js';
import { readPathFixture } from '../../../bench/lib/path-fixture.js';

/**
 * The ChannelAttribution white paper's toy journeys (A>B>A>B>B>A, A>B>B>A>A, A>A, one order each)
 * imported as touches, the way analytics tools deliver them and the way a hand-made CSV might:
 * published credits linear A 2.1, B 0.9 (each touch an equal share: 3/6 + 3/5 + 2/2 for A) and
 * Markov A 2, B 1 (removal effects 1 and 0.5; see test/analytics/attribution/markov.test.ts).
 */
const toyPaths = readPathFixture('channelattribution_whitepaper_toy_paths.csv');
const ORDER_AT_MS = Date.parse('2026-03-20T12:00:00Z');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type TouchTagging = (journey: number, position: number, isConverting: boolean) => Pick<TouchFixture, 'customer' | 'anonymous' | 'order'>;

/** How each touch of a journey is tagged, from "every touch names the order" to "only the converting session does". */
const TAGGINGS: Record<string, TouchTagging> = {
  'every touch carries the customer and the order id': (journey) => ({ customer: `c${journey}`, order: `o${journey}` }),
  'only the signed-in converting session carries the order id, earlier visits only the visitor id': (journey, _position, isConverting) =>
    (isConverting ? { customer: `c${journey}`, anonymous: `v${journey}`, order: `o${journey}` } : { anonymous: `v${journey}` }),
  'only the converting session carries the order id, and no touch the customer id': (journey, _position, isConverting) =>
    ({ anonymous: `v${journey}`, ...(isConverting ? { order: `o${journey}` } : {}) }),
  'every touch is signed in and none carries the order id': (journey) => ({ customer: `c${journey}` }),
  'earlier visits from a second device, signed in once there': (journey, position, isConverting) =>
    (isConverting ? { customer: `c${journey}`, anonymous: `v${journey}`, order: `o${journey}` }
      : position === 0 ? { customer: `c${journey}`, anonymous: `w${journey}` } : { anonymous: `w${journey}` }),
};

/** Touches a day apart, the converting one an hour before the order. */
function toyTouches(tagging: TouchTagging): TouchFixture[] {
  return toyPaths.flatMap((path, journey) => path.channels.map((channel, position) => {
    const isConverting = position === path.channels.length - 1;
    const at = ORDER_AT_MS - HOUR_MS - (path.channels.length - 1 - position) * DAY_MS;
    return { id: `t${journey}-${position}`, at: new Date(at).toISOString(), channel, ...tagging(journey, position, isConverting) };
  }));
}

const creditsOf = (credits: ReturnType<typeof attribute>) => Object.fromEntries(credits.map((credit) => [credit.channel, credit.conversions]));

describe(`the white paper's toy journeys imported as touches on ${testDbKind}`, () => {
  const test = useTestDb();
  const march = range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');

  beforeEach(async () => {
    await clearData(test.db);
    await insertOrders(test.db, toyPaths.map((_, journey) => ({ id: `o${journey}`, customer: `c${journey}`, at: new Date(ORDER_AT_MS).toISOString(), revenue: 10 })));
  });

  for (const [name, tagging] of Object.entries(TAGGINGS)) {
    it(`credits linear A 2.1 B 0.9 and Markov A 2 B 1 when ${name}`, async () => {
      await insertTouchpoints(test.db, toyTouches(tagging));
      // The kept journeys (30-day lookback) and the raw ones for another lookback.
      for (const lookbackDays of [30, 14]) {
        const journeys = await attributionQueries(test.db).journeys(queryOf(march, 'channel', true, lookbackDays));
        expect(journeys.orders).toBe(3);
        expect(journeys.ordersWithoutTouches).toBe(0);
        const linear = creditsOf(attribute('linear', journeys.paths));
        const markov = creditsOf(attribute('markov', journeys.paths));
        expect(linear.A).toBeCloseTo(2.1, 10);
        expect(linear.B).toBeCloseTo(0.9, 10);
        expect(markov.A).toBeCloseTo(2, 10);
        expect(markov.B).toBeCloseTo(1, 10);
      }
    });
  }
});
