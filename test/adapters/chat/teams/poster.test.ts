import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTeams } from '../../../../src/adapters/chat/teams/index.js';
import { createTeamsPoster, startTeams } from '../../../../src/adapters/chat/teams/index.js';
import type { ChatPoster } from '../../../../src/bot/outbound.js';
import { reply } from '../../../../src/bot/reply.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { cardSchemaErrors } from './card-schema.js';
import { anonymousDevConfig, cardOf, cardTexts, FIXTURE_CHANNEL, FIXTURE_TENANT, postActivity, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';

const now = new Date('2026-11-20T10:00:00Z');
const PERSONAL = 'a:1VF4K2uXl-hg-wn2SSWJZYK7Cqox93Xp82wekVXkbOSaJo1L8hynrdocgKu3ydRKxx6P5_u9d8yFcLjugHuhCQ7xmn25K18NfzjiKSskzi5OX0bbe2nRrNJorygvjUL4v';

const incident = reply({
  title: 'Incident 42: purchase events below baseline', summary: 'Purchases fell 60% below the usual Tuesday 10:00.',
  actions: [
    { id: 'incident.ack', label: 'Acknowledge', command: 'incident ack 42', style: 'primary' },
    { id: 'incident.resolve', label: 'Resolve', command: 'incident resolve 42' },
  ],
});

describe(`Teams proactive poster on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  let teams: RunningTeams;
  let poster: ChatPoster;

  beforeAll(async () => {
    connector = await startStandInConnector();
    const bot = createTestBot(test.db, { now });
    const log = recordingLogger();
    teams = await startTeams(anonymousDevConfig, { bot, db: test.db, log, port: 0, outbox: { kick: () => undefined } });
    poster = createTeamsPoster(anonymousDevConfig, { bot, db: test.db, log, clock: () => now });
    // The bot learns where the channel and the personal chat are the way it does in production.
    await postActivity(teams.port, await teamsFixture('activity_conversationUpdate_teamMemberAdded.json', connector.serviceUrl));
    await postActivity(teams.port, { ...(await teamsFixture('activity_message_personal.json', connector.serviceUrl)), text: 'help' });
    connector.calls.length = 0;
  });
  afterAll(async () => {
    await teams.stop();
    await connector.close();
  });
  afterEach(() => {
    connector.calls.length = 0;
  });

  it('starts a new channel thread for a root post, replies into it, and updates the root card', async () => {
    const root = await poster.post({ channelId: FIXTURE_CHANNEL }, incident);
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v3/conversations']);
    expect(connector.calls[0]?.body).toMatchObject({ isGroup: true, channelData: { channel: { id: FIXTURE_CHANNEL }, tenant: { id: FIXTURE_TENANT } } });
    expect(cardSchemaErrors(cardOf(connector.calls[0]))).toEqual([]);
    if (!root.ok) throw new Error(root.problem.message);
    const rootId = root.value.messageId;
    const thread = `${FIXTURE_CHANNEL};messageid=${rootId}`;
    expect(root.value).toEqual({ messageId: rootId, threadId: rootId, conversationId: thread });

    // As the delivery queue calls it: the thread's conversation as channel, the root id as thread.
    const replied = await poster.post({ channelId: thread, threadId: rootId }, reply({ title: 'Update', summary: 'Still below baseline after 2 hours.' }));
    expect(replied.ok).toBe(true);
    expect(`${connector.calls[1]?.method} ${connector.calls[1]?.path}`).toBe(`POST /v3/conversations/${thread}/activities/${rootId}`);
    expect(cardTexts(cardOf(connector.calls[1]))).toContain('Still below baseline after 2 hours.');

    const acknowledged = { ...incident, summary: 'Acknowledged by Dave.', actions: [] };
    expect(await poster.update({ channelId: thread, messageId: rootId }, acknowledged)).toEqual({ ok: true, value: undefined });
    expect(`${connector.calls[2]?.method} ${connector.calls[2]?.path}`).toBe(`PUT /v3/conversations/${thread}/activities/${rootId}`);
    expect(cardTexts(cardOf(connector.calls[2]))).toContain('Acknowledged by Dave.');
  });

  it('posts into a personal chat directly, without a thread', async () => {
    const posted = await poster.post({ channelId: PERSONAL }, reply({ title: 'Weekly digest', summary: 'Revenue +4%.' }));
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /v3/conversations/${PERSONAL}/activities`]);
    expect(posted).toMatchObject({ ok: true, value: { conversationId: PERSONAL } });
  });

  it('reports a 429 as rate_limited with the Retry-After seconds, after one attempt', async () => {
    connector.answerNext({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'Throttled' } } });
    const posted = await poster.post({ channelId: FIXTURE_CHANNEL }, incident);
    expect(posted).toMatchObject({ ok: false, problem: { kind: 'rate_limited', retryAfterS: 7 } });
    expect(connector.calls).toHaveLength(1);
  });

  it('reports 502 as transient and 403 as permanent', async () => {
    connector.answerNext({ status: 502, body: {} });
    expect(await poster.post({ channelId: FIXTURE_CHANNEL }, incident)).toMatchObject({ ok: false, problem: { kind: 'transient' } });
    connector.answerNext({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
    const forbidden = await poster.post({ channelId: FIXTURE_CHANNEL }, incident);
    expect(forbidden).toMatchObject({ ok: false, problem: { kind: 'permanent' } });
    expect(forbidden.ok ? '' : forbidden.problem.message).toContain('BotNotInConversationRoster');
    expect(connector.calls).toHaveLength(2);
  });

  it('posts to a team channel nobody mentioned it in through the reference of a team channel it knows (DEV_CHANNEL=teams:<channel>)', async () => {
    const other = '19:a1b2c3d4e5f60718293a4b5c6d7e8f90@thread.tacv2';
    const posted = await poster.post({ channelId: other }, incident);
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v3/conversations']);
    expect(connector.calls[0]?.body).toMatchObject({ isGroup: true, channelData: { channel: { id: other }, tenant: { id: FIXTURE_TENANT } } });
    expect(posted).toMatchObject({ ok: true, value: { conversationId: expect.stringMatching(new RegExp(`^${other.replace(/[.]/g, '\\.')};messageid=`)) } });
  });

  it('reports a chat it was never added to as permanent without calling Teams', async () => {
    const posted = await poster.post({ channelId: '19:never-seen-chat@thread.v2' }, incident);
    expect(posted).toMatchObject({ ok: false, problem: { kind: 'permanent' } });
    expect(connector.calls).toEqual([]);
  });
});
