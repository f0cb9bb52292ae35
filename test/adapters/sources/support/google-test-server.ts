import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../../src/adapters/store/db.js';
import type { Config } from '../../../../src/config.js';
import { parseConfig } from '../../../../src/config.js';
import { clearData } from '../../../support/db.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as is when a string (to send truncated or non-JSON bodies), else JSON-encoded. */
  body: unknown;
}

export type Route = (request: RecordedRequest) => Answer;

/** A real HTTP server on loopback that answers by route and records every request it got. */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startTestServer(route: Route): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const request = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const answer = route(request);
      outgoing.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      outgoing.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ServiceAccount {
  keyFile: string;
  clientEmail: string;
  /** Answers a JWT-bearer token request if its assertion is signed by this account's key. */
  answerTokenRequest(request: RecordedRequest): Answer;
  /** True when the request carries a token this account's token endpoint issued. */
  isAuthorized(request: RecordedRequest): boolean;
}

/**
 * A service-account key made with node:crypto, written as Google's JSON key file with token_uri
 * pointing at `tokenUrl`, and the token endpoint's side of the JWT-bearer grant (RFC 7523).
 */
export async function createServiceAccount(tokenUrl: string, expectedScope: string): Promise<ServiceAccount> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const clientEmail = 'reporting-bot@test-project.iam.gserviceaccount.com';
  const folder = await mkdtemp(join(tmpdir(), 'sa-key-'));
  const keyFile = join(folder, 'key.json');
  await writeFile(keyFile, JSON.stringify({ type: 'service_account', project_id: 'test-project', private_key_id: 'k1', private_key: privateKey, client_email: clientEmail, token_uri: tokenUrl }));
  const issued = new Set<string>();
  return {
    keyFile,
    clientEmail,
    answerTokenRequest(request) {
      const form = new URLSearchParams(request.body);
      const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
      const verifier = createVerify('RSA-SHA256').update(`${header}.${payload}`);
      const isSigned = header !== undefined && signature !== undefined && verifier.verify(publicKey, Buffer.from(signature, 'base64url'));
      const claims = isSigned ? JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss?: string; scope?: string } : {};
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !isSigned || claims.iss !== clientEmail || claims.scope !== expectedScope) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      }
      const token = `ya29.test-${issued.size + 1}`;
      issued.add(token);
      return { body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    },
    isAuthorized: (request) => issued.has((request.headers.authorization ?? '').replace(/^Bearer /, '')),
  };
}

export const fixturePath = (...parts: string[]): string => new URL(`../../../../../shared/fixtures/${parts.join('/')}`, import.meta.url).pathname;

/** A parsed configuration for a test, failing loudly if the test wrote a bad environment. */
export function configFrom(env: Record<string, string>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

/** Between tests: empty data tables, no recorded requests, no recorded sleeps. */
export async function resetSourceTest(db: Db, server: TestServer, sleeps: number[]): Promise<void> {
  await clearData(db);
  server.requests.length = 0;
  sleeps.length = 0;
}
