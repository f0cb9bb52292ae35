import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { cardSchemaErrors } from './card-schema.js';
import type { QueuedTeams } from './harness.js';
import { cardOf, cardTexts, FIXTURE_CHANNEL, FIXTURE_TENANT, postActivity, startQueuedTeams, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';

const now = new Date('2026-11-20T10:00:00Z');
const THREAD = `${FIXTURE_CHANNEL};messageid=1571539665896`;
const PERSONAL = 'a:1VF4K2uXl-hg-wn2SSWJZYK7Cqox93Xp82wekVXkbOSaJo1L8hynrdocgKu3ydRKxx6P5_u9d8yFcLjugHuhCQ7xmn25K18NfzjiKSskzi5OX0bbe2nRrNJorygvjUL4v';

describe(`Teams /api/messages on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  let queued: QueuedTeams;
  let teams: QueuedTeams['teams'];
  const log = recordingLogger();

  beforeAll(async () => {
    connector = await startStandInConnector();
    queued = await startQueuedTeams({ db: test.db, now, log });
    teams = queued.teams;
  });
  afterAll(async () => {
    await queued.stop();
    await connector.close();
  });
  afterEach(async () => {
    connector.calls.length = 0;
    log.lines.length = 0;
    await test.db.query('DELETE FROM conversation_refs');
  });

  async function storedRef(channelId: string) {
    const [row] = await test.db.query<{ reference: Record<string, unknown> }>(
      "SELECT reference FROM conversation_refs WHERE platform = 'teams' AND channel_id = $1", [channelId]);
    return row?.reference;
  }

  it('answers "@bot thumbnail" in a channel thread with the mention stripped, in the thread, as a valid 1.5 card', async () => {
    const activity = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const response = await postActivity(teams.port, activity);
    expect(response.status).toBe(200);
    await queued.drain();
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /v3/conversations/${THREAD}/activities/1571539665896`]);
    const card = cardOf(connector.calls[0]);
    expect(cardSchemaErrors(card)).toEqual([]);
    // "thumbnail" is not a command: the answer quotes the word without the <at>…</at> mention.
    expect(cardTexts(card)).toContain('I don\'t know the command "thumbnail".');
    expect(JSON.stringify(card)).not.toContain('My Combined');
  });

  it('remembers the channel (without the thread suffix) and the serviceUrl of the latest activity', async () => {
    const activity = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const movedServiceUrl = connector.serviceUrl.replace('/amer/', '/emea/');
    await postActivity(teams.port, { ...activity, serviceUrl: movedServiceUrl, text: '<at>My Combined</at>help' });
    expect((await storedRef(FIXTURE_CHANNEL))?.serviceUrl).toBe(movedServiceUrl);
    await postActivity(teams.port, { ...activity, text: '<at>My Combined</at>help' });
    expect(await storedRef(FIXTURE_CHANNEL)).toEqual({
      serviceUrl: connector.serviceUrl, tenantId: FIXTURE_TENANT, conversationId: FIXTURE_CHANNEL,
      conversationType: 'channel', botId: '28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a', teamId: FIXTURE_CHANNEL,
    });
  });

  it('answers a personal message through the same command layer', async () => {
    const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    await postActivity(teams.port, { ...activity, text: 'help kpi' });
    await queued.drain();
    // A chat has no threads: the queued answer goes straight to the conversation.
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /v3/conversations/${PERSONAL}/activities`]);
    const card = cardOf(connector.calls[0]);
    expect(cardSchemaErrors(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('kpi');
  });

  it('answers in the language of the asker\'s Teams client where the channel has none configured, naming who asked', async () => {
    const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    await postActivity(teams.port, { ...activity, locale: 'it-IT', text: 'kpi ieri' });
    await queued.drain();
    const card = cardOf(connector.calls[0]);
    expect(cardTexts(card)).toContain('Chiesto da <at>Tien Suwandy</at>: kpi ieri');
    expect(card.msteams).toEqual({ width: 'Full', entities: [{ type: 'mention', text: '<at>Tien Suwandy</at>', mentioned: { id: (activity.from as { id: string }).id, name: 'Tien Suwandy' } }] });
    expect(cardSchemaErrors(card)).toEqual([]);
  });

  it('stores a conversation reference when installed in a team and posts nothing', async () => {
    const install = await teamsFixture('activity_conversationUpdate_teamMemberAdded.json', connector.serviceUrl);
    const response = await postActivity(teams.port, install);
    expect(response.status).toBe(200);
    expect(connector.calls).toEqual([]);
    expect(await storedRef(FIXTURE_CHANNEL)).toMatchObject({ serviceUrl: connector.serviceUrl, conversationType: 'channel', tenantId: FIXTURE_TENANT });
  });

  it('stores a group chat when added to it, and a personal chat on installationUpdate', async () => {
    await postActivity(teams.port, await teamsFixture('activity_conversationUpdate_groupChat.json', connector.serviceUrl));
    expect(await storedRef('19:444d246d19234aab86db1a0cb3d13cb8@thread.v2')).toMatchObject({ conversationType: 'groupChat', tenantId: FIXTURE_TENANT });
    const personal = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    await postActivity(teams.port, { ...personal, type: 'installationUpdate', action: 'add', text: undefined });
    expect(await storedRef(PERSONAL)).toMatchObject({ conversationType: 'personal', serviceUrl: connector.serviceUrl });
    expect(connector.calls).toEqual([]);
  });

  it('runs an Action.Execute button: the clicker gets the new card at once, everyone else through the queue', async () => {
    const message = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const invoke = {
      ...message, type: 'invoke', name: 'adaptiveCard/action', id: 'f:invoke-1', text: undefined, entities: undefined, attachments: undefined,
      replyToId: '1:root-card',
      value: { action: { type: 'Action.Execute', verb: 'help.topic', data: { command: 'help kpi' } }, trigger: 'manual' },
    };
    const response = await postActivity(teams.port, invoke);
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as { statusCode: number; type: string; value: unknown };
    expect(answer.statusCode).toBe(200);
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardSchemaErrors(answer.value)).toEqual([]);
    expect(connector.calls).toEqual([]);
    await queued.drain();
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`PUT /v3/conversations/${THREAD}/activities/1:root-card`]);
    expect(cardOf(connector.calls[0])).toEqual(answer.value);
  });

  it('answers a button whose command fails only to the person who clicked, leaving the card alone', async () => {
    const message = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const invoke = {
      ...message, type: 'invoke', name: 'adaptiveCard/action', text: undefined, replyToId: '1:root-card',
      value: { action: { type: 'Action.Execute', verb: 'incident.ack', data: { command: 'incident ack 42' } } },
    };
    const response = await postActivity(teams.port, invoke);
    const answer = JSON.parse(response.text) as { statusCode: number; type: string; value: unknown };
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    // Incident 42 does not exist, so the acknowledgement fails and only the clicker hears why.
    expect(answer.value).toMatch(/^There is no incident 42\./);
    await queued.drain();
    expect(connector.calls).toEqual([]);
  });

  it('runs the Action.Submit fallback as a message and updates the card it came from', async () => {
    const message = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    await postActivity(teams.port, { ...message, text: undefined, replyToId: '1:card', value: { verb: 'help.topic', command: 'help kpi' } });
    await queued.drain();
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`PUT /v3/conversations/${PERSONAL}/activities/1:card`]);
    expect(cardSchemaErrors(cardOf(connector.calls[0]))).toEqual([]);
  });

  it('answers an over-long message with the parser\'s length problem', async () => {
    const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    await postActivity(teams.port, { ...activity, text: `kpi ${'x'.repeat(5000)}` });
    await queued.drain();
    expect(cardTexts(cardOf(connector.calls[0])).some((text) => text.startsWith('That message is too long for a command'))).toBe(true);
  });

  it('answers a body that is not an activity with 400 JSON, and logs it once', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await postActivity(teams.port, { hello: 'world' });
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/json');
    }
    expect(log.lines.filter((line) => line.message === 'teams: request body is not an activity')).toHaveLength(1);
  });

  it('refuses malformed JSON and oversized bodies with JSON, not an HTML page', async () => {
    const broken = await postActivity(teams.port, '{"type": "message",');
    expect(broken.status).toBe(400);
    expect(broken.contentType).toContain('application/json');
    const huge = await postActivity(teams.port, { type: 'message', text: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.contentType).toContain('application/json');
  });

  it('ignores unknown activity types and activities missing fields, logging each kind once', async () => {
    const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    for (let i = 0; i < 2; i++) {
      expect((await postActivity(teams.port, { ...activity, type: 'somethingNew' })).status).toBeLessThan(500);
      expect((await postActivity(teams.port, { ...activity, from: { name: 'no id' } })).status).toBeLessThan(500);
    }
    expect(connector.calls).toEqual([]);
    expect(log.lines.filter((line) => line.message === 'teams: activity type not handled, ignored')).toHaveLength(1);
    expect(log.lines.filter((line) => line.message === 'teams: activity ignored, fields missing')).toHaveLength(1);
  });
});
