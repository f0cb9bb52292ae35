import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSlack } from '../../../../src/adapters/chat/slack/index.js';
import { startSlack } from '../../../../src/adapters/chat/slack/index.js';
import { ACTION_ID_PREFIX } from '../../../../src/adapters/chat/slack/render.js';
import { selectAudit } from '../../../../src/adapters/store/queries/audit.js';
import { insertIncident } from '../../../../src/adapters/store/queries/incidents.js';
import type { StandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { startStandInSlack } from '../../../../bench/lib/stand-in-slack.js';
import { blockActionsBody, postSigned } from '../../../../bench/lib/slack-requests.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { TEAM_ROLES } from '../../../support/roles.js';

const SECRET = 'roles-signing-secret';
const NOW = new Date('2026-11-26T09:00:00Z');

describe(`incident buttons clicked in Slack by owners and others on ${testDbKind}`, () => {
  const test = useTestDb();
  let slack: StandInSlack;
  let app: RunningSlack;

  beforeAll(async () => {
    slack = await startStandInSlack();
    const config = { SLACK_BOT_TOKEN: 'xoxb-roles', SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: undefined, SLACK_API_URL: slack.apiUrl, PORT: 0 };
    app = await startSlack(config, { bot: createTestBot(test.db, { now: NOW, settings: { roles: TEAM_ROLES } }), db: test.db, log: recordingLogger(), workingNoteAfterMs: 60_000 });
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  const click = (value: string, userId: string, responseId: string) => postSigned({
    url: `http://127.0.0.1:${app.port}/slack/events`, contentType: 'application/x-www-form-urlencoded', signingSecret: SECRET, timestampS: Math.floor(Date.now() / 1000),
    body: blockActionsBody({ actionId: `${ACTION_ID_PREFIX}resolve`, value, channelId: 'CRANDOM', userId, messageTs: '1780000000.000100', responseUrl: slack.responseUrl(responseId) }),
  });

  it('shows a non-owner who clicks Resolve why not, changes nothing, and audits the click; an owner\'s click resolves', async () => {
    const id = await insertIncident(test.db, {
      signal: 'speed', target: 'https://shop.example', severity: 'major', title: 'LCP regression', ownerTeam: 'dev',
      openedAt: NOW, breachStartedAt: NOW, evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
    expect((await click(`incident resolve ${id}`, 'UNOBODY', 'nobody')).status).toBe(200);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'response_url' && call.params.id === 'nobody'));
    const [refusal] = slack.callsTo('response_url').filter((call) => call.params.id === 'nobody');
    expect(refusal?.params).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining(`may resolve incident ${id}`) });
    expect(await test.db.query('SELECT status FROM incidents WHERE id = $1', [id])).toEqual([{ status: 'open' }]);

    expect((await click(`incident resolve ${id}`, 'UDEV', 'owner')).status).toBe(200);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.update'));
    expect(await test.db.query('SELECT status, resolved_by FROM incidents WHERE id = $1', [id])).toEqual([{ status: 'resolved', resolved_by: 'UDEV' }]);
    const audit = await selectAudit(test.db, { limit: 5 });
    expect(audit.map(({ platform, channel, actor, action, outcome, isClick }) => ({ platform, channel, actor, action, outcome, isClick }))).toEqual([
      { platform: 'slack', channel: 'CRANDOM', actor: 'UDEV', action: `incident resolve ${id}`, outcome: 'ok', isClick: true },
      { platform: 'slack', channel: 'CRANDOM', actor: 'UNOBODY', action: `incident resolve ${id}`, outcome: 'forbidden', isClick: true },
    ]);
  });
});
