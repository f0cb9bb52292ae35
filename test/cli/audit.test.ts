import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/cli/audit.js';
import { captureIo, testApp } from '../support/cli.js';
import { testDbKind, useTestDb } from '../support/db.js';

describe(`mkt audit on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE audit_log, subscriptions RESTART IDENTITY CASCADE');
  });

  it('shows who changed what, where, typed or clicked, and whether it was allowed, newest first', async () => {
    const app = testApp(test.db, { ADMINS: 'UADMIN', DIGEST_OWNERS: 'UMANAGER' });
    await app.bot.handle({ text: 'digest subscribe weekly mon 09:00', platform: 'slack', channelId: 'CSALES', userId: 'UNOBODY' });
    await app.bot.handle({ text: 'digest unsubscribe', platform: 'teams', channelId: '19:sales@thread.tacv2', userId: 'UMANAGER', isClick: true });
    await app.bot.handle({ text: 'kpi last 7d', platform: 'slack', channelId: 'CSALES', userId: 'UNOBODY' });
    const io = captureIo();
    expect(await auditLog.run([], app, io)).toBe(0);
    const lines = io.lines.join('\n').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^at\s+platform\s+channel\s+who\s+via\s+outcome\s+what$/);
    expect(lines[1]).toMatch(/\s+teams\s+19:sales@thread\.tacv2\s+UMANAGER\s+button\s+no_data\s+digest unsubscribe$/);
    expect(lines[2]).toMatch(/\s+slack\s+CSALES\s+UNOBODY\s+typed\s+forbidden\s+digest subscribe weekly mon 09:00$/);
    const byActor = captureIo();
    await auditLog.run(['--actor', 'UMANAGER'], app, byActor);
    expect(byActor.lines.join('\n').split('\n')).toHaveLength(2);
    const bad = captureIo();
    expect(await auditLog.run(['--limit', 'many'], app, bad)).toBe(2);
  });
});
