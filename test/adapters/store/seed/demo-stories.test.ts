import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../../src/adapters/store/seed/seed-demo.js';
import { demoStories } from '../../../../src/adapters/store/seed/stories.js';
import { testDbKind, useTestDb } from '../../../support/db.js';
import { HOUR_MS } from '../../../../src/analytics/time.js';

const END = new Date('2026-11-26T11:00:00Z');
// Eight weeks of history puts 2000 customers' orders close to the end: about two orders an hour
// around the stories, enough for an eight-hour outage to be unmistakable.
const SHOP = { customers: 2000, weeks: 8, end: END, replace: true };
// 1 November 00:00 to 26 November 11:00.
const ELAPSED_DAYS = 25 + 11 / 24;
const floorHour = (date: Date): Date => new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);

describe('demoStories', () => {
  it('places the stories relative to the end: outage three days before at 14:02, publishes 12 and 5 days before', () => {
    const stories = demoStories(END);
    expect(stories.trackingOutage).toMatchObject({
      deployAt: new Date('2026-11-23T14:02:00Z'), startsAt: new Date('2026-11-23T14:08:00Z'),
      hotfixAt: new Date('2026-11-23T22:08:00Z'), endsAt: new Date('2026-11-23T22:12:00Z'),
    });
    // Versions count three a week from Monday 2020-01-06: 2504 days = 357 weeks → 3·357 + 2; 2511 days → 3·358 + 3.
    expect(stories.lcpRegression).toMatchObject({
      publishAt: new Date('2026-11-14T10:00:00Z'), publishRef: 'GTM-K7Q2D9X v1073',
      removalAt: new Date('2026-11-21T11:30:00Z'), removalRef: 'GTM-K7Q2D9X v1077',
    });
  });
});

