import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedTenants, teamsAuth } from '../../../../src/adapters/chat/teams/auth-config.js';
import { startTeams } from '../../../../src/adapters/chat/teams/index.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { anonymousDevConfig, FIXTURE_TENANT, postActivity, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';

const now = new Date('2026-11-20T10:00:00Z');
const withCredentials = { ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false, TEAMS_APP_ID: '00000000-1111-2222-3333-444444444444', TEAMS_APP_PASSWORD: 'not-a-real-secret' };

describe('Teams auth configuration', () => {
  it('builds the SDK auth object from our config, with the tenant when one is set', () => {
    expect(teamsAuth({ ...withCredentials, TEAMS_TENANT_ID: 'tenant-1' })).toEqual({
      ok: true, isAnonymous: false, appId: withCredentials.TEAMS_APP_ID,
      authConfig: { clientId: withCredentials.TEAMS_APP_ID, clientSecret: 'not-a-real-secret', tenantId: 'tenant-1' },
    });
  });

  it('refuses to run without credentials unless anonymous development is asked for, and never in production', () => {
    expect(teamsAuth({ ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false })).toMatchObject({ ok: false, error: expect.stringContaining('TEAMS_APP_ID') });
    expect(teamsAuth({ ...anonymousDevConfig, NODE_ENV: 'production' })).toMatchObject({ ok: false, error: expect.stringContaining('NODE_ENV=production') });
    expect(teamsAuth(anonymousDevConfig)).toMatchObject({ ok: true, isAnonymous: true, authConfig: {} });
  });

  it('serves the listed tenants, else the home tenant, else any', () => {
    expect(allowedTenants({ ...anonymousDevConfig, TEAMS_ALLOWED_TENANTS: ['a', 'b'], TEAMS_TENANT_ID: 'home' })).toEqual(['a', 'b']);
    expect(allowedTenants({ ...anonymousDevConfig, TEAMS_TENANT_ID: 'home' })).toEqual(['home']);
    expect(allowedTenants(anonymousDevConfig)).toEqual([]);
  });
});

describe(`Teams request safety on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  beforeAll(async () => {
    connector = await startStandInConnector();
  });
  afterAll(async () => {
    await connector.close();
  });

  it('does not start without credentials or the development flag', async () => {
    const log = recordingLogger();
    await expect(startTeams({ ...anonymousDevConfig, TEAMS_ANONYMOUS_DEV: false }, { bot: createTestBot(test.db, { now }), db: test.db, log, port: 0 }))
      .rejects.toThrow('TEAMS_APP_ID and TEAMS_APP_PASSWORD: required');
  });

  it('refuses an unsigned request when credentials are configured', async () => {
    const teams = await startTeams(withCredentials, { bot: createTestBot(test.db, { now }), db: test.db, log: recordingLogger(), port: 0 });
    try {
      const response = await postActivity(teams.port, await teamsFixture('activity_message_personal.json', connector.serviceUrl));
      expect(response.status).toBe(401);
      expect(connector.calls).toEqual([]);
    } finally {
      await teams.stop();
    }
  });

  it('ignores activities from tenants that are not allowed and logs each tenant once', async () => {
    const log = recordingLogger();
    const teams = await startTeams({ ...anonymousDevConfig, TEAMS_ALLOWED_TENANTS: ['contoso-tenant-id'] }, { bot: createTestBot(test.db, { now }), db: test.db, log, port: 0 });
    try {
      const activity = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
      for (let i = 0; i < 2; i++) expect((await postActivity(teams.port, { ...activity, text: 'help' })).status).toBe(200);
      expect(connector.calls).toEqual([]);
      const refused = log.lines.filter((line) => line.message.startsWith('teams: activity from a tenant not in TEAMS_ALLOWED_TENANTS'));
      expect(refused).toEqual([{ level: 'warn', message: refused[0]?.message, details: { tenant: FIXTURE_TENANT } }]);
      expect(await test.db.query('SELECT 1 FROM conversation_refs')).toEqual([]);
    } finally {
      await teams.stop();
    }
  });
});
