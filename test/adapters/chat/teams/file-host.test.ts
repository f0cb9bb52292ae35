import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTeams } from '../../../../src/adapters/chat/teams/index.js';
import { createTeamsPoster, startTeams } from '../../../../src/adapters/chat/teams/index.js';
import { barChart } from '../../../../src/bot/charts.js';
import { translator } from '../../../../src/bot/messages/index.js';
import type { ChatPoster } from '../../../../src/bot/outbound.js';
import type { Cell } from '../../../../src/bot/reply.js';
import { reply } from '../../../../src/bot/reply.js';
import { createTestBot, recordingLogger } from '../../../support/bot.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { cardSchemaErrors } from './card-schema.js';
import { anonymousDevConfig, attachmentsOf, cardOf, postActivity, teamsFixture } from './harness.js';
import type { StandInConnector } from './stand-in-connector.js';
import { startStandInConnector } from './stand-in-connector.js';

const now = new Date('2026-11-20T10:00:00Z');
const SECRET = 'file-link-secret-for-tests-5b1e';
const PERSONAL = 'a:1VF4K2uXl-hg-wn2SSWJZYK7Cqox93Xp82wekVXkbOSaJo1L8hynrdocgKu3ydRKxx6P5_u9d8yFcLjugHuhCQ7xmn25K18NfzjiKSskzi5OX0bbe2nRrNJorygvjUL4v';
const t = translator('en');

