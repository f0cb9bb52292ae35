import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  /** The path after the serviceUrl prefix, each segment decoded (1.8.1 sends `:`, `;`, `@` unencoded, older clients encode them). */
  path: string;
  body: unknown;
  /** The Authorization header the bot sent (empty in anonymous development mode). */
  authorization: string;
}

export interface CannedAnswer { status: number; body?: unknown; headers?: Record<string, string> }

export interface StandInConnector {
  /** Put this in an activity's `serviceUrl`; it keeps a regional prefix like the real one. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** The next call gets this answer instead of the default one. */
  answerNext(answer: CannedAnswer): void;
  close(): Promise<void>;
}

const PREFIX = '/amer';

/**
 * A local HTTP server standing in for the Bot Connector service: records every call and answers
 * as the real service does (201 with ids for posts, 200 for updates), or as told for the next call.
 */
export async function startStandInConnector(): Promise<StandInConnector> {
  const calls: ConnectorCall[] = [];
  const canned: CannedAnswer[] = [];
  let nextId = 1000;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // A file upload (PUT to an upload session) carries the file itself, not JSON.
      const body: unknown = text ? parseJsonOr(text) : undefined;
      const rawPath = (req.url ?? '').split('?')[0] ?? '';
      const path = rawPath.slice(rawPath.startsWith(PREFIX) ? PREFIX.length : 0).split('/').map(decodeURIComponent).join('/');
      calls.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization ?? '' });
      const answer = canned.shift() ?? defaultAnswer(req.method ?? '', path, body, nextId++);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}${PREFIX}/`,
    calls,
    answerNext: (answer) => canned.push(answer),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function defaultAnswer(method: string, path: string, body: unknown, id: number): CannedAnswer {
  if (method === 'POST' && path === '/v3/conversations') {
    // The real service answers a new channel thread with "<channel>;messageid=<root>" (fixture connector_POST_v3_conversations_create_channel_thread.json).
    const channel = channelIdOf(body);
    return { status: 201, body: { id: `${channel};messageid=${id}`, activityId: `1:root${id}` } };
  }
  if (method === 'PUT') return { status: 200, body: { id: path.split('/').pop() } };
  return { status: 201, body: { id: `1:reply${id}` } };
}

function channelIdOf(body: unknown): string {
  const channelData = typeof body === 'object' && body !== null && 'channelData' in body ? body.channelData : undefined;
  const channel = typeof channelData === 'object' && channelData !== null && 'channel' in channelData ? channelData.channel : undefined;
  const id = typeof channel === 'object' && channel !== null && 'id' in channel ? channel.id : undefined;
  return typeof id === 'string' ? id : 'unknown';
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
