import { beforeAll, describe, expect, it } from 'vitest';
import { ask, createTestBot, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';

// Today is 2026-11-26, so the default "last 14d" is 2026-11-12..2026-11-25.
const now = new Date('2026-11-26T09:00:00Z');

const CHANGES = [
  ['2026-11-25T10:00:00Z', 'deploy', 'abc1234', 'maria.keller', 'Checkout: clearer error on declined cards', 'https://git.example/shop/commit/abc1234'],
  ['2026-11-24T09:00:00Z', 'tag_manager', 'GTM-9001 v42', 'anna.vogel', 'Updated consent mode defaults', 'https://tagmanager.example/versions/42'],
  ['2026-11-21T08:00:00Z', 'campaign', 'black_friday', 'marc.dubois', 'Black Friday launch', null],
  ['2026-11-20T15:00:00Z', 'deploy', 'def5678', null, 'Bump payment SDK to 4.2', null],
  // outside the last 14 days
  ['2026-11-10T12:00:00Z', 'deploy', '0a0b0c0', 'tom.richter', 'Footer: legal links update', null],
  ['2026-11-01T12:00:00Z', 'config', 'feature-flag-reviews', 'lea.moreau', 'Reviews widget on', null],
] as const;

describe(`changes on ${testDbKind}`, () => {
  const test = useTestDb();
  const bot = () => createTestBot(test.db, { now });

  beforeAll(async () => {
    await clearData(test.db);
    for (const [at, kind, ref, author, summary, url] of CHANGES) {
      await test.db.query('INSERT INTO changes (at, kind, ref, author, summary, url) VALUES ($1, $2, $3, $4, $5, $6)', [at, kind, ref, author, summary, url]);
    }
  });

  it('lists the last 14 days newest first, with counts by kind and the latest of each', async () => {
    const answer = await ask(bot(), 'changes');
    expect(answer.problem).toBeUndefined();
    const table = tableOf(answer);
    expect(table.rows.map((row) => row[2]?.raw)).toEqual(['abc1234', 'GTM-9001 v42', 'black_friday', 'def5678']);
    expect(table.rows[0]?.map((cell) => cell.text)).toEqual([
      '25 Nov 2026, 10:00', 'deploy', 'abc1234', 'maria.keller', 'Checkout: clearer error on declined cards', 'https://git.example/shop/commit/abc1234',
    ]);
    expect(table.rows[3]?.[3]?.text).toBe('n/a');
    expect(answer.summary).toBe('2 deploys, 1 tag-manager publish and 1 campaign launch. Latest: '
      + 'deploy abc1234 on 25 Nov 2026, 10:00 by maria.keller; tag-manager publish GTM-9001 v42 on 24 Nov 2026, 09:00 by anna.vogel; '
      + 'campaign launch black_friday on 21 Nov 2026, 08:00 by marc.dubois.');
  });

  it('filters by kind: "changes deploys last 30d" shows the three deploys since 2026-10-27', async () => {
    const answer = await ask(bot(), 'changes deploys last 30d');
    expect(tableOf(answer).rows.map((row) => row[2]?.raw)).toEqual(['abc1234', 'def5678', '0a0b0c0']);
    expect(answer.summary).toMatch(/^3 deploys\. Latest: deploy abc1234/);
  });

  it('understands gtm and tag-manager as tag-manager publishes, and combines filters', async () => {
    expect(tableOf(await ask(bot(), 'changes gtm')).rows).toHaveLength(1);
    expect(tableOf(await ask(bot(), 'changes tag-manager last 7d')).rows).toHaveLength(1);
    const both = await ask(bot(), 'changes campaigns config last 30d');
    expect(tableOf(both).rows.map((row) => row[1]?.raw)).toEqual(['campaign', 'config']);
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'modifiche deploy');
    expect(answer.summary).toBe('2 deploy. Le più recenti: deploy abc1234 il 25 nov 2026, 10:00 di maria.keller.');
    expect(tableOf(answer).columns.map((column) => column.label)).toEqual(['Quando', 'Tipo', 'Riferimento', 'Autore', 'Descrizione', 'Link']);
  });

  it('says nothing was recorded instead of showing an empty table', async () => {
    const answer = await ask(bot(), 'changes config last 7d');
    expect(answer.problem).toBe('no_data');
    expect(answer.summary).toBe('No config changes recorded between 19 Nov 2026 and 25 Nov 2026. Deploys arrive through the deploy webhook, '
      + 'tag-manager publishes from GTM; try a longer period, e.g. `changes last 90d`.');
  });

  it.each([
    ['changes banana', /"banana" is not a kind of change. Filter with `deploys`, `tag`/],
    ['changes last 7x', /"last 7x" is not a period I understand/],
    ['changes deploys yesterdayy', /"yesterdayy" is not a kind of change/],
  ])('answers the malformed "%s" with a helpful error', async (text, message) => {
    const answer = await ask(bot(), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toMatch(message);
  });
});
