import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import type { RfmSegmentMap } from '../../src/analytics/rfm-segments.js';
import type { JobContext } from '../../src/jobs/job.js';
import { jobs } from '../../src/jobs/registry.js';
import { runJob } from '../../src/jobs/run-job.js';
import { warmAnswersJob } from '../../src/jobs/warm-answers-job.js';
import { ask, createTestBot } from '../support/bot.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { seedSmallShop } from '../support/small-shop.js';
import { testJobContext } from './job-context.js';

const TIME_ZONE = 'Europe/Rome';
/** The small shop's "now" (2026-11-26T09:00Z), when a person asks. */
const PERSON_ASKS = new Date('2026-11-26T09:00:00Z');

/**
 * Every cached answer and fit, with the transaction that last wrote it (xmin): unchanged means nothing
 * was computed again. Not computed_at: now() stands still inside a test's transaction.
 */
const caches = async (db: Db) => ({
  answers: await db.query(`SELECT kind, key, data_version, xmin::text AS written_by FROM answer_cache ORDER BY kind, key`),
  models: await db.query(`SELECT model, as_of, data_version, xmin::text AS written_by FROM model_cache ORDER BY model, as_of`),
});

describe(`the warm-answers job on ${testDbKind}`, () => {
  const test = useTestDb();
  let context: JobContext;
  const warm = (asOf: string, on: JobContext = context) => runJob(warmAnswersJob, on, { asOf: new Date(asOf), holder: 'test', now: () => new Date(asOf) });
  /** A person in Rome asking rfm and churn with no arguments: each must be an answer, not a problem. */
  async function personAsks(at: Date, rfmSegmentMap?: RfmSegmentMap) {
    const bot = createTestBot(test.db, { now: at, settings: { timeZone: TIME_ZONE, ...(rfmSegmentMap ? { rfmSegmentMap } : {}) } });
    const replies = [await ask(bot, 'rfm'), await ask(bot, 'churn')];
    for (const reply of replies) expect(reply.problem, reply.summary).toBeUndefined();
    return replies;
  }

  beforeAll(async () => {
    await seedSmallShop(test.db);
    context = testJobContext(test.db, { timeZone: TIME_ZONE });
  });

  it('runs from the scheduler', () => {
    expect(jobs).toContain(warmAnswersJob);
  });

  it('leaves the answers a person asks for first cached, equal to answers computed on the spot', async () => {
    // 09:02 in Rome, the same UTC and local day as the person's question at 10:00 Rome time.
    expect(await warm('2026-11-26T08:02:00Z')).toEqual({ kind: 'ran', periodKey: '2026-11-26T08:00Z', outcome: 'ok', summary: '3 rfm and churn answers computed' });
    const warmed = await caches(test.db);
    expect(warmed.answers.map((row) => row.kind)).toEqual(['churn_population', 'churn_ranking', 'rfm_aggregates']);
    expect(warmed.models).toHaveLength(1);

    const served = await personAsks(PERSON_ASKS);
    expect(await caches(test.db)).toEqual(warmed);

    await test.db.exec('DELETE FROM answer_cache; DELETE FROM model_cache');
    expect(await personAsks(PERSON_ASKS)).toEqual(served);
  });

  it('skips when nothing changed, and computes again after an order arrives', async () => {
    expect(await warm('2026-11-26T08:02:00Z')).toMatchObject({ outcome: 'ok', summary: '3 rfm and churn answers computed' });
    expect(await warm('2026-11-26T08:17:00Z')).toMatchObject({ outcome: 'skipped', summary: 'rfm and churn answers were already cached' });
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('late', 'c1', '2026-11-25T15:00:00Z', 80)`);
    expect(await warm('2026-11-26T08:32:00Z')).toMatchObject({ outcome: 'ok', summary: '3 rfm and churn answers computed' });
    const warmed = await caches(test.db);
    await personAsks(PERSON_ASKS);
    expect(await caches(test.db)).toEqual(warmed);
  });

  it('warms the new day just after midnight UTC, when the default as-of day changes', async () => {
    expect(await warm('2026-11-26T08:02:00Z')).toMatchObject({ outcome: 'ok', summary: '3 rfm and churn answers computed' });
    // 01:02 in Rome: local midnight came an hour earlier; the UTC day, which churn and rfm measure to, now.
    expect(await warm('2026-11-27T00:02:00Z')).toMatchObject({ outcome: 'ok', summary: '3 rfm and churn answers computed' });
    const warmed = await caches(test.db);
    await personAsks(new Date('2026-11-27T09:00:00Z'));
    expect(await caches(test.db)).toEqual(warmed);
  });

  describe('with a segment map of its own (RFM_SEGMENT_MAP)', () => {
    const halves: RfmSegmentMap = {
      segments: [
        { id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] },
        { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
      ],
    };

    it('warms the answers of the bot\'s map, which a person asking with it is served', async () => {
      const custom = testJobContext(test.db, { timeZone: TIME_ZONE, settings: { rfmSegmentMap: halves } });
      // The default map's answers of the day are warm: the population is shared, the rest depends on the map.
      expect(await warm('2026-11-27T00:02:00Z')).toMatchObject({ outcome: 'ok', summary: '3 rfm and churn answers computed' });
      expect(await warm('2026-11-27T00:17:00Z', custom)).toMatchObject({ outcome: 'ok', summary: '2 rfm and churn answers computed' });
      const warmed = await caches(test.db);
      await personAsks(new Date('2026-11-27T09:00:00Z'), halves);
      expect(await caches(test.db)).toEqual(warmed);
    });
  });
});
