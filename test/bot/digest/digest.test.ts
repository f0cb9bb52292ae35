import { loadImage, createCanvas } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/render-chart.js';
import { renderReplyText } from '../../../src/adapters/chat/console/render.js';
import { renderReply as renderSlack } from '../../../src/adapters/chat/slack/render.js';
import { renderCard } from '../../../src/adapters/chat/teams/render.js';
import { createDataPort } from '../../../src/adapters/store/data-port.js';
import { translator } from '../../../src/bot/messages/index.js';
import { attributionMessages } from '../../../src/bot/messages/attribution.js';
import { budgetMessages } from '../../../src/bot/messages/budget.js';
import { chartMessages } from '../../../src/bot/messages/charts.js';
import { commonMessages } from '../../../src/bot/messages/common.js';
import { digestMessages } from '../../../src/bot/messages/digest.js';
import { incidentsMessages } from '../../../src/bot/messages/incidents.js';
import { kpiMessages } from '../../../src/bot/messages/kpi.js';
import { rfmMessages } from '../../../src/bot/messages/rfm.js';
import { speedMessages } from '../../../src/bot/messages/speed.js';
import { trackingMessages } from '../../../src/bot/messages/tracking.js';
import type { ChartBlock, Reply } from '../../../src/bot/reply.js';
import { composeDigestAt } from '../../../src/bot/digest/compose.js';
import { MAX_DIGEST_CHARTS } from '../../../src/bot/digest/digest.js';
import { createTestBot } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';

/** The catalog topics a digest's text comes from. */
const CATALOG_TOPICS = [attributionMessages, budgetMessages, chartMessages, commonMessages, digestMessages, incidentsMessages, kpiMessages, rfmMessages, speedMessages, trackingMessages];

// Monday 30 Nov 2026, 09:00 in Rome: the digest covers Mon 23 – Sun 29 Nov 2026 (UTC days, the bot's zone).
const scheduledAt = new Date('2026-11-30T08:00:00Z');

const chartsOf = (reply: Reply): ChartBlock[] => reply.blocks.filter((block): block is ChartBlock => block.type === 'chart');
const textsOf = (reply: Reply): string[] => reply.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : []));
/** Everything a reader of the reply sees, renderer aside: titles, sentences, cells, fields, chart titles, legends, axes and alt text. */
const everyTextOf = (reply: Reply): string => [reply.title, reply.summary, ...reply.blocks.flatMap((block) => {
  switch (block.type) {
    case 'text': return [block.text];
    case 'table': return [block.caption ?? '', ...block.columns.map((column) => column.label), ...block.rows.flat().map((cell) => cell.text)];
    case 'fields': return block.fields.flatMap((field) => [field.label, field.value]);
    case 'chart': return [block.title, block.alt, JSON.stringify(block.config.data.datasets.map((dataset) => dataset.label)), JSON.stringify(block.config.options?.scales ?? {})];
    default: return [];
  }
})].join('\n');
const tableRow = (reply: Reply, metric: string) => {
  for (const block of reply.blocks) {
    const row = block.type === 'table' ? block.rows.find((cells) => cells[0]?.text === metric) : undefined;
    if (row) return row.map((cell) => cell.text);
  }
  throw new Error(`no row ${metric}`);
};

async function insertIncident(db: Parameters<typeof clearData>[0], incident: { title: string; openedAt: string; acknowledgedAt?: string; resolvedAt?: string }) {
  const status = incident.resolvedAt ? 'resolved' : incident.acknowledgedAt ? 'acknowledged' : 'open';
  await db.query(
    `INSERT INTO incidents (signal, target, status, severity, title, owner_team, opened_at, acknowledged_at, resolved_at)
     VALUES ('capture_rate', $1, $2, 'major', $1, 'dev', $3, $4, $5)`,
    [incident.title, status, incident.openedAt, incident.acknowledgedAt ?? null, incident.resolvedAt ?? null],
  );
}

