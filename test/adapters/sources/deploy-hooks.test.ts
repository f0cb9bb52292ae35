import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../src/adapters/sources/deploy-hooks.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { startHooksServer } from './support/hooks-server.js';

const SECRET = 'It\'s a Secret to Everybody';

/**
 * A `deployment_status` event trimmed to the fields GitHub documents for it
 * (docs.github.com/en/webhooks/webhook-events-and-payloads#deployment_status); values are made up.
 */
function deploymentStatus(state: string) {
  return {
    action: 'created',
    deployment_status: {
      id: 1_234_567_890, state, description: '', environment: 'production',
      target_url: 'https://github.com/acme/shop/actions/runs/9876543210', environment_url: 'https://shop.example.com',
      created_at: '2026-11-24T15:04:05Z', updated_at: '2026-11-24T15:04:05Z',
      creator: { login: 'github-actions[bot]', id: 41_898_282, type: 'Bot' },
    },
    deployment: {
      id: 987_654_321, sha: '9f2c1e4b7a0d3c5e8f1a2b3c4d5e6f7a8b9c0d1e', ref: 'main', task: 'deploy', environment: 'production',
      description: 'Checkout: one-page payment form', creator: { login: 'mrossi', id: 1_001, type: 'User' },
      created_at: '2026-11-24T15:01:00Z', updated_at: '2026-11-24T15:04:05Z',
    },
    repository: { id: 555, name: 'shop', full_name: 'acme/shop' },
    sender: { login: 'mrossi', id: 1_001, type: 'User' },
  };
}

describe(`deploy hooks on ${testDbKind}`, () => {
  const test = useTestDb();
  let hooks: Awaited<ReturnType<typeof startHooksServer>>;
  let url: string;

  beforeAll(async () => {
    hooks = await startHooksServer(test.db, SECRET);
    url = `${hooks.url}/deploy`;
  });
  afterAll(async () => hooks.close());
  beforeEach(async () => clearData(test.db));

  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const changes = () => test.db.query<{ at: Date; kind: string; ref: string; author: string | null; summary: string | null; url: string | null }>('SELECT at, kind, ref, author, summary, url FROM changes ORDER BY id');

  it('records a successful GitHub deployment once, however often it is delivered', async () => {
    const body = JSON.stringify(deploymentStatus('success'));
    const headers = { 'x-github-event': 'deployment_status', 'x-hub-signature-256': signBody(body, SECRET) };
    const first = await post(body, headers);
    const replay = await post(body, headers);
    expect([first.status, replay.status]).toEqual([201, 200]);
    expect(await replay.json()).toEqual({ recorded: false, ref: '9f2c1e4b7a0d3c5e8f1a2b3c4d5e6f7a8b9c0d1e' });
    expect(await changes()).toEqual([{
      at: new Date('2026-11-24T15:04:05Z'), kind: 'deploy', ref: '9f2c1e4b7a0d3c5e8f1a2b3c4d5e6f7a8b9c0d1e', author: 'mrossi',
      summary: 'Checkout: one-page payment form', url: 'https://github.com/acme/shop/actions/runs/9876543210',
    }]);
  });

  it('accepts but does not record deployment states other than success', async () => {
    for (const state of ['pending', 'in_progress', 'failure', 'error']) {
      const body = JSON.stringify(deploymentStatus(state));
      const response = await post(body, { 'x-github-event': 'deployment_status', 'x-hub-signature-256': signBody(body, SECRET) });
      expect(response.status).toBe(202);
    }
    expect(await changes()).toEqual([]);
  });

  it('refuses a bad, missing or malformed signature with 401 and records nothing', async () => {
    const body = JSON.stringify(deploymentStatus('success'));
    const attempts: Record<string, string>[] = [
      { 'x-github-event': 'deployment_status', 'x-hub-signature-256': signBody(body, 'not the secret') },
      { 'x-github-event': 'deployment_status' },
      { 'x-github-event': 'deployment_status', 'x-hub-signature-256': 'sha256=abc' },
      // Signed over different bytes than those sent.
      { 'x-github-event': 'deployment_status', 'x-hub-signature-256': signBody(`${body} `, SECRET) },
    ];
    for (const headers of attempts) expect((await post(body, headers)).status).toBe(401);
    expect(await changes()).toEqual([]);
  });

  it('records a plain signed deploy from another CI and explains a body with missing fields', async () => {
    const body = JSON.stringify({ at: '2026-11-25T09:30:00+01:00', ref: 'v2.14.0', author: 'ci', summary: 'Release 2.14', url: 'https://ci.example.com/builds/812' });
    expect((await post(body, { 'x-hub-signature-256': signBody(body, SECRET) })).status).toBe(201);
    expect(await changes()).toEqual([{ at: new Date('2026-11-25T08:30:00Z'), kind: 'deploy', ref: 'v2.14.0', author: 'ci', summary: 'Release 2.14', url: 'https://ci.example.com/builds/812' }]);
    const incomplete = JSON.stringify({ ref: 'v2.15.0' });
    const refused = await post(incomplete, { 'x-hub-signature-256': signBody(incomplete, SECRET) });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: expect.stringContaining('at:') });
  });

  it('answers 503 and records nothing while no secret is configured', async () => {
    const unsecured = await startHooksServer(test.db, undefined);
    const body = JSON.stringify({ at: '2026-11-25T09:30:00Z', ref: 'v1' });
    const response = await fetch(`${unsecured.url}/deploy`, { method: 'POST', body });
    await unsecured.close();
    expect(response.status).toBe(503);
    expect(await changes()).toEqual([]);
  });
});