describe(`the demo shop's stories on ${testDbKind}`, () => {
  const test = useTestDb();
  const stories = demoStories(END);
  const outage = stories.trackingOutage;
  const lcp = stories.lcpRegression;

  /** Purchase events and backend orders between two times (whole hours). */
  async function purchasesAndOrders(from: Date, to: Date): Promise<{ events: number; orders: number }> {
    const [row] = await test.db.query<{ events: number; orders: number }>(`
      SELECT (SELECT coalesce(sum(count), 0) FROM tracking_events WHERE event_name = 'purchase' AND hour >= $1 AND hour < $2) AS events,
        (SELECT count(*) FROM orders WHERE ordered_at >= $1 AND ordered_at < $2) AS orders`, [from, to]);
    return row ?? { events: -1, orders: -1 };
  }

  async function labLcp(url: string, from: Date, to: Date): Promise<{ lcp: number; bytes: number; score: number }> {
    const [row] = await test.db.query<{ lcp: number; bytes: number; score: number }>(`
      SELECT avg(lcp_ms)::float8 AS lcp, avg(third_party_bytes)::float8 AS bytes, avg(performance_score)::float8 AS score
      FROM pagespeed_runs WHERE kind = 'lab' AND form_factor = 'mobile' AND url = $1 AND at >= $2 AND at < $3`, [url, from, to]);
    return row ?? { lcp: -1, bytes: -1, score: -1 };
  }

  /** Spend so far this month against the cap's share for the days elapsed (1 = on pace). */
  async function pacing(): Promise<Record<string, number>> {
    const rows = await test.db.query<{ channel: string; pacing: number }>(`
      SELECT b.channel, (SELECT sum(cost) FROM spend s WHERE s.channel = b.channel AND s.day >= b.period_start)
        / (b.cap * $1 / (b.period_end - b.period_start + 1))::float8 AS pacing
      FROM budgets b WHERE b.period_start = '2026-11-01'`, [ELAPSED_DAYS]);
    return Object.fromEntries(rows.map((row) => [row.channel, row.pacing]));
  }

  beforeAll(async () => {
    await seedDemo(test.db, SHOP);
  });

  it('has paid social and display overspending this month while the other channels stay under their caps', async () => {
    // Caps are the plan plus 8 %: on plan a channel paces at 1/1.08 ≈ 0.93; 35 % over plan, 1.35/1.08 = 1.25.
    const byChannel = await pacing();
    expect(Object.keys(byChannel).sort()).toEqual(['affiliate', 'display', 'email', 'paid_search', 'paid_social']);
    for (const channel of stories.overpacingChannels) expect(byChannel[channel], channel).toBeGreaterThan(1.12);
    for (const channel of ['affiliate', 'email', 'paid_search']) {
      expect(byChannel[channel], channel).toBeGreaterThan(0.8);
      expect(byChannel[channel], channel).toBeLessThan(1.02);
    }
  });

  it('loses the purchase event from the hour after the consent deploy until the hotfix, but not the orders', async () => {
    const during = await purchasesAndOrders(new Date(floorHour(outage.deployAt).getTime() + HOUR_MS), floorHour(outage.hotfixAt));
    expect(during.orders).toBeGreaterThanOrEqual(8);
    expect(during.events).toBeLessThanOrEqual(0.05 * during.orders);
    const weekBefore = await purchasesAndOrders(new Date(floorHour(outage.deployAt).getTime() + HOUR_MS - 7 * 24 * HOUR_MS),
      new Date(floorHour(outage.hotfixAt).getTime() - 7 * 24 * HOUR_MS));
    expect(during.orders).toBeGreaterThan(0.5 * weekBefore.orders);
  });

  it('records purchases normally in the hours before the deploy and after the hotfix', async () => {
    const morning = await purchasesAndOrders(new Date(floorHour(outage.deployAt).getTime() - 6 * HOUR_MS), floorHour(outage.deployAt));
    expect(morning.orders).toBeGreaterThanOrEqual(5);
    expect(morning.events).toBeGreaterThanOrEqual(0.7 * morning.orders);
    const nextDay = await purchasesAndOrders(new Date(floorHour(outage.hotfixAt).getTime() + HOUR_MS), new Date(floorHour(outage.hotfixAt).getTime() + 17 * HOUR_MS));
    expect(nextDay.events).toBeGreaterThanOrEqual(0.7 * nextDay.orders);
  });

  it('reports far fewer conversions than backend orders on the outage day', async () => {
    const [day] = await test.db.query<{ reported: number; orders: number }>(`
      SELECT (SELECT sum(conversions) FROM reported_conversions WHERE day = '2026-11-23') AS reported,
        (SELECT count(*) FROM orders WHERE ordered_at >= '2026-11-23' AND ordered_at < '2026-11-24') AS orders`);
    expect((day?.reported ?? 0) / (day?.orders ?? 1)).toBeLessThan(0.8);
  });

  it('records the deploy, the hotfix and both tag-manager publishes with the tags and their domains', async () => {
    const changes = await test.db.query<{ at: Date; kind: string; ref: string; summary: string; details: unknown }>(
      'SELECT at, kind, ref, summary, details FROM changes WHERE ref = ANY($1) ORDER BY at', [[outage.deployRef, outage.hotfixRef, lcp.publishRef, lcp.removalRef]]);
    expect(changes.map((change) => [change.kind, change.ref, change.at])).toEqual([
      ['tag_manager', lcp.publishRef, lcp.publishAt], ['tag_manager', lcp.removalRef, lcp.removalAt],
      ['deploy', outage.deployRef, outage.deployAt], ['deploy', outage.hotfixRef, outage.hotfixAt],
    ]);
    expect(changes[2]?.summary).toMatch(/consent/);
    expect(changes[0]?.details).toEqual({ added: lcp.added.map(({ name, type, domains }) => ({ name, type, domains })), removed: [] });
    expect(JSON.stringify(changes[1]?.details)).toContain('widget.chatloop.example');
    const sameDay = await test.db.query(`SELECT ref FROM changes WHERE kind = 'deploy' AND at::date = '2026-11-23' ORDER BY at`);
    expect(sameDay).toEqual([{ ref: outage.deployRef }, { ref: outage.hotfixRef }]);
  });

  it('raises mobile lab LCP on the home page from about 2.2 s to about 3.6 s while the chat widget is live', async () => {
    const day = 24 * HOUR_MS;
    const before = await labLcp('https://shop.example/', new Date(lcp.publishAt.getTime() - 7 * day), lcp.publishAt);
    const during = await labLcp('https://shop.example/', new Date(lcp.publishAt.getTime() + day), lcp.removalAt);
    const after = await labLcp('https://shop.example/', new Date(lcp.removalAt.getTime() + day), END);
    expect(before.lcp).toBeGreaterThan(2000);
    expect(before.lcp).toBeLessThan(2450);
    expect(during.lcp).toBeGreaterThan(3300);
    expect(during.lcp).toBeLessThan(3900);
    expect(after.lcp).toBeLessThan(2550);
    expect(during.bytes - before.bytes).toBeGreaterThan(300_000);
    expect(during.score).toBeLessThan(before.score - 0.1);
    const checkout = await labLcp('https://shop.example/checkout', new Date(lcp.publishAt.getTime() + day), lcp.removalAt);
    expect(checkout.lcp).toBeLessThan(2300);
  });

  it('moves the field p75 LCP past 2.5 s within the week and keeps it there while CrUX still averages the bad days', async () => {
    const field = await test.db.query<{ at: Date; lcp_ms: number }>(`
      SELECT at, lcp_ms FROM pagespeed_runs WHERE kind = 'field' AND form_factor = 'mobile' AND url = 'https://shop.example/' AND at >= $1 ORDER BY at`,
    [new Date(lcp.publishAt.getTime() - 2 * 24 * HOUR_MS)]);
    expect(field[0]?.lcp_ms).toBeLessThan(2500);
    const crossed = field.find((row) => row.lcp_ms > 2500);
    expect(crossed?.at.getTime()).toBeLessThan(lcp.removalAt.getTime());
    expect(field.at(-1)?.lcp_ms).toBeGreaterThan(2500);
  });

  it('with stories off seeds the same kind of shop with no outage, no story changes, flat LCP and no overspending', async () => {
    await seedDemo(test.db, { ...SHOP, stories: false });
    const during = await purchasesAndOrders(new Date(floorHour(outage.deployAt).getTime() + HOUR_MS), floorHour(outage.hotfixAt));
    expect(during.events).toBeGreaterThanOrEqual(0.7 * during.orders);
    const storyChanges = await test.db.query('SELECT ref FROM changes WHERE ref = ANY($1)', [[outage.deployRef, outage.hotfixRef, lcp.publishRef, lcp.removalRef]]);
    expect(storyChanges).toEqual([]);
    const during2 = await labLcp('https://shop.example/', new Date(lcp.publishAt.getTime() + 24 * HOUR_MS), lcp.removalAt);
    expect(during2.lcp).toBeLessThan(2450);
    expect(Math.max(...Object.values(await pacing()))).toBeLessThan(1.02);
  });
});
