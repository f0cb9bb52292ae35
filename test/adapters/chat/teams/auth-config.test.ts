import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allowedTenants, teamsAuth } from '../../../../src/adapters/chat/teams/auth-config.js';
import type { RunningTeams } from '../../../../src/adapters/chat/teams/index.js';
import { startTeams } from '../../../../src/adapters/chat/teams/index.js';
import { BOT_FRAMEWORK_ISSUER } from '../../../../src/adapters/chat/teams/verify-token.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import type { ActivityJson, QueuedTeams } from './harness.js';
import { anonymousDevConfig, FIXTURE_TENANT, postActivity, startQueuedTeams, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';
import type { StandInLogin } from './stand-in-login.js';
import { STAND_IN_ACCESS_TOKEN, startStandInLogin } from './stand-in-login.js';

const now = new Date('2026-11-20T10:00:00Z');
const APP_ID = '00000000-1111-2222-3333-444444444444';
const withCredentials = { ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false, TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'not-a-real-secret', TEAMS_TENANT_ID: FIXTURE_TENANT };
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';

describe('Teams auth configuration', () => {
  it('normalises our settings the way the SDK does: one service connection whose client id is the app id', () => {
    const auth = teamsAuth(withCredentials);
    if (!auth.ok || auth.isAnonymous) throw new Error('expected credentials');
    expect(auth.appId).toBe(APP_ID);
    // The SDK looks a token's audience up in this map (1.8.1 jwt-middleware, MsalConnectionManager).
    expect([...(auth.authConfig.connections ?? new Map()).values()].map((connection) => connection.clientId)).toEqual([APP_ID]);
    expect(auth.authConfig.connections?.get('serviceConnection')).toMatchObject({ clientId: APP_ID, clientSecret: 'not-a-real-secret', tenantId: FIXTURE_TENANT });
    expect(auth.login).toEqual({ botFramework: 'https://login.botframework.com', entra: 'https://login.microsoftonline.com' });
  });

  it('refuses to run without credentials unless anonymous development is asked for, and never in production', () => {
    expect(teamsAuth({ ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false })).toMatchObject({ ok: false, error: expect.stringContaining('TEAMS_APP_ID') });
    expect(teamsAuth({ ...withCredentials, TEAMS_TENANT_ID: undefined })).toMatchObject({ ok: false, error: expect.stringContaining('TEAMS_TENANT_ID') });
    expect(teamsAuth({ ...anonymousDevConfig, NODE_ENV: 'production' })).toMatchObject({ ok: false, error: expect.stringContaining('NODE_ENV=production') });
    expect(teamsAuth(anonymousDevConfig)).toMatchObject({ ok: true, isAnonymous: true, authConfig: {} });
  });

  it('serves the listed tenants, else only the app\'s own; any tenant only in anonymous development without one', () => {
    expect(allowedTenants({ ...withCredentials, TEAMS_ALLOWED_TENANTS: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(allowedTenants(withCredentials)).toEqual([FIXTURE_TENANT]);
    expect(allowedTenants(anonymousDevConfig)).toBe('any');
  });
});

describe(`Teams request authentication on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  let login: StandInLogin;
  let queued: QueuedTeams;
  let teams: RunningTeams;
  const log = recordingLogger();

  beforeAll(async () => {
    connector = await startStandInConnector();
    login = await startStandInLogin();
    queued = await startQueuedTeams({ config: { ...withCredentials, TEAMS_LOGIN_URL: login.url }, db: test.db, now, log });
    teams = queued.teams;
  });
  afterAll(async () => {
    await queued.stop();
    await login.close();
    await connector.close();
  });
  afterEach(() => {
    connector.calls.length = 0;
    log.lines.length = 0;
  });

  const nowS = () => Math.floor(Date.now() / 1000);
  /** The claims the Bot Connector puts in a token to the bot (Bot Framework REST authentication docs). */
  const botConnectorClaims = (overrides: Record<string, unknown> = {}) => ({
    iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: connector.serviceUrl, nbf: nowS() - 60, iat: nowS() - 60, exp: nowS() + 3600, ...overrides,
  });
  const personalHelp = async (): Promise<ActivityJson> => ({ ...(await teamsFixture('activity_message_personal.json', connector.serviceUrl)), text: 'help' });
  const withToken = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a Bot Connector token for this app and answers, signing its own reply with a token from Entra', async () => {
    const response = await postActivity(teams.port, await personalHelp(), withToken(login.mint(botConnectorClaims())));
    expect(response.status).toBe(200);
    await queued.drain();
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]?.authorization).toBe(`Bearer ${STAND_IN_ACCESS_TOKEN}`);
    // The client-credentials grant at the app's own tenant, for the Bot Connector's scope.
    const grant = login.tokenRequests.at(-1);
    expect(Object.fromEntries(grant ?? [])).toEqual({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: 'not-a-real-secret', scope: 'https://api.botframework.com/.default' });
  });

  it('accepts an Entra token for this app from its own tenant, v2 and v1 issuers', async () => {
    for (const iss of [`https://login.microsoftonline.com/${FIXTURE_TENANT}/v2.0`, `https://sts.windows.net/${FIXTURE_TENANT}/`]) {
      const token = login.mint({ ...botConnectorClaims({ iss }), tid: FIXTURE_TENANT }, { signer: 'entra' });
      // Each its own activity: the same id twice is one redelivered activity, answered once.
      expect((await postActivity(teams.port, { ...(await personalHelp()), id: `m-${iss}` }, withToken(token))).status, iss).toBe(200);
    }
    await queued.drain();
    expect(connector.calls).toHaveLength(2);
  });

  const refusals: [string, (mint: StandInLogin['mint'], claims: typeof botConnectorClaims) => string, string][] = [
    ['a token for another app', (mint, claims) => mint(claims({ aud: '99999999-1111-2222-3333-444444444444' })), 'audience is not this app'],
    ['a token from an unknown issuer', (mint, claims) => mint(claims({ iss: 'https://issuer.example.com' })), 'issuer not accepted'],
    ['an expired token (beyond the 5 minutes of clock skew)', (mint, claims) => mint(claims({ exp: nowS() - 600 })), 'expired'],
    ['a token whose signature does not match the published key', (mint, claims) => mint(claims(), { signer: 'unpublished' }), 'bad signature'],
    ['a token signed with a key nobody publishes', (mint, claims) => mint(claims(), { kid: 'no-such-key' }), 'signed with a key its issuer does not publish'],
    ['an Entra token from another tenant', (mint, claims) => mint({ ...claims({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }), tid: OTHER_TENANT }, { signer: 'entra' }), 'issued by another tenant'],
    ['an Entra token whose tenant claim is not its issuer\'s', (mint, claims) => mint({ ...claims({ iss: `https://sts.windows.net/${FIXTURE_TENANT}/` }), tid: OTHER_TENANT }, { signer: 'entra' }), 'tenant claim differs'],
    ['a token whose header names another algorithm', (mint, claims) => mint(claims(), { alg: 'HS256' }), 'not signed with an RS256 key'],
  ];
  for (const [what, token, reason] of refusals) {
    it(`refuses ${what} with 401 and answers nothing`, async () => {
      const response = await postActivity(teams.port, await personalHelp(), withToken(token(login.mint.bind(login), botConnectorClaims)));
      expect(response.status).toBe(401);
      expect(response.text).toContain(reason);
      expect(connector.calls).toEqual([]);
      expect(log.lines.find((line) => line.message === 'teams: request refused')?.details).toEqual({ reason: expect.stringContaining(reason) });
    });
  }

  it('refuses a Bot Connector token whose key is not endorsed for the activity\'s channel', async () => {
    const response = await postActivity(teams.port, { ...(await personalHelp()), channelId: 'skype' }, withToken(login.mint(botConnectorClaims())));
    expect(response.status).toBe(401);
    expect(response.text).toContain('not endorsed for channel skype');
  });

  it('refuses a request without a token, or with another scheme', async () => {
    expect((await postActivity(teams.port, await personalHelp())).status).toBe(401);
    expect((await postActivity(teams.port, await personalHelp(), { authorization: `Basic ${login.mint(botConnectorClaims())}` })).status).toBe(401);
    expect(connector.calls).toEqual([]);
  });

  it('ignores a signed activity from a tenant other than the app\'s own and logs the tenant once', async () => {
    const activity = await personalHelp();
    const foreign = { ...activity, channelData: { tenant: { id: OTHER_TENANT } }, conversation: { ...(activity.conversation as object), tenantId: OTHER_TENANT } };
    for (let i = 0; i < 2; i++) expect((await postActivity(teams.port, foreign, withToken(login.mint(botConnectorClaims())))).status).toBe(200);
    await queued.drain();
    expect(connector.calls).toEqual([]);
    const ignored = log.lines.filter((line) => line.message.startsWith('teams: activity from a tenant not allowed'));
    expect(ignored.map((line) => line.details)).toEqual([{ tenant: OTHER_TENANT }]);
  });
});

describe(`Teams anonymous development mode on ${testDbKind}`, () => {
  const test = useTestDb();

  it('does not start without credentials or the development flag', async () => {
    await expect(startTeams({ ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false }, { bot: createTestBot(test.db, { now }), db: test.db, log: recordingLogger(), port: 0, outbox: { kick: () => undefined } }))
      .rejects.toThrow('TEAMS_APP_ID and TEAMS_APP_PASSWORD: required');
  });

  it('serves only the listed tenants when TEAMS_ALLOWED_TENANTS is set', async () => {
    const connector = await startStandInConnector();
    const teams = await startTeams({ ...anonymousDevConfig, TEAMS_ALLOWED_TENANTS: ['contoso-tenant-id'] }, { bot: createTestBot(test.db, { now }), db: test.db, log: recordingLogger(), port: 0, outbox: { kick: () => undefined } });
    try {
      const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
      expect((await postActivity(teams.port, { ...activity, text: 'help' })).status).toBe(200);
      expect(connector.calls).toEqual([]);
      expect(await test.db.query('SELECT 1 FROM conversation_refs')).toEqual([]);
    } finally {
      await teams.stop();
      await connector.close();
    }
  });
});
