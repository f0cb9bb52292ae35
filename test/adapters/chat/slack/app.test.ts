import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSlack } from '../../../../src/adapters/chat/slack/index.js';
import { startSlack } from '../../../../src/adapters/chat/slack/index.js';
import type { Bot } from '../../../../src/bot/dispatch.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../../support/db.js';
import { insertOrders } from '../../../support/fixtures.js';
import { blockKitViolations } from '../../../support/slack-blocks.js';
import type { RecordedCall, StandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { appMentionBody, blockActionsBody, postSigned, slackSignature, slashCommandBody } from '../../../../bench/lib/slack-requests.js';

const SECRET = 'e2e-signing-secret-7f3a9c0d5b';
const TOKEN = 'xoxb-e2e-bot-token-51d2';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const now = new Date('2026-11-26T09:00:00Z');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

const postsTo = (calls: readonly RecordedCall[], channel: string) => calls.filter((call) => call.method === 'chat.postMessage' && call.params.channel === channel);
const headerOf = (call: RecordedCall | undefined) => ((call?.params.blocks as { type: string; text?: { text: string } }[] | undefined)?.[0]?.text?.text);

describe(`Slack app over signed HTTP on ${testDbKind}`, () => {
  const test = useTestDb();
  const log = recordingLogger();
  let slack: StandInSlack;
  let app: RunningSlack;
  let slowApp: RunningSlack;
  let releaseSlowAnswer: () => void = () => undefined;

  const send = (body: string, contentType: typeof FORM | typeof JSON_TYPE, extra: { timestampS?: number; signature?: string; headers?: Record<string, string>; port?: number } = {}) =>
    postSigned({ url: `http://127.0.0.1:${extra.port ?? app.port}/slack/events`, body, contentType, signingSecret: SECRET, timestampS: extra.timestampS ?? Math.floor(Date.now() / 1000), ...(extra.signature ? { signature: extra.signature } : {}), ...(extra.headers ? { headers: extra.headers } : {}) });

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, [
      { id: 'o1', customer: 'c1', at: '2026-11-20T10:00:00Z', revenue: 120 },
      { id: 'o2', customer: 'c2', at: '2026-11-22T10:00:00Z', revenue: 80 },
    ]);
    slack = await startStandInSlack();
    const config = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: slack.apiUrl, PORT: 0 };
    // A note after a minute never shows in these tests: every answer here is quicker.
    app = await startSlack(config, { bot: createTestBot(test.db, { now }), db: test.db, log, workingNoteAfterMs: 60_000 });
    const bot = createTestBot(test.db, { now });
    const gate = new Promise<void>((resolve) => { releaseSlowAnswer = resolve; });
    const slowBot: Bot = { ...bot, handle: async (request) => { await gate; return bot.handle(request); } };
    slowApp = await startSlack(config, { bot: slowBot, db: test.db, log, workingNoteAfterMs: 1 });
  });
  afterAll(async () => {
    releaseSlowAnswer();
    await app?.stop();
    await slowApp?.stop();
    await slack?.close();
  });

  it('acks /mkt incidents with 200 and posts the answer in the channel, saying who asked what', async () => {
    const response = await send(slashCommandBody({ text: 'incidents', channelId: 'C100', userId: 'U1', responseUrl: slack.responseUrl('r100') }), FORM);
    expect(response.status).toBe(200);
    await slack.waitFor((calls) => postsTo(calls, 'C100').length === 1);
    const [post] = postsTo(slack.calls, 'C100');
    expect(post?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post?.params.thread_ts).toBeUndefined();
    expect(headerOf(post)).toBe('Open incidents');
    expect((post?.params.blocks as { type: string; elements?: { text: string }[] }[])[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by <@U1>: incidents' }] });
    expect(blockKitViolations(post?.params ?? {})).toEqual([]);
    expect(slack.callsTo('response_url').filter((call) => call.params.id === 'r100')).toEqual([]);
  });

  it('listens for the slash command SLACK_SLASH_COMMAND names', async () => {
    const config = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: slack.apiUrl, PORT: 0, SLACK_SLASH_COMMAND: '/numbers' };
    const renamed = await startSlack(config, { bot: createTestBot(test.db, { now }), db: test.db, log, workingNoteAfterMs: 60_000 });
    try {
      const body = slashCommandBody({ text: 'incidents', channelId: 'C105', userId: 'U1', responseUrl: slack.responseUrl('r105'), command: '/numbers' });
      expect((await send(body, FORM, { port: renamed.port })).status).toBe(200);
      await slack.waitFor((calls) => postsTo(calls, 'C105').length === 1);
      expect(headerOf(postsTo(slack.calls, 'C105')[0])).toBe('Open incidents');
    } finally {
      await renamed.stop();
    }
  });

  it('shows help to the asker alone, through the response_url, and posts nothing in the channel', async () => {
    await send(slashCommandBody({ text: 'help', channelId: 'C102', userId: 'U1', responseUrl: slack.responseUrl('r102') }), FORM);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'response_url' && call.params.id === 'r102'));
    const [ephemeral] = slack.callsTo('response_url').filter((call) => call.params.id === 'r102');
    expect(ephemeral?.params.response_type).toBe('ephemeral');
    expect(headerOf(ephemeral)).toBe('What I can do');
    expect(postsTo(slack.calls, 'C102')).toEqual([]);
  });

  it('reads &lt; &gt; &amp; in a mention as the characters the person typed', async () => {
    await send(appMentionBody({ eventId: 'EvEntities1', text: '<@UBOT> &lt;b&gt;&amp;', channelId: 'C103', userId: 'U1' }), JSON_TYPE);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postEphemeral' && call.params.channel === 'C103'));
    const [ephemeral] = slack.callsTo('chat.postEphemeral').filter((call) => call.params.channel === 'C103');
    // The bot read <b>& and says so, escaped once for Slack (not "&amp;lt;b&amp;gt;", which shows as &lt;b&gt;).
    expect(String(ephemeral?.params.text)).toContain('"&lt;b&gt;&amp;"');
  });

  it('refuses requests from another workspace or a Slack Connect user of another organisation, telling a command\'s asker why', async () => {
    const response = await send(slashCommandBody({ text: 'incidents', channelId: 'C104', userId: 'U1', responseUrl: slack.responseUrl('r104'), teamId: 'T999OTHER' }), FORM);
    expect(response.status).toBe(200);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'response_url' && call.params.id === 'r104'));
    expect(slack.callsTo('response_url').find((call) => call.params.id === 'r104')?.params).toMatchObject({ response_type: 'ephemeral', text: 'Sorry, I only answer in the Slack workspace I was installed in.' });
    await send(appMentionBody({ eventId: 'EvConnect1', text: '<@UBOT> incidents', channelId: 'C104', userId: 'UEXT', userTeam: 'T888EXT' }), JSON_TYPE);
    // A later request from the installed workspace is answered; the two refused ones never were.
    await send(appMentionBody({ eventId: 'EvConnect2', text: '<@UBOT> digest list', channelId: 'C104', userId: 'U1' }), JSON_TYPE);
    await slack.waitFor((calls) => postsTo(calls, 'C104').length === 1);
    expect(postsTo(slack.calls, 'C104').map(headerOf)).toEqual(['Weekly digest subscriptions']);
    expect(log.lines.filter((line) => line.message.startsWith('slack: refused a request from a workspace')).map((line) => line.details?.team)).toEqual(['T999OTHER', 'T888EXT']);
  });

  it('shows a problem to the asker alone, through the response_url, and posts nothing in the channel', async () => {
    await send(slashCommandBody({ text: 'frobnicate', channelId: 'C101', userId: 'U1', responseUrl: slack.responseUrl('r101') }), FORM);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'response_url' && call.params.id === 'r101'));
    const [ephemeral] = slack.callsTo('response_url').filter((call) => call.params.id === 'r101');
    expect(ephemeral?.params.response_type).toBe('ephemeral');
    expect(ephemeral?.params.text).toContain('I don\'t know the command "frobnicate".');
    expect(postsTo(slack.calls, 'C101')).toEqual([]);
  });

  it('answers a mention in a thread in that thread and uploads the kpi chart there with upload v2', async () => {
    const threadTs = '1780000000.000001';
    await send(appMentionBody({ eventId: 'EvKpi1', text: '<@UBOT> kpi last 7d', channelId: 'C200', userId: 'U2', threadTs }), JSON_TYPE);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'files.completeUploadExternal' && call.params.channel_id === 'C200'));
    const [post] = postsTo(slack.calls, 'C200');
    expect(post?.params.thread_ts).toBe(threadTs);
    expect(blockKitViolations(post?.params ?? {})).toEqual([]);
    const getUrl = slack.calls.findIndex((call) => call.method === 'files.getUploadURLExternal' && String(call.params.filename).endsWith('.png'));
    const upload = slack.calls.findIndex((call, index) => index > getUrl && call.method === 'upload');
    const complete = slack.calls.findIndex((call) => call.method === 'files.completeUploadExternal' && call.params.channel_id === 'C200');
    expect(slack.calls.indexOf(post as RecordedCall)).toBeLessThan(getUrl);
    expect(getUrl).toBeLessThan(upload);
    expect(upload).toBeLessThan(complete);
    expect(slack.calls[upload]?.raw.includes(PNG_SIGNATURE)).toBe(true);
    expect(slack.calls[complete]?.params).toMatchObject({ channel_id: 'C200', thread_ts: threadTs, files: [{ id: slack.calls[upload]?.params.fileId }] });
  });

  it('handles an event Slack retries (same event id) once', async () => {
    const body = appMentionBody({ eventId: 'EvRetry1', text: '<@UBOT> incidents', channelId: 'C300', userId: 'U3' });
    expect((await send(body, JSON_TYPE)).status).toBe(200);
    await slack.waitFor((calls) => postsTo(calls, 'C300').length === 1);
    const retry = await send(body, JSON_TYPE, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // A later, different event is answered: the retry, which arrived first, was dropped.
    await send(appMentionBody({ eventId: 'EvRetry2', text: '<@UBOT> digest list', channelId: 'C300', userId: 'U3' }), JSON_TYPE);
    await slack.waitFor((calls) => postsTo(calls, 'C300').some((call) => headerOf(call) === 'Weekly digest subscriptions'));
    expect(postsTo(slack.calls, 'C300').map(headerOf)).toEqual(['Open incidents', 'Weekly digest subscriptions']);
    const claims = await test.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_events WHERE platform = 'slack' AND event_id = 'EvRetry1'`);
    expect(claims[0]?.n).toBe(1);
  });

  it('ignores mentions written by other bots', async () => {
    await send(appMentionBody({ eventId: 'EvBot1', text: '<@UBOT> incidents', channelId: 'C400', userId: 'U999', botId: 'B999' }), JSON_TYPE);
    await send(appMentionBody({ eventId: 'EvPerson1', text: '<@UBOT> digest list', channelId: 'C400', userId: 'U4' }), JSON_TYPE);
    await slack.waitFor((calls) => postsTo(calls, 'C400').length >= 1);
    expect(postsTo(slack.calls, 'C400').map(headerOf)).toEqual(['Weekly digest subscriptions']);
  });

  it('answers a direct message in the DM', async () => {
    const body = JSON.parse(appMentionBody({ eventId: 'EvDm1', text: 'incidents', channelId: 'D500', userId: 'U5' })) as { event: Record<string, unknown> };
    Object.assign(body.event, { type: 'message', channel_type: 'im' });
    await send(JSON.stringify(body), JSON_TYPE);
    await slack.waitFor((calls) => postsTo(calls, 'D500').length === 1);
    expect(headerOf(postsTo(slack.calls, 'D500')[0])).toBe('Open incidents');
  });

  it('shows a problem from a mention with chat.postEphemeral to the person who asked', async () => {
    await send(appMentionBody({ eventId: 'EvBad1', text: '<@UBOT> frobnicate', channelId: 'C510', userId: 'U51' }), JSON_TYPE);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postEphemeral' && call.params.channel === 'C510'));
    expect(slack.callsTo('chat.postEphemeral').find((call) => call.params.channel === 'C510')?.params.user).toBe('U51');
    expect(postsTo(slack.calls, 'C510')).toEqual([]);
  });

  it('runs a button\'s command as the clicking user and edits the message in place; a button that only reads is not audited', async () => {
    const messageTs = '1780000099.000100';
    const response = await send(blockActionsBody({ actionId: 'mkt:0:help.command', value: 'digest list', channelId: 'C600', userId: 'U6', messageTs, responseUrl: slack.responseUrl('r600') }), FORM);
    expect(response.status).toBe(200);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.update' && call.params.channel === 'C600'));
    const update = slack.callsTo('chat.update').find((call) => call.params.channel === 'C600');
    expect(update?.params.ts).toBe(messageTs);
    expect(headerOf(update)).toBe('Weekly digest subscriptions');
    expect(blockKitViolations(update?.params ?? {})).toEqual([]);
    // State-changing clicks are audited with who clicked (test/adapters/chat/slack/roles.test.ts).
    expect(await test.db.query(`SELECT actor FROM audit_log WHERE channel = 'C600'`)).toEqual([]);
  });

  it('refuses forged, re-signed, tampered, stale and future requests with 401 and malformed JSON with 400, and keeps serving', async () => {
    const body = (channelId: string) => slashCommandBody({ text: 'incidents', channelId, userId: 'U7', responseUrl: slack.responseUrl(channelId) });
    const nowS = Math.floor(Date.now() / 1000);
    expect((await send(body('C701'), FORM, { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    const otherSecret = await postSigned({ url: `http://127.0.0.1:${app.port}/slack/events`, body: body('C702'), contentType: FORM, signingSecret: 'not-the-secret', timestampS: nowS });
    expect(otherSecret.status).toBe(401);
    const signedForAnother = await send(body('C703'), FORM, { signature: slackSignature(SECRET, nowS, body('C799')), timestampS: nowS });
    expect(signedForAnother.status).toBe(401);
    expect((await send(body('C704'), FORM, { timestampS: nowS - 6 * 60 })).status).toBe(401);
    // Bolt alone would accept this one: the future side of the window is our own check.
    expect((await send(body('C705'), FORM, { timestampS: nowS + 6 * 60 })).status).toBe(401);
    expect((await send('{"type":"event_callback",', JSON_TYPE)).status).toBe(400);
    // Within the window on either side is fine.
    expect((await send(body('C706'), FORM, { timestampS: nowS + 60 })).status).toBe(200);
    await slack.waitFor((calls) => postsTo(calls, 'C706').length === 1);
    for (const refused of ['C701', 'C702', 'C703', 'C704', 'C705']) expect(postsTo(slack.calls, refused)).toEqual([]);
  });

  it('says "working on it" to the asker only when the answer is slow, then posts the answer', async () => {
    await send(slashCommandBody({ text: 'incidents', channelId: 'C800', userId: 'U8', responseUrl: slack.responseUrl('r800') }), FORM, { port: slowApp.port });
    await slack.waitFor((calls) => calls.some((call) => call.method === 'response_url' && call.params.id === 'r800'));
    const [note] = slack.callsTo('response_url').filter((call) => call.params.id === 'r800');
    expect(note?.params).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });
    expect(postsTo(slack.calls, 'C800')).toEqual([]);
    releaseSlowAnswer();
    await slack.waitFor((calls) => postsTo(calls, 'C800').length === 1);
  });

  it('never writes the bot token or the signing secret into the log', () => {
    expect(log.lines.length).toBeGreaterThan(0);
    const written = JSON.stringify(log.lines);
    expect(written).not.toContain(TOKEN);
    expect(written).not.toContain(SECRET);
  });
});