describe(`the weekly digest on ${testDbKind}`, () => {
  const test = useTestDb();
  let digest: Reply;
  let italian: Reply;

  beforeAll(async () => {
    await clearData(test.db);
    await test.db.exec('TRUNCATE incidents RESTART IDENTITY CASCADE');
    await insertOrders(test.db, [
      // the week: 3 orders, 100 + 50 + 90 = 240
      { id: 'o1', customer: 'c1', at: '2026-11-23T00:00:00Z', revenue: 100 },
      { id: 'o2', customer: 'c2', at: '2026-11-25T12:00:00Z', revenue: 50 },
      { id: 'o3', customer: 'c3', at: '2026-11-29T23:59:00Z', revenue: 90 },
      // the week before: 1 order, 120
      { id: 'p1', customer: 'c1', at: '2026-11-17T10:00:00Z', revenue: 120 },
      // 52 weeks earlier (Mon 24 – Sun 30 Nov 2025): 2 orders, 160 + 40 = 200; the days either side do not count
      { id: 'y0', customer: 'c7', at: '2025-11-23T23:59:00Z', revenue: 500 },
      { id: 'y1', customer: 'c9', at: '2025-11-24T00:00:00Z', revenue: 160 },
      { id: 'y2', customer: 'c8', at: '2025-11-30T20:00:00Z', revenue: 40 },
      { id: 'y3', customer: 'c6', at: '2025-12-01T00:00:00Z', revenue: 700 },
    ]);
    await insertTouchpoints(test.db, [
      { id: 't1', customer: 'c1', at: '2026-11-22T20:00:00Z', channel: 'email', order: 'o1' },
      { id: 't2', customer: 'c2', at: '2026-11-25T11:00:00Z', channel: 'paid_search', order: 'o2' },
      { id: 't3', customer: 'c3', at: '2026-11-29T22:00:00Z', channel: 'email', order: 'o3' },
    ]);
    await test.db.query(`INSERT INTO budgets (channel, period_start, period_end, cap, currency) VALUES ('paid_search', '2026-11-01', '2026-11-30', 300, 'EUR')`);
    await test.db.query(`INSERT INTO spend (day, channel, campaign, cost, currency) SELECT d::date, 'paid_search', 'brand', 10, 'EUR' FROM generate_series('2026-11-01'::date, '2026-11-29'::date, '1 day') AS d`);
    await insertIncident(test.db, { title: 'before the week', openedAt: '2026-11-20T10:00:00Z', acknowledgedAt: '2026-11-20T11:00:00Z' });
    // 30 min to acknowledge, 120 min to resolve
    await insertIncident(test.db, { title: 'purchase events dropped', openedAt: '2026-11-24T10:00:00Z', acknowledgedAt: '2026-11-24T10:30:00Z', resolvedAt: '2026-11-24T12:00:00Z' });
    // 10 min to acknowledge, still open
    await insertIncident(test.db, { title: 'LCP regressed', openedAt: '2026-11-27T09:00:00Z', acknowledgedAt: '2026-11-27T09:10:00Z' });
    // over before the week began: not the week's news
    await insertIncident(test.db, { title: 'resolved before the week', openedAt: '2026-11-10T09:00:00Z', acknowledgedAt: '2026-11-10T09:05:00Z', resolvedAt: '2026-11-12T09:00:00Z' });

    digest = await composeDigestAt(
      { bot: createTestBot(test.db, { now: scheduledAt }), data: createDataPort(test.db) },
      { platform: 'slack', channelId: 'C0MARKETING', locale: 'en' },
      scheduledAt,
    );
    italian = await composeDigestAt(
      { bot: createTestBot(test.db, { now: scheduledAt }), data: createDataPort(test.db) },
      { platform: 'teams', channelId: '19:milano', locale: 'it' },
      scheduledAt,
    );
  });

  it('opens with the week\'s incidents, then its largest change, in figures the KPI table shows', () => {
    expect(digest.title).toBe('Weekly digest, 23 Nov 2026 – 29 Nov 2026');
    // Open during the week: #1 (opened before it, still open), #3 (opened in it, still open), #2 (resolved in it); #4 was over before.
    // Orders: 3 against 1 the week before is +200 %, more than revenue's 240 against 120 (+100 %).
    expect(digest.summary).toBe(
      '2 incidents still open (#1 before the week and #3 LCP regressed) and 1 resolved this week. ' +
      'Largest change: Orders +200.0% on the week before (3 against 1).',
    );
    // 240 against 120 the week before (+100%) and 200 a year earlier (+20%); AOV 80 against 120 (−33.3%) and 100 (−20%)
    expect(tableRow(digest, 'Revenue')).toEqual(['Revenue', '€240', '€120', '+100.0%', '+20.0%']);
    expect(tableRow(digest, 'Orders')).toEqual(['Orders', '3', '1', '+200.0%', '+50.0%']);
    expect(tableRow(digest, 'Average order value')).toEqual(['Average order value', '€80', '€120', '-33.3%', '-20.0%']);
    expect(textsOf(digest)).toContain('KPIs: Revenue was €240: +100.0% on the week before and +20.0% on the same week last year.');
  });

  it('puts the incidents first when the week had any, and the health line last', () => {
    const openings = textsOf(digest).filter((text) => /^[^:]+:/.test(text)).map((text) => text.split(':')[0]);
    expect(openings.slice(0, 7)).toEqual(['Incidents', 'KPIs', 'Revenue by channel', 'Customer movement (RFM)', 'Tracking', 'Core Web Vitals', 'Budget pacing']);
    expect(textsOf(digest).at(-1)).toBe('The monitors cannot watch tracking events and page speed this week: there is no data for them.');
  });

  it('is written in the subscriber\'s language', async () => {
    expect(italian.title).toBe('Riepilogo settimanale, 23 nov 2026 – 29 nov 2026');
    expect(italian.summary).toBe(
      '2 incidenti ancora aperti (#1 before the week e #3 LCP regressed) e 1 risolto questa settimana. ' +
      'Variazione maggiore: Ordini +200,0% rispetto alla settimana prima (3 contro 1).',
    );
  });

  it('leaves no English word of the message catalog in the Italian digest', () => {
    const words = (text: string) => text.toLowerCase().match(/[a-zà-ù']{3,}/g) ?? [];
    // A message function's source without its parameter reads (`p.revenue`), so only its own words count.
    const catalogWords = (messages: Record<string, unknown>) => new Set(Object.values(messages).flatMap((entry) => words(String(entry).replace(/\bp\.\w+/g, ' '))));
    const english = catalogWords(Object.assign({}, ...CATALOG_TOPICS.map((topic) => topic.en)));
    const italianWords = catalogWords(Object.assign({}, ...CATALOG_TOPICS.map((topic) => topic.it)));
    // The check bites: an English-only catalog word such as "revenue" would be caught.
    expect(english.has('revenue') && !italianWords.has('revenue')).toBe(true);
    // The test's own data reads the same in both languages: incident titles, channel ids, the purchase event.
    const data = new Set(words('before the week LCP regressed purchase events dropped email paid_search'));
    const leftovers = words(everyTextOf(italian)).filter((word) => english.has(word) && !italianWords.has(word) && !data.has(word));
    expect([...new Set(leftovers)]).toEqual([]);
  });

  it('tells budget pacing from the budget table in money rounded for reading', () => {
    // 10 a day on 1-29 Nov against a 300 cap for November: 290 spent, on pace for 300.
    expect(textsOf(digest)).toContain('Budget pacing: No channel is overpacing: €290 spent of €300 in caps, €300 projected by the end of the budget periods.');
  });

  it('counts the incidents of the week with their median times to acknowledge and resolve', () => {
    // acknowledged after 60, 10 and 30 min: median 30 min; the one resolved took 120 min
    expect(textsOf(digest)).toContain('Incidents: 2 still open, 1 resolved this week; median time to acknowledge 30 min, median time to resolve 2 h.');
    expect(tableRow(digest, '#1 before the week')).toEqual(['#1 before the week', 'Major', 'Acknowledged', '1 h', 'not yet']);
    expect(tableRow(digest, '#2 purchase events dropped')).toEqual(['#2 purchase events dropped', 'Major', 'Resolved', '30 min', '2 h']);
    expect(tableRow(digest, '#3 LCP regressed')).toEqual(['#3 LCP regressed', 'Major', 'Acknowledged', '10 min', 'not yet']);
    expect(() => tableRow(digest, '#4 resolved before the week')).toThrow();
  });

  it('turns a section without data into a one-line note instead of failing', () => {
    const speed = textsOf(digest).find((text) => text.startsWith('Core Web Vitals'));
    expect(speed).toMatch(/^Core Web Vitals: Not available: /);
  });

  it('carries two to four charts, the daily revenue one with the week before beside this week', () => {
    const charts = chartsOf(digest);
    expect(charts.length).toBeGreaterThanOrEqual(2);
    expect(charts.length).toBeLessThanOrEqual(MAX_DIGEST_CHARTS);
    const revenue = charts.find((chart) => chart.title === 'Revenue per day, this week and the week before');
    // Mon 23 – Sun 29 Nov against Mon 16 – Sun 22 Nov (120 on Tuesday 17)
    expect(revenue?.config.data.datasets.map((dataset) => dataset.data)).toEqual([[100, 0, 50, 0, 0, 0, 90], [0, 120, 0, 0, 0, 0, 0]]);
  });

  it('picks the revenue, channel and budget charts, each with its series and its axes titled', () => {
    // The tracking command draws a chart only for a drop, and this week has no tracking data at all.
    const axes = (chart: ChartBlock) => {
      const scales = chart.config.options?.scales as Record<string, { title?: { text: string } }>;
      return [scales.x?.title?.text, scales.y?.title?.text];
    };
    expect(chartsOf(digest).map((chart) => [chart.title, chart.config.data.datasets.length, axes(chart)])).toEqual([
      ['Revenue per day, this week and the week before', 2, ['Day of this week', 'Revenue (€)']],
      ['Revenue by channel, this week and the week before', 2, ['Channel', 'Revenue (€)']],
      ['Spend against budget', 3, ['Spend (€)', undefined]],
    ]);
  });

  it('renders every chart to a PNG of its size that is not blank', async () => {
    const renderChart = createChartRenderer({ cacheEntries: 4, maxConcurrentRenders: 2 });
    for (const chart of chartsOf(digest)) {
      const png = await renderChart(chart);
      const image = await loadImage(png);
      expect([image.width, image.height]).toEqual([chart.width, chart.height]);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 200 || (data[i + 1] ?? 255) < 200 || (data[i + 2] ?? 255) < 200) inked += 1;
      expect(inked, chart.title).toBeGreaterThan(500);
    }
  });

  it('renders in the console, Slack and Teams', () => {
    const t = translator('en');
    const text = renderReplyText(digest);
    expect(text).toContain('Revenue was €240: +100.0% on the week before and +20.0% on the same week last year.');
    expect(text).toContain('On a year ago');
    const slack = renderSlack(digest, t);
    expect(slack.charts).toHaveLength(chartsOf(digest).length);
    for (const message of slack.messages) expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack.messages)).toContain('+20.0%');
    const teams = renderCard(digest, { t });
    expect(JSON.stringify(teams.card)).toContain('+20.0%');
    expect(JSON.stringify(teams.card)).toContain('2 still open, 1 resolved this week');
  });
});
