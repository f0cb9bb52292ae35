import { describe, expect, it } from 'vitest';
import { INSERT_BATCH_ROWS, csvOf, insertBatch } from '../../../../src/adapters/store/insert-batch.js';
import { clearData, testDbKind, useTestDb } from '../../../support/db.js';
import { HOUR_MS } from '../../../../src/analytics/time.js';

describe(`insertBatch on ${testDbKind}`, () => {
  const test = useTestDb();

  it('stores text with quotes, commas, braces and newlines, nulls, timestamps and jsonb exactly', async () => {
    await clearData(test.db);
    const details = { added: [{ name: 'Chat "live"', domains: ['a.example', 'b.example'] }], removed: [] };
    await insertBatch(test.db, 'changes', ['at', 'kind', 'ref', 'author', 'summary', 'details'],
      ['timestamptz', 'text', 'text', 'text', 'text', 'jsonb'], [
        [new Date('2026-03-01T14:02:00Z'), 'deploy', 'a"b,c{d}', null, 'line one\nline two \\ end', details],
        ['2026-03-02T09:00:00.000Z', 'tag_manager', 'GTM-X v2', 'anna', null, null],
      ]);
    const rows = await test.db.query('SELECT at, kind, ref, author, summary, details FROM changes ORDER BY at');
    expect(rows).toEqual([
      { at: new Date('2026-03-01T14:02:00Z'), kind: 'deploy', ref: 'a"b,c{d}', author: null, summary: 'line one\nline two \\ end', details },
      { at: new Date('2026-03-02T09:00:00Z'), kind: 'tag_manager', ref: 'GTM-X v2', author: 'anna', summary: null, details: null },
    ]);
  });

  it.runIf(testDbKind === 'pglite')('loads the same rows by COPY on the embedded database, empty strings and NULLs kept apart', async () => {
    await clearData(test.db);
    const details = { added: [{ name: 'Chat "live"', domains: ['a.example'] }], removed: [] };
    const types = ['timestamptz', 'text', 'text', 'text', 'text', 'jsonb'] as const;
    await test.db.copyCsv!('changes', ['at', 'kind', 'ref', 'author', 'summary', 'details'], csvOf(types, [
      [new Date('2026-03-01T14:02:00Z'), 'deploy', 'a"b,c{d}', '', 'line one\nline two \\ end', details],
      ['2026-03-02T09:00:00.000Z', 'tag_manager', 'GTM-X v2', null, null, null],
    ]));
    expect(await test.db.query('SELECT at, kind, ref, author, summary, details FROM changes ORDER BY at')).toEqual([
      { at: new Date('2026-03-01T14:02:00Z'), kind: 'deploy', ref: 'a"b,c{d}', author: '', summary: 'line one\nline two \\ end', details },
      { at: new Date('2026-03-02T09:00:00Z'), kind: 'tag_manager', ref: 'GTM-X v2', author: null, summary: null, details: null },
    ]);
  });

  it('splits more rows than one statement takes and keeps money exact to the cent', async () => {
    await clearData(test.db);
    const rows = Array.from({ length: INSERT_BATCH_ROWS + 5 }, (_, index) => [
      new Date(Date.UTC(2026, 0, 1) + index * HOUR_MS), 'purchase', index % 7]);
    expect(await insertBatch(test.db, 'tracking_events', ['hour', 'event_name', 'count'], ['timestamptz', 'text', 'int8'], rows)).toBe(INSERT_BATCH_ROWS + 5);
    const [events] = await test.db.query('SELECT count(*) AS n, sum(count) AS total FROM tracking_events');
    // 10,005 rows cycling 0..6: 1429 full cycles of sum 21, then 0 and 1.
    expect(events).toEqual({ n: 10_005, total: 1429 * 21 + 1 });
    await insertBatch(test.db, 'spend', ['day', 'channel', 'cost'], ['date', 'text', 'numeric'], [['2026-01-01', 'email', 0.1], ['2026-01-02', 'email', 0.2]]);
    expect(await test.db.query('SELECT sum(cost) AS cost FROM spend')).toEqual([{ cost: 0.3 }]);
  });

  it('applies an ON CONFLICT clause and refuses names that are not plain identifiers', async () => {
    await clearData(test.db);
    const insertDay = (cost: number) => insertBatch(test.db, 'spend', ['day', 'channel', 'cost'], ['date', 'text', 'numeric'],
      [['2026-01-01', 'email', cost]], { onConflict: 'ON CONFLICT (day, channel, campaign) DO UPDATE SET cost = excluded.cost' });
    await insertDay(5);
    await insertDay(7.25);
    expect(await test.db.query('SELECT cost FROM spend')).toEqual([{ cost: 7.25 }]);
    await expect(insertBatch(test.db, 'spend; DROP TABLE spend', ['day'], ['date'], [])).rejects.toThrow(/plain identifier/);
  });
});
