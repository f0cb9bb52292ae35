import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertIncident, insertIncidentEvent, updateIncident } from '../../../../src/adapters/store/queries/incidents.js';
import { enqueuePost } from '../../../../src/adapters/store/queries/outbox.js';
import { reply } from '../../../../src/bot/reply.js';
import { recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { cardSchemaErrors } from './card-schema.js';
import type { ActivityJson, QueuedTeams } from './harness.js';
import { cardOf, cardTexts, FIXTURE_CHANNEL, postActivity, startQueuedTeams, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';

const now = new Date('2026-11-20T10:00:00Z');
const THREAD = `${FIXTURE_CHANNEL};messageid=1571539665896`;
const PERSONAL = 'a:1VF4K2uXl-hg-wn2SSWJZYK7Cqox93Xp82wekVXkbOSaJo1L8hynrdocgKu3ydRKxx6P5_u9d8yFcLjugHuhCQ7xmn25K18NfzjiKSskzi5OX0bbe2nRrNJorygvjUL4v';
const BOT_ID = '28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a';

const describeCall = (call: { method: string; path: string }) => `${call.method} ${call.path}`;
const bodyType = (call: { body: unknown } | undefined) => (call?.body as { type?: string } | undefined)?.type;

describe(`Teams answers through the delivery queue on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  /** Clicks answered within their budget (the default, 60 s in tests). */
  let queued: QueuedTeams;
  /** Every click answered at once with a note, its work done after; answers slower than 0 ms show typing. */
  let eager: QueuedTeams;
  const log = recordingLogger();

  beforeAll(async () => {
    connector = await startStandInConnector();
    queued = await startQueuedTeams({ db: test.db, now, log });
    eager = await startQueuedTeams({ db: test.db, now, log, typingAfterMs: 0, invokeAnswerWithinMs: 0 });
  });
  afterAll(async () => {
    await queued.stop();
    await eager.stop();
    await connector.close();
  });
  afterEach(() => {
    connector.calls.length = 0;
    log.lines.length = 0;
    queued.clock.ms = now.getTime();
    eager.clock.ms = now.getTime();
  });

  const threadMessage = async (text: string, id = '1571539665896'): Promise<ActivityJson> =>
    ({ ...(await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl)), id, text: `<at>My Combined</at>${text}` });
  const personalMessage = async (text: string, id = '1571691217375'): Promise<ActivityJson> =>
    ({ ...(await teamsFixture('activity_message_personal.json', connector.serviceUrl)), id, text });

  it('delivers an answer the connector throttled at its Retry-After, logging the 429, and never says "Something went wrong"', async () => {
    connector.answerNext({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'Throttled', message: 'Too many requests' } } });
    expect((await postActivity(queued.teams.port, await threadMessage('help'))).status).toBe(200);
    await queued.drain();
    expect(connector.calls.map(describeCall)).toEqual([`POST /v3/conversations/${THREAD}/activities/1571539665896`, `POST /v3/conversations/${THREAD}/activities/1571539665896`]);
    expect(cardTexts(cardOf(connector.calls[1]))).toContain('What I can do');
    const [row] = await test.db.query<{ status: string; attempts: number; delivered_at: Date }>("SELECT status, attempts, delivered_at FROM outbox WHERE platform = 'teams'");
    // Sent again when the simulated clock reached Retry-After, not before.
    expect(row).toEqual({ status: 'delivered', attempts: 2, delivered_at: new Date(now.getTime() + 7_000) });
    expect(log.lines.find((line) => line.message === 'delivery: the platform answered with an error')?.details).toMatchObject({ platform: 'teams', status: 429, retryAfterS: 7 });
    expect(JSON.stringify(connector.calls)).not.toContain('Something went wrong');
  });

  it('sends an answer the connector found too large (413) again in a smaller form', async () => {
    connector.answerNext({ status: 413, body: { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } } });
    await postActivity(queued.teams.port, await personalMessage('help'));
    await queued.drain();
    expect(connector.calls.map(describeCall)).toEqual([`POST /v3/conversations/${PERSONAL}/activities`, `POST /v3/conversations/${PERSONAL}/activities`]);
    expect(cardSchemaErrors(cardOf(connector.calls[1]))).toEqual([]);
    const [row] = await test.db.query<{ status: string; reduced_steps: number }>("SELECT status, reduced_steps FROM outbox WHERE platform = 'teams'");
    expect(row).toEqual({ status: 'delivered', reduced_steps: 1 });
  });

  it('answers an activity Teams delivered twice once', async () => {
    const message = await personalMessage('help kpi', 'redelivered-1');
    expect((await postActivity(queued.teams.port, message)).status).toBe(200);
    expect((await postActivity(queued.teams.port, message)).status).toBe(200);
    await queued.drain();
    expect(connector.calls.map(describeCall)).toEqual([`POST /v3/conversations/${PERSONAL}/activities`]);
  });

  it('shows the bot typing while an answer takes longer than its threshold, then answers', async () => {
    await postActivity(eager.teams.port, await threadMessage('help', 'typing-1'));
    await eager.drain();
    expect(bodyType(connector.calls[0])).toBe('typing');
    expect(describeCall(connector.calls[0]!)).toBe(`POST /v3/conversations/${THREAD}/activities/typing-1`);
    const answer = connector.calls.at(-1);
    expect(bodyType(answer)).toBe('message');
    expect(cardTexts(cardOf(answer))).toContain('What I can do');
  });

  it('answers a click at once with "Working on it…" and updates the card for everyone when the work is done', async () => {
    const message = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const invoke = {
      ...message, type: 'invoke', name: 'adaptiveCard/action', id: 'f:invoke-late', text: undefined, replyToId: '1:card',
      value: { action: { type: 'Action.Execute', verb: 'help.topic', data: { command: 'help kpi' } }, trigger: 'manual' },
    };
    const response = await postActivity(eager.teams.port, invoke);
    expect(JSON.parse(response.text)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Working on it…' });
    await eager.drain();
    expect(connector.calls.map(describeCall)).toEqual([`PUT /v3/conversations/${THREAD}/activities/1:card`]);
    expect(JSON.stringify(cardOf(connector.calls[0]))).toContain('kpi');
  });

  it('acknowledging from the incident card updates that card in place with its full content and names the actor in the thread', async () => {
    await postActivity(queued.teams.port, await teamsFixture('activity_conversationUpdate_teamMemberAdded.json', connector.serviceUrl));
    const incidentId = await insertIncident(test.db, {
      signal: 'tracking', target: 'purchase', severity: 'critical', title: 'Tracking: "purchase" events are going missing', ownerTeam: 'dev',
      openedAt: new Date('2026-11-20T08:00:00Z'), breachStartedAt: new Date('2026-11-20T07:00:00Z'),
      evidence: { findings: [{ metric: 'capture_rate', subject: 'purchase', level: 'breach', observed: 0, expected: 0.9, unit: 'ratio' }], series: null, isFieldConfirmed: null },
      causes: [],
    });
    await insertIncidentEvent(test.db, incidentId, { at: new Date('2026-11-20T08:00:00Z'), kind: 'opened', actor: 'monitor', details: null });
    const rootRow = await enqueuePost(test.db, {
      dedupeKey: `incident:${incidentId}:root`, platform: 'teams', channelId: FIXTURE_CHANNEL,
      reply: reply({ title: 'Tracking: "purchase" events are going missing', summary: 'Open.', actions: [{ id: 'incident.ack', label: 'Acknowledge', command: `incident ack ${incidentId}`, style: 'primary' }] }),
    });
    await updateIncident(test.db, incidentId, { rootOutboxId: rootRow });
    await queued.drain();
    const [root] = await test.db.query<{ message_id: string; conversation_id: string }>('SELECT message_id, conversation_id FROM outbox WHERE id = $1', [rootRow]);
    connector.calls.length = 0;

    const message = await teamsFixture('activity_message_channel_thread_with_mention.json', connector.serviceUrl);
    const invoke = {
      ...message, type: 'invoke', name: 'adaptiveCard/action', id: 'f:ack-1', text: undefined, replyToId: root!.message_id,
      conversation: { ...(message.conversation as object), id: root!.conversation_id },
      value: { action: { type: 'Action.Execute', verb: 'incident.ack', data: { command: `incident ack ${incidentId}` } }, trigger: 'manual' },
    };
    const response = await postActivity(queued.teams.port, invoke);
    // The clicker is told; the shared card is left to the incident's own edit, not replaced by this line.
    expect(JSON.parse(response.text)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: `Incident ${incidentId} acknowledged.` });
    await queued.drain();
    const puts = connector.calls.filter((call) => call.method === 'PUT');
    expect(puts.map(describeCall)).toEqual([`PUT /v3/conversations/${root!.conversation_id}/activities/${root!.message_id}`]);
    const card = cardOf(puts[0]);
    expect(cardSchemaErrors(card)).toEqual([]);
    expect(cardTexts(card)[0]).toContain('purchase');
    expect(JSON.stringify(card)).not.toContain(`Incident ${incidentId} acknowledged.`);
    const note = connector.calls.find((call) => call.method === 'POST');
    expect(describeCall(note!)).toBe(`POST /v3/conversations/${root!.conversation_id}/activities/${root!.message_id}`);
    expect(JSON.stringify(cardOf(note))).toContain('<at>');
  });

  it('welcomes a team once when the app is installed, with examples to try', async () => {
    const install = await teamsFixture('activity_conversationUpdate_teamMemberAdded.json', connector.serviceUrl);
    const botAdded = { ...install, id: 'f:install-1', membersAdded: [{ id: BOT_ID }] };
    await postActivity(queued.teams.port, botAdded);
    await postActivity(queued.teams.port, botAdded);
    await queued.drain();
    expect(connector.calls.map(describeCall)).toEqual(['POST /v3/conversations']);
    const card = cardOf(connector.calls[0]);
    expect(cardSchemaErrors(card)).toEqual([]);
    expect(cardTexts(card)[0]).toMatch(/^Hello!/);
    expect(JSON.stringify(card)).toContain('kpi');
  });

  it('forgets every channel of a team the app was removed from, and a chat it was uninstalled from', async () => {
    const install = await teamsFixture('activity_conversationUpdate_teamMemberAdded.json', connector.serviceUrl);
    await postActivity(queued.teams.port, install);
    await postActivity(queued.teams.port, await threadMessage('help', 'before-removal'));
    await postActivity(queued.teams.port, await personalMessage('help', 'personal-before-removal'));
    const teamsRefs = async () => (await test.db.query<{ channel_id: string }>("SELECT channel_id FROM conversation_refs WHERE platform = 'teams' ORDER BY channel_id")).map((row) => row.channel_id);
    expect(await teamsRefs()).toEqual([FIXTURE_CHANNEL, PERSONAL].sort());

    const { membersAdded: _added, ...rest } = install;
    await postActivity(queued.teams.port, { ...rest, id: 'f:removed-1', membersRemoved: [{ id: BOT_ID }], channelData: { ...(install.channelData as object), eventType: 'teamMemberRemoved' } });
    expect(await teamsRefs()).toEqual([PERSONAL]);
    const personal = await personalMessage('', 'uninstall-1');
    await postActivity(queued.teams.port, { ...personal, type: 'installationUpdate', action: 'remove', text: undefined });
    expect(await teamsRefs()).toEqual([]);
    await queued.drain();
    expect(connector.calls.filter((call) => call.method === 'POST' && call.path === '/v3/conversations')).toEqual([]);
  });
});
