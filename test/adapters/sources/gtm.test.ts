import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollGtm } from '../../../src/adapters/sources/gtm.js';
import type { RetryPolicy } from '../../../src/adapters/sources/source-failure.js';
import type { Config } from '../../../src/config.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import type { Answer, RecordedRequest, ServiceAccount, TestServer } from './support/google-test-server.js';
import { configFrom, createServiceAccount, resetSourceTest, startTestServer } from './support/google-test-server.js';

// Hand-written from the public API v2 reference: see test/fixtures/gtm/README.md.
const gtmFixture = (name: string) => readFileSync(new URL(`../../fixtures/gtm/${name}`, import.meta.url), 'utf8');
const CONTAINER = '/tagmanager/v2/accounts/6012345678/containers/98765432';

describe(`Tag Manager versions on ${testDbKind}`, () => {
  const test = useTestDb();
  let server: TestServer;
  let account: ServiceAccount;
  let route: (request: RecordedRequest) => Answer;
  const sleeps: number[] = [];
  const retry: RetryPolicy = { sleep: async (ms) => void sleeps.push(ms), maxAttempts: 2, baseDelayMs: 250 };
  let config: Config;

  const replayFixtures = (request: RecordedRequest): Answer => {
    const files: Record<string, string> = { [`${CONTAINER}/versions:live`]: 'version_12.json', [`${CONTAINER}/versions/11`]: 'version_11.json', [`${CONTAINER}/version_headers`]: 'version_headers.json' };
    const file = files[request.path];
    return file ? { body: gtmFixture(file) } : { status: 404, body: { error: { code: 404, message: 'Not found or permission denied.', status: 'NOT_FOUND' } } };
  };

  beforeAll(async () => {
    server = await startTestServer((request) => {
      if (request.path === '/token') return account.answerTokenRequest(request);
      if (!account.isAuthorized(request)) return { status: 401, body: { error: { code: 401, message: 'Request is missing required authentication credential.', status: 'UNAUTHENTICATED' } } };
      return route(request);
    });
    account = await createServiceAccount(`${server.url}/token`, 'https://www.googleapis.com/auth/tagmanager.readonly');
    config = configFrom({ GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GTM_ACCOUNT_ID: '6012345678', GTM_CONTAINER_ID: '98765432', GTM_API_URL: `${server.url}/tagmanager/v2` });
  });
  afterAll(async () => server.close());
  beforeEach(async () => resetSourceTest(test.db, server, sleeps));

  it('records the newly published live version once, diffed against the version before it', async () => {
    route = replayFixtures;
    const now = new Date('2026-11-25T12:00:00Z');
    expect(await pollGtm(test.db, config, { now, retry })).toEqual({ ok: true, value: { liveVersion: '12', recorded: 'GTM-ABC1234 v12' } });
    const rows = await test.db.query<{ at: Date; kind: string; ref: string; author: string | null; summary: string; url: string; details: Record<string, unknown> }>('SELECT at, kind, ref, author, summary, url, details FROM changes');
    expect(rows).toEqual([{
      // version_12.json fingerprint 1732530300000 ms.
      at: new Date(1_732_530_300_000), kind: 'tag_manager', ref: 'GTM-ABC1234 v12', author: null,
      summary: 'Meta pixel behind consent, purchase currency: +1 tag, -1 tag, ~1 tag, +1 trigger, +1 variable, ~1 variable',
      url: 'https://tagmanager.google.com/#/versions/accounts/6012345678/containers/98765432/versions/12?apiLink=version',
      details: {
        // GA4 - Config differs only by fingerprint, so it is not listed as changed.
        tags: { added: ['Meta Pixel - base code'], removed: ['Hotjar - tracking code'], changed: ['GA4 - purchase event'] },
        triggers: { added: ['Consent - granted'], removed: [], changed: [] },
        variables: { added: ['DLV - currency'], removed: [], changed: ['DLV - transaction value'] },
        previousVersion: '11', tagIds: ['3', '4', '9'],
      },
    }]);

    server.requests.length = 0;
    expect(await pollGtm(test.db, config, { now, retry })).toEqual({ ok: true, value: { liveVersion: '12', recorded: undefined } });
    // A known live version costs one API call (plus the sign-in each job run does).
    expect(server.requests.map((request) => request.path).filter((path) => path !== '/token')).toEqual([`${CONTAINER}/versions:live`]);
    expect(await test.db.query('SELECT 1 FROM changes')).toHaveLength(1);
  });

  it('retries a 500, then reports a truncated version as malformed and records nothing', async () => {
    let calls = 0;
    route = () => (++calls === 1 ? { status: 500, body: { error: { code: 500, message: 'Internal error.', status: 'INTERNAL' } } } : { body: gtmFixture('version_12.json').slice(0, 400) });
    const result = await pollGtm(test.db, config, { now: new Date(), retry });
    expect(result.ok ? undefined : result.error.reason).toBe('malformed');
    expect(sleeps).toEqual([250]);
    expect(await test.db.query('SELECT 1 FROM changes')).toEqual([]);
  });
});
