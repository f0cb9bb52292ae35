import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../src/adapters/sources/deploy-hooks.js';
import { MAX_DEPLOY_BODY_BYTES, MAX_LIGHTHOUSE_BODY_BYTES } from '../../../src/adapters/sources/http-endpoints.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { fixturePath } from './support/google-test-server.js';
import { startHooksServer } from './support/hooks-server.js';

const SECRET = 'hooks-hardening-secret';
const lhr = () => JSON.parse(readFileSync(fixturePath('lighthouse', 'lhr-6.0.0.json'), 'utf8')) as {
  finalUrl: string; requestedUrl: string;
  audits: Record<string, { numericValue?: number; details?: { items: { transferSize: number }[] } }>;
};

/** A stack frame or an absolute path of this machine must never reach a client. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)/);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/node_modules|<html|<pre/i);
}

/** Streams `totalBytes` in chunks with no Content-Length (chunked), and resolves with the answer. */
function postChunked(url: string, totalBytes: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!outgoing.write(chunk)) return void outgoing.once('drain', pump);
      }
      outgoing.end();
    };
    pump();
  });
}

describe(`webhook hardening on ${testDbKind}`, () => {
  const test = useTestDb();
  let hooks: Awaited<ReturnType<typeof startHooksServer>>;

  beforeAll(async () => {
    hooks = await startHooksServer(test.db, SECRET);
  });
  afterAll(async () => hooks.close());
  beforeEach(async () => clearData(test.db));

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${hooks.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string | Buffer) => ({ 'x-hub-signature-256': signBody(body, SECRET) });
  const stored = async () => ({
    changes: (await test.db.query('SELECT ref FROM changes')).length,
    runs: (await test.db.query('SELECT url FROM pagespeed_runs')).length,
  });

  it('refuses an unsigned 50 MB body with a short JSON 401 before reading it', async () => {
    const response = await post('/lighthouse', Buffer.alloc(50 * 1024 * 1024, 'a'));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'missing or malformed x-hub-signature-256 signature' });
    expectNoInternals(text);
  });

  it('refuses a signed body over the cap with JSON 413, whether it declares its length or streams it', async () => {
    const huge = Buffer.alloc(MAX_LIGHTHOUSE_BODY_BYTES + 1, 'a');
    const declared = await post('/lighthouse', huge, signed(huge));
    expect(declared.status).toBe(413);
    const text = await declared.text();
    expect(JSON.parse(text)).toEqual({ error: `the body is larger than ${MAX_LIGHTHOUSE_BODY_BYTES} bytes` });
    expectNoInternals(text);
    const streamed = await postChunked(`${hooks.url}/deploy`, MAX_DEPLOY_BODY_BYTES * 3, { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toEqual({ error: `the body is larger than ${MAX_DEPLOY_BODY_BYTES} bytes` });
    expect(await stored()).toEqual({ changes: 0, runs: 0 });
  });

  it('answers 422 naming the field for absurd Lighthouse figures, and stores none of them', async () => {
    const cases: [string, (report: ReturnType<typeof lhr>) => void, string][] = [
      ['LCP 1e308', (report) => { report.audits['largest-contentful-paint']!.numericValue = 1e308; }, 'audits.largest-contentful-paint.numericValue: expected a time of at most 3600000 ms'],
      ['LCP -5000', (report) => { report.audits['largest-contentful-paint']!.numericValue = -5000; }, 'audits.largest-contentful-paint.numericValue: expected a time of at least 0 ms'],
      ['fractional bytes', (report) => { report.audits['third-party-summary']!.details!.items[0]!.transferSize = 1234.5; }, 'audits.third-party-summary.details.items.0.transferSize: expected a whole number of bytes'],
      ['javascript: URL', (report) => { report.finalUrl = 'javascript:alert(1)'; }, 'finalUrl: expected an http:// or https:// URL'],
    ];
    for (const [, spoil, error] of cases) {
      const report = lhr();
      spoil(report);
      const body = JSON.stringify(report);
      const response = await post('/lighthouse', body, signed(body));
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ error: `not a Lighthouse result: ${error}` });
    }
    expect(await stored()).toEqual({ changes: 0, runs: 0 });
    const good = JSON.stringify(lhr());
    expect((await post('/lighthouse', good, signed(good))).status).toBe(201);
    expect(await stored()).toEqual({ changes: 0, runs: 1 });
  });

  it('answers 422 naming the field for a deploy with a javascript: link or an impossible time, and records an honest one', async () => {
    const bad = [
      [{ at: '2026-11-25T09:30:00Z', ref: 'v1', url: 'javascript:alert(document.cookie)' }, 'url: expected an http:// or https:// URL'],
      [{ at: '9999-12-31T23:59:59Z', ref: 'v1' }, 'at: expected a time between the years 2000 and 2099'],
    ] as const;
    for (const [payload, error] of bad) {
      const body = JSON.stringify(payload);
      const response = await post('/deploy', body, signed(body));
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ error: `expected { at, ref, author?, summary?, url? }: ${error}` });
    }
    expect(await stored()).toEqual({ changes: 0, runs: 0 });
    const good = JSON.stringify({ at: '2026-11-25T09:30:00Z', ref: 'v1', url: 'https://ci.example.com/builds/1' });
    expect((await post('/deploy', good, signed(good))).status).toBe(201);
    expect(await stored()).toEqual({ changes: 1, runs: 0 });
  });

  it('answers a signed body that is not JSON with 400, and unknown paths with a JSON 404', async () => {
    const notJson = '{"at": ';
    const response = await post('/deploy', notJson, signed(notJson));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the body is not JSON' });
    for (const url of [`${hooks.url}/nowhere`, hooks.url.replace('/hooks', '/')]) {
      const missing = await fetch(url);
      expect(missing.status).toBe(404);
      expectNoInternals(await missing.text());
    }
  });
});