/** A port nobody listens on, so PUBLIC_URL can name the Teams server before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`Teams charts and files from the bot's own address (PUBLIC_URL) on ${testDbKind}`, () => {
  const test = useTestDb();
  let connector: StandInConnector;
  let teams: RunningTeams;
  let poster: ChatPoster;
  let publicUrl: string;

  beforeAll(async () => {
    connector = await startStandInConnector();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const config = { ...anonymousDevConfig, PUBLIC_URL: publicUrl, FILE_LINK_SECRET: SECRET };
    const bot = createTestBot(test.db, { now });
    const log = recordingLogger();
    teams = await startTeams(config, { bot, db: test.db, log, port, outbox: { kick: () => undefined } });
    poster = createTeamsPoster(config, { bot, db: test.db, log, clock: () => new Date() });
    await postActivity(teams.port, { ...(await teamsFixture('activity_message_personal.json', connector.serviceUrl)), text: 'help' });
  });
  afterAll(async () => {
    await teams.stop();
    await connector.close();
  });
  afterEach(() => {
    connector.calls.length = 0;
  });

  it('shows a chart by a signed link the bot serves, with no picture packed into the activity', async () => {
    const chart = barChart({ t, title: 'Orders per channel', labels: ['email', 'direct', 'organic'], series: [{ label: 'Orders', values: [120, 80, 45] }] });
    const posted = await poster.post({ channelId: PERSONAL }, reply({ title: 'Orders', summary: 'Email leads.', blocks: [chart] }));
    expect(posted.ok).toBe(true);
    expect(JSON.stringify(connector.calls[0]?.body)).not.toContain('data:');
    const card = cardOf(connector.calls[0]);
    expect(cardSchemaErrors(card)).toEqual([]);
    const image = (card.body as { type: string; url?: string }[]).find((element) => element.type === 'Image');
    expect(image?.url).toMatch(new RegExp(`^${publicUrl}/files/[A-Za-z0-9_-]+/[^?]+\\.png\\?expires=\\d+&sig=`));
    const served = await fetch(image!.url!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await served.arrayBuffer());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('links the CSV of a long table from the card instead of attaching a file Teams would not show', async () => {
    const rows: Cell[][] = Array.from({ length: 45 }, (_, i) => [{ text: `customer-${i + 1}`, raw: `customer-${i + 1}` }, { text: `${i}`, raw: i }]);
    const table = { type: 'table' as const, columns: [{ key: 'customer', label: 'Customer', kind: 'text' as const }, { key: 'orders', label: 'Orders', kind: 'number' as const }], rows, caption: 'Churn risk' };
    await poster.post({ channelId: PERSONAL }, reply({ title: 'Churn', summary: '45 customers.', blocks: [table] }));
    // No CSV rides along as a data URI; in a personal chat the file is also offered for OneDrive (next test).
    expect(attachmentsOf(connector.calls[0]).map((attachment) => attachment.contentType)).toEqual(['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.teams.card.file.consent']);
    const texts = (cardOf(connector.calls[0]).body as { type: string; text?: string }[]).map((element) => element.text ?? '');
    const link = texts.map((text) => /^Download \[churn-risk\.csv\]\((\S+)\) \(the link works for 30 days\)\.$/.exec(text)?.[1]).find(Boolean);
    expect(link).toBeDefined();
    const served = await fetch(link!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toContain('attachment');
    const csv = await served.text();
    expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(46);
    expect(csv).toContain('customer-45');
  });

  it('offers the CSV in a personal chat with a file consent card, and once accepted uploads it and shows the file', async () => {
    const rows: Cell[][] = Array.from({ length: 40 }, (_, i) => [{ text: `customer-${i + 1}`, raw: `customer-${i + 1}` }]);
    const table = { type: 'table' as const, columns: [{ key: 'customer', label: 'Customer', kind: 'text' as const }], rows, caption: 'At risk' };
    await poster.post({ channelId: PERSONAL }, reply({ title: 'Churn', summary: '40 customers.', blocks: [table] }));
    const consent = attachmentsOf(connector.calls[0]).find((attachment) => attachment.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    expect(consent).toMatchObject({ name: 'at-risk.csv', content: { sizeInBytes: expect.any(Number), acceptContext: { file: expect.stringContaining(`${publicUrl}/files/`) } } });
    const { acceptContext, sizeInBytes } = (consent!.content as { acceptContext: { file: string }; sizeInBytes: number });
    connector.calls.length = 0;

    const personal = await teamsFixture('activity_message_personal.json', connector.serviceUrl);
    const accepted = {
      ...personal, type: 'invoke', name: 'fileConsent/invoke', id: 'f:consent-1', text: undefined,
      value: {
        type: 'fileUpload', action: 'accept', context: acceptContext,
        uploadInfo: { contentUrl: 'https://contoso-my.sharepoint.com/personal/at-risk.csv', name: 'at-risk.csv', uploadUrl: `${connector.serviceUrl}upload-session/1`, uniqueId: 'F1', fileType: 'csv' },
      },
    };
    const response = await postActivity(teams.port, accepted);
    expect(response.status).toBe(200);
    expect(connector.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['PUT /upload-session/1', `POST /v3/conversations/${PERSONAL}/activities/f:consent-1`]);
    const uploaded = String(connector.calls[0]?.body);
    expect(Buffer.byteLength(uploaded)).toBe(sizeInBytes);
    expect(uploaded).toContain('customer-40');
    expect(attachmentsOf(connector.calls[1])).toEqual([{ contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: 'https://contoso-my.sharepoint.com/personal/at-risk.csv', name: 'at-risk.csv', content: { uniqueId: 'F1', fileType: 'csv' } }]);
  });

  it('refuses a link whose signature was altered (403), one that expired (410) and a file it does not keep (404)', async () => {
    const chart = barChart({ t, title: 'Orders', labels: ['a'], series: [{ label: 'Orders', values: [1] }] });
    await poster.post({ channelId: PERSONAL }, reply({ title: 'Orders', summary: 's', blocks: [chart] }));
    const url = new URL((cardOf(connector.calls[0]).body as { type: string; url?: string }[]).find((element) => element.type === 'Image')!.url!);
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    expect((await fetch(tampered)).status).toBe(403);

    const id = url.pathname.split('/')[2]!;
    const sign = (fileId: string, expires: number) => createHmac('sha256', SECRET).update(`${fileId}.${expires}`).digest('base64url');
    const pastS = Math.floor(Date.now() / 1000) - 60;
    expect((await fetch(`${publicUrl}/files/${id}/x.png?expires=${pastS}&sig=${sign(id, pastS)}`)).status).toBe(410);
    const futureS = Math.floor(Date.now() / 1000) + 3600;
    expect((await fetch(`${publicUrl}/files/no-such-file/x.png?expires=${futureS}&sig=${sign('no-such-file', futureS)}`)).status).toBe(404);
  });
});
