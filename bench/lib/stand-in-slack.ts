import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the stand-in, with form fields decoded and JSON fields (blocks, files) parsed. */
export interface RecordedCall {
  /** Web API method ("chat.postMessage"), "upload" for the bytes POSTed to an upload_url, "response_url" for respond(). */
  method: string;
  params: Record<string, unknown>;
  authorization: string | undefined;
  /** Raw bytes, kept for uploads. */
  raw: Buffer;
}

/** A scripted answer for the next call of a method, instead of the normal success. */
export type ScriptedAnswer = { status: 429; retryAfterS: number } | { status: 500 } | { error: string };

export interface StandInSlack {
  /** Base URL to give SLACK_API_URL (ends in /api/). */
  apiUrl: string;
  /** A response_url on the stand-in, to put into slash command and button payloads. */
  responseUrl(id: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Every message the bot put into a channel, in order (conversations.history and .replies read these). */
  messages: StoredMessage[];
  /** Answers the next calls of `method` with these, in order, then succeeds again. */
  script(method: string, ...answers: ScriptedAnswer[]): void;
  /** Resolves once the recorded calls satisfy `isDone` (checked after every call); no polling, no sleeps. */
  waitFor(isDone: (calls: readonly RecordedCall[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

const JSON_FIELDS = ['blocks', 'files', 'attachments', 'file_uploads', 'metadata'];

/** A message as conversations.history shows it: what chat.postMessage and upload v2 put in a channel. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  metadata?: unknown;
  files?: { id: string; name: string; title: string }[];
}

/**
 * A local HTTP server that answers like Slack's Web API for the methods the bot uses and records
 * every call, so tests assert what Slack would have received and the bench has somewhere to post.
 */
export async function startStandInSlack(options: { clock?: () => number } = {}): Promise<StandInSlack> {
  const nowMs = options.clock ?? Date.now;
  /** A message ts as Slack makes them: seconds of its clock, then a part that keeps them unique. */
  const nextTs = () => `${Math.floor(nowMs() / 1000)}.${String(counter).padStart(6, '0')}`;
  const calls: RecordedCall[] = [];
  const messages: StoredMessage[] = [];
  /** Upload v2: the file name given to files.getUploadURLExternal, by file id. */
  const filenames = new Map<string, string>();
  const scripts = new Map<string, ScriptedAnswer[]>();
  const waiters: { isDone: (calls: readonly RecordedCall[]) => boolean; resolve: () => void }[] = [];
  let counter = 0;
  let origin = '';

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.isDone(calls)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => handle(req, res, raw));
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const authorization = req.headers.authorization;
    if (path.startsWith('/upload/')) {
      record({ method: 'upload', params: { fileId: path.slice('/upload/'.length), contentType: req.headers['content-type'] }, authorization, raw });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    if (path.startsWith('/response/')) {
      record({ method: 'response_url', params: { id: path.slice('/response/'.length), ...(JSON.parse(raw.toString('utf8')) as Record<string, unknown>) }, authorization, raw });
      const scripted = scripts.get('response_url')?.shift();
      if (scripted && 'status' in scripted) res.writeHead(scripted.status, { 'content-type': 'text/plain' }).end(scripted.status === 500 ? 'internal_error' : 'rate_limited');
      else if (scripted) res.writeHead(404, { 'content-type': 'text/plain' }).end(scripted.error);
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const params = decodeParams(req.headers['content-type'], raw);
    record({ method, params, authorization, raw });
    const scripted = scripts.get(method)?.shift();
    if (scripted && 'status' in scripted) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (scripted.status === 429) headers['retry-after'] = String(scripted.retryAfterS);
      res.writeHead(scripted.status, headers).end(JSON.stringify({ ok: false, error: scripted.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const body = scripted ? { ok: false, error: scripted.error } : success(method, params);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  function success(method: string, params: Record<string, unknown>): Record<string, unknown> {
    counter += 1;
    switch (method) {
      case 'auth.test': return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'mkt', team_id: 'T111', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const ts = nextTs();
        messages.push({ channel: String(params.channel), ts, text: String(params.text ?? ''), ...(params.thread_ts ? { thread_ts: String(params.thread_ts) } : {}), ...(params.metadata ? { metadata: params.metadata } : {}) });
        return { ok: true, channel: params.channel, ts, message: { text: params.text } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const oldest = Number(params.oldest ?? 0);
        const inThread = (message: StoredMessage) => method === 'conversations.history' ? message.thread_ts === undefined : message.ts === params.ts || message.thread_ts === params.ts;
        const shown = messages.filter((message) => message.channel === params.channel && Number(message.ts) >= oldest && inThread(message))
          .map(({ channel: _channel, metadata, ...message }) => ({ type: 'message', user: 'UBOT', bot_id: 'BBOT', ...message, ...(params.include_all_metadata === 'true' && metadata ? { metadata } : {}) }));
        return { ok: true, messages: method === 'conversations.history' ? shown.reverse() : shown, has_more: false };
      }
      case 'chat.update': return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'chat.postEphemeral': return { ok: true, message_ts: nextTs() };
      case 'files.getUploadURLExternal':
        filenames.set(`F${counter}`, String(params.filename));
        return { ok: true, upload_url: `${origin}/upload/F${counter}`, file_id: `F${counter}` };
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(params.files) ? params.files as { id: string; title?: string }[] : [])
          .map((file) => ({ id: file.id, name: filenames.get(file.id) ?? file.id, title: file.title ?? '' }));
        // Sharing files into a channel is a message there, as in Slack.
        if (params.channel_id) messages.push({ channel: String(params.channel_id), ts: nextTs(), ...(params.thread_ts ? { thread_ts: String(params.thread_ts) } : {}), files });
        return { ok: true, files };
      }
      default: return { ok: false, error: 'unknown_method' };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id) => `${origin}/response/${id}`,
    calls,
    messages,
    callsTo: (method) => calls.filter((call) => call.method === method),
    script: (method, ...answers) => scripts.set(method, [...(scripts.get(method) ?? []), ...answers]),
    waitFor: (isDone) => (isDone(calls) ? Promise.resolve() : new Promise<void>((resolve) => { waiters.push({ isDone, resolve }); })),
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeParams(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/json')) return text ? JSON.parse(text) as Record<string, unknown> : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) params[key] = JSON_FIELDS.includes(key) ? JSON.parse(value) : value;
  return params;
}
