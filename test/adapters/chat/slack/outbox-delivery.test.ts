import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSlack } from '../../../../src/adapters/chat/slack/index.js';
import { createSlackPoster, startSlack } from '../../../../src/adapters/chat/slack/index.js';
import type { DeliveryWorker } from '../../../../src/jobs/delivery-worker.js';
import { createDeliveryWorker } from '../../../../src/jobs/delivery-worker.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { cuttableDb } from '../../../support/cut-db.js';
import { insertOrders } from '../../../support/fixtures.js';
import type { RecordedCall, StandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { blockActionsBody, postSigned, slashCommandBody } from '../../../../bench/lib/slack-requests.js';

const SECRET = 'outbox-signing-secret-2c81';
const TOKEN = 'xoxb-outbox-bot-token-9e4f';
const FORM = 'application/x-www-form-urlencoded';
const t0 = new Date('2026-11-26T10:00:00Z').getTime();
const headerOf = (call: RecordedCall | undefined) => ((call?.params.blocks as { text?: { text: string } }[] | undefined)?.[0]?.text?.text);

describe(`Slack answers through the outbox on ${testDbKind}`, () => {
  const test = useTestDb();
  let slack: StandInSlack;
  let app: RunningSlack;
  let worker: DeliveryWorker;
  let log: ReturnType<typeof recordingLogger>;
  let poster: ReturnType<typeof createSlackPoster>;
  const clock = { ms: t0 };
  // Each enqueue kicks the worker once its transaction has committed; the test waits on those kicks,
  // counted from its start.
  const kicks: (() => void)[] = [];
  let kicked = 0;
  let kickedBefore = 0;
  const kickNumber = (n: number) => new Promise<void>((resolve) => {
    const done = () => kicked - kickedBefore >= n;
    if (done()) resolve(); else kicks.push(() => { if (done()) resolve(); });
  });

  const slash = (text: string, channelId: string, triggerId: string) => {
    const params = new URLSearchParams(slashCommandBody({ text, channelId, userId: 'U1', responseUrl: slack.responseUrl(triggerId) }));
    params.set('trigger_id', triggerId);
    return postSigned({ url: `http://127.0.0.1:${app.port}/slack/events`, body: params.toString(), contentType: FORM, signingSecret: SECRET, timestampS: Math.floor(Date.now() / 1000) });
  };

  /** Worker passes on a clock moved one second at a time, until the queue is empty (bounded). */
  const drain = async () => {
    for (let pass = 0; pass < 120; pass += 1) {
      await worker.deliverDue();
      const [pending] = await test.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
      if (pending?.n === 0) return;
      clock.ms += 1_000;
    }
    throw new Error('the outbox did not drain in 120 simulated seconds');
  };

  beforeAll(async () => {
    slack = await startStandInSlack({ clock: () => clock.ms });
    log = recordingLogger();
    poster = createSlackPoster({ token: TOKEN, apiUrl: slack.apiUrl, localeFor: () => 'en', log, nowMs: () => clock.ms });
    const outbox = { kick: () => { kicked += 1; for (const check of kicks.splice(0)) check(); } };
    app = await startSlack(
      { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: slack.apiUrl, PORT: 0 },
      { bot: createTestBot(test.db, { now: new Date(t0) }), db: test.db, log, poster, outbox, workingNoteAfterMs: 60_000 },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });
  beforeEach(() => {
    // A worker of the test's own, with its own per-channel pacing, on a clock starting at t0.
    clock.ms = t0;
    worker = createDeliveryWorker({ db: test.db, posters: new Map([['slack', poster]]), clock: () => new Date(clock.ms), log, random: () => 0, holder: 'test' });
    kickedBefore = kicked;
    slack.calls.length = 0;
  });

  it('delivers every answer once, in order per channel, through a 429 with Retry-After and two 500s', async () => {
    slack.script('chat.postMessage', { status: 429, retryAfterS: 3 }, { status: 500 }, { status: 500 });
    expect((await slash('incidents', 'C1', 'trig-1')).status).toBe(200);
    await kickNumber(1);
    expect((await slash('digest list', 'C1', 'trig-2')).status).toBe(200);
    await kickNumber(2);
    expect((await slash('incidents', 'C2', 'trig-3')).status).toBe(200);
    await kickNumber(3);
    // Nothing reaches Slack until the worker runs: the answers wait in the queue.
    expect(slack.callsTo('chat.postMessage')).toEqual([]);

    await drain();

    const posts = slack.callsTo('chat.postMessage');
    // Three refused attempts and three deliveries.
    expect(posts).toHaveLength(6);
    const delivered = posts.slice(3);
    const inChannel = (channel: string) => delivered.filter((call) => call.params.channel === channel).map(headerOf);
    expect(inChannel('C1')).toEqual(['Open incidents', 'Weekly digest subscriptions']);
    expect(inChannel('C2')).toEqual(['Open incidents']);
    const rows = await test.db.query<{ channel_id: string; status: string; message_id: string | null }>(`SELECT channel_id, status, message_id FROM outbox ORDER BY id`);
    expect(rows.map((row) => [row.channel_id, row.status])).toEqual([['C1', 'delivered'], ['C1', 'delivered'], ['C2', 'delivered']]);
    expect(rows.every((row) => row.message_id !== null)).toBe(true);
  });

  it('edits a queued answer in place when its button is clicked, through the outbox too', async () => {
    expect((await slash('incidents', 'C1', 'trig-1')).status).toBe(200);
    await kickNumber(1);
    await drain();
    const [first] = await test.db.query<{ message_id: string }>(`SELECT message_id FROM outbox WHERE channel_id = 'C1' ORDER BY id LIMIT 1`);
    const body = blockActionsBody({ actionId: 'mkt:0:help.command', value: 'digest list', channelId: 'C1', userId: 'U9', messageTs: first?.message_id ?? '', responseUrl: slack.responseUrl('click') });
    const response = await postSigned({ url: `http://127.0.0.1:${app.port}/slack/events`, body, contentType: FORM, signingSecret: SECRET, timestampS: Math.floor(Date.now() / 1000) });
    expect(response.status).toBe(200);
    await kickNumber(2);
    const [edit] = await test.db.query<{ replaces: number | null }>(`SELECT replaces FROM outbox ORDER BY id DESC LIMIT 1`);
    expect(edit?.replaces).toBe(1);
    await drain();
    const [update] = slack.callsTo('chat.update');
    expect(update?.params).toMatchObject({ channel: 'C1', ts: first?.message_id });
    expect(headerOf(update)).toBe('Weekly digest subscriptions');
  });

  it('answers /mkt in a private channel the bot is not in through the command\'s response_url, for everyone there', async () => {
    slack.script('chat.postMessage', { error: 'channel_not_found' });
    expect((await slash('incidents', 'G900', 'trig-9')).status).toBe(200);
    await kickNumber(1);
    await drain();
    const [row] = await test.db.query<{ status: string }>(`SELECT status FROM outbox WHERE channel_id = 'G900'`);
    expect(row?.status).toBe('delivered');
    const [response] = slack.callsTo('response_url').filter((call) => call.params.id === 'trig-9');
    expect(response?.params).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(headerOf(response)).toBe('Open incidents');
    // Nobody gets a DM: the answer reached the conversation.
    expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'U1')).toEqual([]);
  });

  it('tells the asker in plain words by DM when not even the response_url could answer, and what to do', async () => {
    slack.script('chat.postMessage', { error: 'not_in_channel' });
    slack.script('response_url', { error: 'expired_url' });
    expect((await slash('incidents', 'G901', 'trig-10')).status).toBe(200);
    await kickNumber(1);
    await drain();
    const [failed] = await test.db.query<{ status: string; last_error: string | null }>(`SELECT status, last_error FROM outbox WHERE channel_id = 'G901'`);
    expect(failed?.status).toBe('failed');
    // Operator detail stays in the row (mkt jobs list) and the log.
    expect(failed?.last_error).toContain('response_url refused the answer (HTTP 404: expired_url)');
    const notices = slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'U1');
    expect(notices).toHaveLength(1);
    const text = JSON.stringify(notices[0]?.params.blocks);
    expect(text).toContain('My answer \\"Open incidents\\" could not be posted where you asked for it.');
    expect(text).toContain('I am not a member of that conversation. Invite me there, or ask me here in our direct messages.');
    expect(text).not.toMatch(/outbox|row \d|mkt jobs|not_in_channel/i);
  });

  it('delivers a chart refused with 429 on files.getUploadURLExternal at its Retry-After, without posting the text twice', async () => {
    await insertOrders(test.db, [
      { id: 'o1', customer: 'c1', at: '2026-11-20T10:00:00Z', revenue: 120 },
      { id: 'o2', customer: 'c2', at: '2026-11-22T10:00:00Z', revenue: 80 },
    ]);
    slack.script('files.getUploadURLExternal', { status: 429, retryAfterS: 30 });
    expect((await slash('kpi last 7d', 'C7', 'trig-11')).status).toBe(200);
    await kickNumber(1);
    await worker.deliverDue();
    expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'C7')).toHaveLength(1);
    const [files] = await test.db.query<{ id: number; in_thread: string | null }>(`SELECT id, in_thread FROM outbox WHERE dedupe_key LIKE 'follow-up:%'`);
    expect(files?.in_thread).toBeNull();
    clock.ms = t0 + 1_000;
    await worker.deliverDue();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    const [waiting] = await test.db.query<{ status: string; next_attempt_at: Date }>('SELECT status, next_attempt_at FROM outbox WHERE id = $1', [files?.id]);
    expect(waiting).toEqual({ status: 'pending', next_attempt_at: new Date(t0 + 31_000) });
    expect(log.lines.find((line) => line.message === 'delivery: the platform answered with an error' && line.details?.outboxId === files?.id)?.details)
      .toMatchObject({ platform: 'slack', channelId: 'C7', status: 429, retryAfterS: 30 });
    clock.ms = t0 + 30_999;
    await worker.deliverDue();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    clock.ms = t0 + 31_000;
    await worker.deliverDue();
    const complete = slack.callsTo('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]?.params).toMatchObject({ channel_id: 'C7' });
    expect(slack.callsTo('upload')[0]?.raw.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'C7')).toHaveLength(1);
  });

  it('does not post an answer twice when the process died between Slack accepting it and the queue recording it', async () => {
    expect((await slash('incidents', 'C8', 'trig-12')).status).toBe(200);
    await kickNumber(1);
    const dying = cuttableDb(test.db);
    // The process dies as soon as Slack has the message: nothing after it reaches the database.
    void slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage' && call.params.channel === 'C8')).then(() => dying.cut());
    const first = createDeliveryWorker({ db: dying, posters: new Map([['slack', poster]]), clock: () => new Date(clock.ms), log, random: () => 0, holder: 'dies' });
    await first.deliverDue().catch(() => undefined);
    const [cut] = await test.db.query<{ status: string; attempt_started_at: Date | null }>(`SELECT status, attempt_started_at FROM outbox WHERE channel_id = 'C8'`);
    expect(cut).toEqual({ status: 'pending', attempt_started_at: new Date(t0) });
    // A restarted worker, once the dead one's claim has run out.
    clock.ms = t0 + 61_000;
    await drain();
    expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'C8')).toHaveLength(1);
    const [row] = await test.db.query<{ status: string; message_id: string }>(`SELECT status, message_id FROM outbox WHERE channel_id = 'C8'`);
    expect(row).toEqual({ status: 'delivered', message_id: slack.messages.find((message) => message.channel === 'C8')?.ts });
    expect(slack.callsTo('conversations.history').at(-1)?.params).toMatchObject({ channel: 'C8', include_all_metadata: 'true' });
  });

  it('pauses posting on a token revoked while running, with one alarm, and delivers everything once Slack accepts the token again', async () => {
    slack.script('chat.postMessage', { error: 'token_revoked' });
    slack.script('auth.test', { error: 'token_revoked' }, { error: 'token_revoked' });
    for (const [index, channel] of ['C20', 'C21', 'C22'].entries()) {
      expect((await slash('incidents', channel, `trig-rev-${index}`)).status).toBe(200);
      await kickNumber(index + 1);
    }
    await drain();
    const rows = await test.db.query<{ status: string }>(`SELECT status FROM outbox WHERE channel_id IN ('C20', 'C21', 'C22') ORDER BY id`);
    expect(rows.map((row) => row.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const alarms = log.lines.filter((line) => line.level === 'error' && line.message.startsWith('slack: Slack refused the bot token'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.details).toEqual({ error: 'token_revoked' });
    expect(log.lines.some((line) => line.message === 'slack: Slack accepts the bot token again; posting resumed')).toBe(true);
    // While paused nothing was posted: one refused post, three probes (two refused), then the three answers.
    expect(slack.callsTo('auth.test')).toHaveLength(3);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(4);
    // Nobody was told their answer failed.
    expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'U1')).toEqual([]);
  });
});
