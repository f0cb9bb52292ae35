import { describe, expect, it } from 'vitest';
import { channelSection } from '../../../src/bot/digest/channel-section.js';
import { createFormatter } from '../../../src/bot/format.js';
import { translator } from '../../../src/bot/messages/index.js';
import type { Reply, TableBlock } from '../../../src/bot/reply.js';
import { reply } from '../../../src/bot/reply.js';

const context = { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') };

/** An attribution answer as the command gives it: rows by conversions, its own sentence about the first. */
function attribution(rows: [channel: string, conversions: number, revenue: number, roas: number | null][]): Reply {
  return reply({
    title: 'Attribution by channel, Markov (data-driven), 2026-11-23..2026-11-29',
    summary: `Under Markov (data-driven) attribution, ${rows[0]![0]} earns the most credit.`,
    blocks: [{
      type: 'table',
      columns: [
        { key: 'label', label: 'Channel', kind: 'text' }, { key: 'conversions', label: 'Conversions', kind: 'number' },
        { key: 'revenue', label: 'Revenue', kind: 'money' }, { key: 'share', label: 'Share', kind: 'percent' }, { key: 'roas', label: 'ROAS', kind: 'number' },
      ],
      rows: rows.map(([channel, conversions, revenue, roas]) => [
        { text: channel, raw: channel }, { text: String(conversions), raw: conversions }, { text: String(revenue), raw: revenue },
        { text: '', raw: null }, { text: roas === null ? 'n/a' : `${roas}×`, raw: roas },
      ]),
    }],
  });
}

const texts = (table: TableBlock) => table.rows.map((row) => row.map((cell) => cell.text));

describe('the digest\'s channel section', () => {
  // Email has the most conversions, direct the most revenue: the digest speaks of revenue, as its table does.
  const week = attribution([
    ['email', 30, 3_000, 6], ['direct', 20, 4_000, null], ['paid_search', 10, 1_500, 1.5],
    ['organic_search', 8, 800, null], ['referral', 4, 400, null], ['display', 3, 200, 0.4], ['affiliate', 1, 100, 1],
  ]);
  const before = attribution([['email', 25, 2_500, 5], ['direct', 25, 5_000, null], ['paid_search', 10, 1_500, 1.5], ['display', 2, 100, 0.2]]);

  it('ranks channels by revenue and names the first with the figures of its row', () => {
    const section = channelSection(week, before, { isComparable: true }, context);
    const table = section.blocks[0] as TableBlock;
    // 10,000 in all: direct 40 %, email 30 %; direct 4,000 against 5,000 = −20 %; display + affiliate = 300 against 100 = +200 %
    expect(texts(table)).toEqual([
      ['direct', '€4,000', '40.0%', '-20.0%', ''],
      ['email', '€3,000', '30.0%', '+20.0%', '6.00×'],
      ['paid_search', '€1,500', '15.0%', '0.0%', '1.50×'],
      ['organic_search', '€800', '8.0%', 'n/a', ''],
      ['referral', '€400', '4.0%', 'n/a', ''],
      ['Other channels (2)', '€300', '3.0%', '+200.0%', ''],
    ]);
    expect(section.insight).toBe("direct earned the most revenue: €4,000, 40.0% of the week's.");
  });

  it('charts each channel beside the week before, revenue in euros on the value axis', () => {
    const [chart] = channelSection(week, before, { isComparable: true }, context).charts;
    expect(chart?.config.data.datasets.map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['This week', [4_000, 3_000, 1_500, 800, 400, 300]],
      ['Week before', [5_000, 2_500, 1_500, 0, 0, 100]],
    ]);
    const scales = chart?.config.options?.scales as Record<string, { title?: { text: string } }>;
    expect([scales.x?.title?.text, scales.y?.title?.text]).toEqual(['Channel', 'Revenue (€)']);
  });

  it('marks the change on the week before as partial when that week\'s orders are', () => {
    const section = channelSection(week, before, { isComparable: false, reason: 'days', earlierDays: 3, currentDays: 7, days: 7 }, context);
    expect((section.blocks[0] as TableBlock).rows.map((row) => row[3]?.text)).toEqual(Array.from({ length: 6 }, () => 'partial data'));
    expect(section.charts[0]?.config.data.datasets[1]?.data).toEqual([null, null, null, null, null, null]);
  });
});
