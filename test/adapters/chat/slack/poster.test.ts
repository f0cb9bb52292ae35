import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPoster } from '../../../../src/adapters/chat/slack/index.js';
import type { Reply } from '../../../../src/bot/reply.js';
import { reply } from '../../../../src/bot/reply.js';
import { recordingLogger } from '../../../support/bot.js';
import { blockKitViolations } from '../../../support/slack-blocks.js';
import type { StandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../../../../bench/lib/stand-in-slack.js';

const TOKEN = 'xoxb-poster-test-token';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const answer = (title = 'Revenue'): Reply => reply({ title, summary: 'Revenue was €240.00.' });
const chartAnswer = (): Reply => reply({
  title: 'KPIs', summary: 'Up.',
  blocks: [{ type: 'chart', title: 'Revenue per day', alt: 'Bars of daily revenue', width: 400, height: 200, config: { type: 'bar', data: { labels: ['a', 'b'], datasets: [{ label: 'r', data: [1, 2] }] } } }],
});

describe('Slack poster against a stand-in Web API', () => {
  let slack: StandInSlack;
  let poster: ReturnType<typeof createSlackPoster>;
  beforeAll(async () => {
    slack = await startStandInSlack();
    // No trailing slash on purpose: SLACK_API_URL is normalised.
    poster = createSlackPoster({ token: TOKEN, apiUrl: slack.apiUrl.replace(/\/$/, ''), localeFor: () => 'en', log: recordingLogger() });
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.calls.length = 0;
  });

  it('posts with the bot token and returns the message ts as id and thread', async () => {
    const result = await poster.post({ channelId: 'C1' }, answer());
    const [call] = slack.callsTo('chat.postMessage');
    expect(call?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.params.channel).toBe('C1');
    expect(blockKitViolations(call?.params ?? {})).toEqual([]);
    expect(result.ok && result.value.threadId).toBe(result.ok ? result.value.messageId : 'not ok');
    expect(result.ok && result.value.messageId).toMatch(/^\d+\.\d{6}$/);
  });

  it('answers a 429 at once with its Retry-After, making one attempt', async () => {
    slack.script('chat.postMessage', { status: 429, retryAfterS: 7 });
    const result = await poster.post({ channelId: 'C1' }, answer());
    expect(result).toEqual({ ok: false, problem: { kind: 'rate_limited', retryAfterS: 7, message: 'rate limited, retry after 7 s', status: 429 } });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('calls a 500 transient, making one attempt', async () => {
    slack.script('chat.postMessage', { status: 500 });
    const result = await poster.post({ channelId: 'C1' }, answer());
    expect(result).toEqual({ ok: false, problem: { kind: 'transient', message: 'HTTP 500', status: 500 } });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it.each(['channel_not_found', 'is_archived', 'not_in_channel', 'invalid_blocks'])('calls %s permanent', async (error) => {
    slack.script('chat.postMessage', { error });
    const result = await poster.post({ channelId: 'C1' }, answer());
    expect(result).toEqual({ ok: false, problem: { kind: 'permanent', message: error, ...(error === 'channel_not_found' || error === 'not_in_channel' ? { isNotMember: true } : {}) } });
  });

  it.each(['msg_too_long', 'msg_blocks_too_long'])('calls %s too large, so the queue sends it smaller', async (error) => {
    slack.script('chat.postMessage', { error });
    const result = await poster.post({ channelId: 'C1' }, answer());
    expect(result).toEqual({ ok: false, problem: { kind: 'too_large', message: error } });
  });

  it('calls Slack\'s internal_error transient', async () => {
    slack.script('chat.update', { error: 'internal_error' });
    const result = await poster.update({ channelId: 'C1', messageId: '1.000100' }, answer());
    expect(result).toEqual({ ok: false, problem: { kind: 'transient', message: 'internal_error' } });
  });

  it('calls an unreachable Slack transient', async () => {
    const closed = await startStandInSlack();
    await closed.close();
    const offline = createSlackPoster({ token: TOKEN, apiUrl: closed.apiUrl, localeFor: () => 'en', log: recordingLogger() });
    const result = await offline.post({ channelId: 'C1' }, answer());
    expect(result.ok ? 'ok' : result.problem.kind).toBe('transient');
  });

  it('edits a message in place with chat.update', async () => {
    const result = await poster.update({ channelId: 'C9', messageId: '1780000001.000100' }, answer('Markov'));
    expect(result).toEqual({ ok: true, value: { followUps: [] } });
    const [call] = slack.callsTo('chat.update');
    expect(call?.params).toMatchObject({ channel: 'C9', ts: '1780000001.000100' });
    expect(blockKitViolations(call?.params ?? {})).toEqual([]);
  });

  it('uploads a chart as PNG with upload v2 into the same channel and thread, as a follow-up of the message', async () => {
    const target = { channelId: 'C2', threadId: '1780000000.000001' };
    const result = await poster.post(target, chartAnswer());
    expect(slack.calls.map((call) => call.method)).toEqual(['chat.postMessage']);
    const followUps = result.ok ? result.value.followUps ?? [] : [];
    expect(followUps.map((followUp) => followUp.part)).toEqual([{ kind: 'files' }]);
    expect((await poster.post(target, followUps[0]!)).ok).toBe(true);
    const methods = slack.calls.map((call) => call.method);
    expect(methods).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const [message, getUrl, upload, complete] = slack.calls;
    expect(message?.params.thread_ts).toBe('1780000000.000001');
    expect(getUrl?.params.filename).toBe('Revenue per day.png');
    expect(getUrl?.params.alt_text).toBe('Bars of daily revenue');
    expect(upload?.raw.includes(PNG_SIGNATURE)).toBe(true);
    expect(Number(getUrl?.params.length)).toBeGreaterThan(0);
    expect(upload?.params.fileId).toBeDefined();
    expect(complete?.params).toMatchObject({ channel_id: 'C2', thread_ts: '1780000000.000001', files: [{ id: upload?.params.fileId, title: 'Revenue per day' }] });
  });

  it('reports a refused chart upload as that follow-up\'s own failure, so a retry sends the chart alone', async () => {
    const result = await poster.post({ channelId: 'C3' }, chartAnswer());
    const [files] = result.ok ? result.value.followUps ?? [] : [];
    slack.script('files.getUploadURLExternal', { status: 429, retryAfterS: 12 });
    expect(await poster.post({ channelId: 'C3' }, files!)).toMatchObject({ ok: false, problem: { kind: 'rate_limited', retryAfterS: 12 } });
    expect(await poster.post({ channelId: 'C3' }, files!)).toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('splits a reply longer than one message into the first message and follow-ups for the rest, each posted on its own', async () => {
    const long = reply({ title: 'Long', summary: 'Many lines.', blocks: Array.from({ length: 70 }, (_, i) => ({ type: 'text' as const, text: `Line ${i + 1}` })) });
    const result = await poster.post({ channelId: 'C4' }, long);
    const followUps = result.ok ? result.value.followUps ?? [] : [];
    expect(followUps.map((followUp) => followUp.part)).toEqual([{ kind: 'message', index: 1 }]);
    await poster.post({ channelId: 'C4' }, followUps[0]!);
    const texts = slack.callsTo('chat.postMessage').map((call) => JSON.stringify(call.params.blocks));
    expect(texts[0]).toContain('Line 1"');
    expect(texts[1]).toContain('(continued, part 2 of 2)');
    expect(texts[1]).toContain('Line 70"');
  });

  it('finds a post cut off by a crash in the channel\'s history by the delivery id in its metadata, and only that one', async () => {
    const attemptStartedAt = new Date(1_780_000_000_000);
    await poster.post({ channelId: 'C5' }, answer(), { id: 'outbox:41' });
    const [call] = slack.callsTo('chat.postMessage');
    expect(call?.params.metadata).toEqual({ event_type: 'mkt_delivery', event_payload: { delivery_id: 'outbox:41' } });
    const found = await poster.findDelivered!({ channelId: 'C5' }, { id: 'outbox:41', attemptStartedAt }, answer());
    expect(found).toMatchObject({ kind: 'delivered', posted: { messageId: slack.messages.find((m) => m.channel === 'C5')?.ts } });
    expect(await poster.findDelivered!({ channelId: 'C5' }, { id: 'outbox:42', attemptStartedAt }, answer())).toEqual({ kind: 'not_delivered' });
    expect(slack.callsTo('conversations.history')[0]?.params).toMatchObject({ channel: 'C5', include_all_metadata: 'true' });
    // In a thread the thread is read.
    await poster.post({ channelId: 'C5', threadId: '1780000000.000001' }, answer(), { id: 'outbox:43' });
    expect(await poster.findDelivered!({ channelId: 'C5', threadId: '1780000000.000001' }, { id: 'outbox:43', attemptStartedAt }, answer())).toMatchObject({ kind: 'delivered' });
    expect(slack.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('cannot tell whether a cut-off post arrived where Slack refuses to show the history', async () => {
    slack.script('conversations.history', { error: 'missing_scope' });
    const found = await poster.findDelivered!({ channelId: 'C6' }, { id: 'outbox:50', attemptStartedAt: new Date() }, answer());
    expect(found).toEqual({ kind: 'unknown', reason: 'Slack refused to show the history: missing_scope' });
  });
});
