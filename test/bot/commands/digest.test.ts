import { beforeEach, describe, expect, it } from 'vitest';
import { ask, createTestBot, tableOf } from '../../support/bot.js';
import { testDbKind, useTestDb } from '../../support/db.js';

// Thursday 26 Nov 2026: a Monday slot has passed this week, so the first digest comes next Monday.
const now = new Date('2026-11-26T09:00:00Z');
const inSlack = { platform: 'slack' as const, channelId: 'C0MARKETING', userId: 'U0MANAGER' };

describe(`digest subscriptions on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE subscriptions RESTART IDENTITY CASCADE');
  });

  it('subscribes the asking channel, in its own time zone, and says when the first digest comes', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'digest subscribe weekly mon 09:00 Europe/Rome', inSlack);
    expect(answer.problem).toBeUndefined();
    // Monday 30 Nov 2026 09:00 in Rome (CET) is 08:00 UTC, shown in Rome's time.
    expect(answer.summary).toBe('This channel gets the weekly digest every Monday at 09:00 (Europe/Rome). The first one comes on 30 Nov 2026, 09:00.');
    expect(await test.db.query('SELECT platform, channel_id, owner, weekday, local_time, time_zone, locale FROM subscriptions')).toEqual([
      { platform: 'slack', channel_id: 'C0MARKETING', owner: 'U0MANAGER', weekday: 1, local_time: '09:00', time_zone: 'Europe/Rome', locale: 'en' },
    ]);
  });

  it('reschedules rather than duplicates when the channel subscribes again, and lists it', async () => {
    const bot = createTestBot(test.db, { now });
    await ask(bot, 'digest subscribe weekly mon 09:00 Europe/Rome', inSlack);
    await ask(bot, 'digest subscribe weekly fri 17:30', inSlack);
    const listed = await ask(bot, 'digest list', inSlack);
    expect(listed.summary).toBe('The weekly digest goes to 1 channel.');
    expect(tableOf(listed).rows.map((row) => row.map((cell) => cell.text))).toEqual([['slack:C0MARKETING', 'Friday 17:30', 'UTC', 'not yet']]);
  });

  it('unsubscribes the channel, and says so when there is nothing to cancel', async () => {
    const bot = createTestBot(test.db, { now });
    await ask(bot, 'digest subscribe weekly mon 09:00', inSlack);
    expect((await ask(bot, 'digest unsubscribe', inSlack)).summary).toBe('This channel will no longer get the weekly digest.');
    expect(await test.db.query('SELECT id FROM subscriptions')).toEqual([]);
    const again = await ask(bot, 'digest unsubscribe', inSlack);
    expect(again.problem).toBe('no_data');
    expect((await ask(bot, 'digest list', inSlack)).summary).toContain('No channel gets the weekly digest yet');
  });

  it.each([
    ['digest subscribe weekly funday 09:00', '"funday" is not a day of the week. Use mon, tue, wed, thu, fri, sat or sun (or lun … dom).'],
    ['digest subscribe weekly mon 25:00', '"25:00" is not a time of day. Use 24-hour HH:MM, for example 09:00 or 17:30.'],
    ['digest subscribe weekly mon 9am', '"9am" is not a time of day. Use 24-hour HH:MM, for example 09:00 or 17:30.'],
    ['digest subscribe weekly mon 09:00 Europe/Atlantis', '"europe/atlantis" is not a time zone I know. Use an IANA name like Europe/Rome, Europe/London or America/New_York.'],
    ['digest subscribe weekly', 'Say when to post it, for example `digest subscribe weekly mon 09:00 Europe/Rome`.'],
    ['digest', 'Say what to do with the digest: `digest preview`, `digest subscribe weekly mon 09:00 Europe/Rome`, `digest list` or `digest unsubscribe`.'],
  ])('answers "%s" with what was wrong and stores nothing', async (text, message) => {
    const answer = await ask(createTestBot(test.db, { now }), text, inSlack);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary).toBe(message);
    expect(await test.db.query('SELECT id FROM subscriptions')).toEqual([]);
  });

  it('understands Italian day names and answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'riepilogo iscrivi settimanale lun 08:30', inSlack);
    expect(answer.summary).toBe('Questo canale riceve il riepilogo settimanale ogni lunedì alle 08:30 (UTC). Il primo arriva il 30 nov 2026, 08:30.');
    expect(await test.db.query('SELECT weekday, locale FROM subscriptions')).toEqual([{ weekday: 1, locale: 'it' }]);
  });

  it('previews the digest of the seven days before today, with a note for each section without data', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'digest preview', inSlack);
    expect(answer.problem).toBeUndefined();
    expect(answer.title).toBe('Weekly digest, 19 Nov 2026 – 25 Nov 2026');
    const texts = answer.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : []));
    expect(texts[0]).toBe('KPIs');
    expect(answer.summary).toMatch(/^Not available: No orders between 19 Nov 2026 and 25 Nov 2026/);
    expect(texts).toContain('Incidents: No incidents this week.');
  });
});
