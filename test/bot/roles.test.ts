import { beforeEach, describe, expect, it } from 'vitest';
import { selectAudit } from '../../src/adapters/store/queries/audit.js';
import { insertIncident } from '../../src/adapters/store/queries/incidents.js';
import type { BotRequest } from '../../src/bot/command.js';
import type { Roles } from '../../src/bot/roles.js';
import { OPEN_ROLES } from '../../src/bot/roles.js';
import { ask, createTestBot } from '../support/bot.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { TEAM_ROLES } from '../support/roles.js';

const NOW = new Date('2026-11-26T09:00:00Z');

const slackIn = (channelId: string, userId: string): Partial<BotRequest> => ({ platform: 'slack', channelId, userId });

describe(`who may change incidents, silences and digests on ${testDbKind}`, () => {
  const test = useTestDb();
  let devIncident: number;
  const bot = (roles: Roles = TEAM_ROLES) => createTestBot(test.db, { now: NOW, settings: { roles } });
  const statusOf = async (id: number) => (await test.db.query<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [id]))[0]?.status;

  beforeEach(async () => {
    await test.db.exec('TRUNCATE incidents, incident_events, outbox, audit_log, silences, subscriptions RESTART IDENTITY CASCADE');
    devIncident = await insertIncident(test.db, {
      signal: 'speed', target: 'https://shop.example', severity: 'major', title: 'LCP regression', ownerTeam: 'dev',
      openedAt: NOW, breachStartedAt: NOW, evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
  });

  it('refuses a non-owner resolving a developers\' incident, in English and Italian, changes nothing and audits the attempt', async () => {
    const refused = await ask(bot(), `incident resolve ${devIncident}`, slackIn('CRANDOM', 'UNOBODY'));
    expect(refused.problem).toBe('forbidden');
    expect(refused.summary).toBe(`Only the developers' owners, the incident's own channel and admins may resolve incident ${devIncident}. You can still read it: \`incident ${devIncident}\`. To be added, ask an admin (DEV_OWNERS, MARKETING_OWNERS).`);
    const italian = await ask(bot(), `incident resolve ${devIncident}`, { ...slackIn('CRANDOM', 'UNOBODY'), locale: 'it' });
    expect(italian.summary).toMatch(/^Solo i responsabili degli sviluppatori, il canale dell'incidente e gli admin possono risolvere l'incidente/);
    expect(await statusOf(devIncident)).toBe('open');
    // A marketing owner is no owner of a developers' incident.
    expect((await ask(bot(), `incident ack ${devIncident}`, slackIn('CRANDOM', 'UMKT'))).problem).toBe('forbidden');
    // Reading stays open.
    expect((await ask(bot(), `incident ${devIncident}`, slackIn('CRANDOM', 'UNOBODY'))).problem).toBeUndefined();
    const audit = await selectAudit(test.db, { limit: 10 });
    expect(audit.map(({ platform, channel, actor, action, outcome, isClick }) => ({ platform, channel, actor, action, outcome, isClick }))).toEqual([
      { platform: 'slack', channel: 'CRANDOM', actor: 'UMKT', action: `incident ack ${devIncident}`, outcome: 'forbidden', isClick: false },
      { platform: 'slack', channel: 'CRANDOM', actor: 'UNOBODY', action: `incident resolve ${devIncident}`, outcome: 'forbidden', isClick: false },
      { platform: 'slack', channel: 'CRANDOM', actor: 'UNOBODY', action: `incident resolve ${devIncident}`, outcome: 'forbidden', isClick: false },
    ]);
  });

  it('lets the team\'s owners, anyone in the incident\'s own channel and admins change it, on Slack and Teams, and audits each', async () => {
    expect((await ask(bot(), `incident ack ${devIncident}`, slackIn('CDEVINC', 'UNEWCOMER'))).problem).toBeUndefined();
    expect((await ask(bot(), `incident mute ${devIncident} 2h`, { platform: 'teams', channelId: '19:general@thread.tacv2', userId: '29:dev-lead' })).problem).toBeUndefined();
    expect((await ask(bot(), `incident resolve ${devIncident}`, slackIn('CRANDOM', 'UADMIN'))).problem).toBeUndefined();
    expect(await statusOf(devIncident)).toBe('resolved');
    expect((await selectAudit(test.db, { limit: 10 })).map((entry) => [entry.platform, entry.actor, entry.outcome])).toEqual([
      ['slack', 'UADMIN', 'ok'], ['teams', '29:dev-lead', 'ok'], ['slack', 'UNEWCOMER', 'ok'],
    ]);
  });

  it('lets only owners, their channels and admins mute a monitor', async () => {
    const refused = await ask(bot(), 'mute tracking purchase 1d', slackIn('CRANDOM', 'UNOBODY'));
    expect([refused.problem, refused.summary]).toEqual(['forbidden', expect.stringContaining('may mute monitors')]);
    expect(await test.db.query('SELECT signal FROM silences')).toEqual([]);
    expect((await ask(bot(), 'mute tracking purchase 1d', slackIn('CRANDOM', 'UMKT'))).problem).toBeUndefined();
    expect(await test.db.query('SELECT signal, target, created_by FROM silences')).toEqual([{ signal: 'tracking', target: 'purchase', created_by: 'UMKT' }]);
  });

  it('lets only digest owners and admins subscribe, and lists to each channel only its own subscriptions, all of them to admins', async () => {
    expect((await ask(bot(), 'digest subscribe weekly mon 09:00', slackIn('CSALES', 'UNOBODY'))).problem).toBe('forbidden');
    expect((await ask(bot(), 'digest subscribe weekly mon 09:00', slackIn('CSALES', 'UMANAGER'))).problem).toBeUndefined();
    expect((await ask(bot(), 'digest subscribe weekly fri 17:00', slackIn('CBOARD', 'UADMIN'))).problem).toBeUndefined();
    const channelsIn = (reply: Awaited<ReturnType<typeof ask>>) => reply.blocks.flatMap((block) => (block.type === 'table' ? block.rows.map((row) => row[0]?.text) : []));
    expect(channelsIn(await ask(bot(), 'digest list', slackIn('CSALES', 'UNOBODY')))).toEqual(['slack:CSALES']);
    expect((await ask(bot(), 'digest list', slackIn('CELSEWHERE', 'UNOBODY'))).blocks).toEqual([]);
    expect(channelsIn(await ask(bot(), 'digest list', slackIn('CELSEWHERE', 'UADMIN'))).sort()).toEqual(['slack:CBOARD', 'slack:CSALES']);
    expect(channelsIn(await ask(bot(), 'digest list', { platform: 'cli', channelId: 'cli', userId: 'operator' })).sort()).toEqual(['slack:CBOARD', 'slack:CSALES']);
  });

  it('leaves everyone free to change things while no role is configured, and the terminal always', async () => {
    expect((await ask(bot(OPEN_ROLES), `incident ack ${devIncident}`, slackIn('CRANDOM', 'UNOBODY'))).problem).toBeUndefined();
    expect((await ask(bot(), `incident resolve ${devIncident}`, { platform: 'console', channelId: 'console', userId: 'me' })).problem).toBeUndefined();
    expect(await statusOf(devIncident)).toBe('resolved');
  });
});
