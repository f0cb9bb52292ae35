import { describe, expect, it } from 'vitest';
import { renderReplyText } from '../../../../src/adapters/chat/console/render.js';
import { reply } from '../../../../src/bot/reply.js';
import type { ChartBlock, Column, TableBlock } from '../../../../src/bot/reply.js';

const cell = (text: string, raw: number | string | null = text) => ({ text, raw });
const tableReply = (table: Omit<TableBlock, 'type'>, width?: number) =>
  renderReplyText(reply({ title: 'T', summary: 'S', blocks: [{ type: 'table', ...table }] }), width ? { width } : {})
    .split('\n').slice(3, -1);
const cells = (text: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

const channelColumns: Column[] = [
  { key: 'channel', label: 'Channel', kind: 'text' },
  { key: 'revenue', label: 'Revenue', kind: 'money' },
  { key: 'share', label: 'Share', kind: 'percent' },
];

describe('renderReplyText tables', () => {
  it('right-aligns money and percent columns and left-aligns text, counting "à" as one cell even when decomposed', () => {
    const lines = tableReply({
      columns: channelColumns,
      rows: [
        [cell('Email'), cell('€1,200', 1200), cell('12.5%', 0.125)],
        [cell('Paid search'), cell('€10,400', 10400), cell('80.0%', 0.8)],
        [cell('Citta\u0300'), cell('€9', 9), cell('7.5%', 0.075)],
      ],
    });
    expect(lines).toEqual([
      'Channel      Revenue  Share',
      '───────────  ───────  ─────',
      'Email         €1,200  12.5%',
      'Paid search  €10,400  80.0%',
      'Citta\u0300             €9   7.5%',
    ]);
  });

  it('wraps a long text cell onto more lines so the table fits the width, cutting nothing, numbers whole', () => {
    const url = 'https://shop.example.it/categoria/scarpe-da-corsa-uomo?utm_source=newsletter';
    const lines = tableReply({
      columns: [{ key: 'page', label: 'Page', kind: 'text' }, { key: 'lcp', label: 'LCP p75', kind: 'number' }],
      rows: [[cell(url), cell('2,400 ms', 2400)], [cell('/'), cell('900 ms', 900)]],
    }, 40);
    // 40 columns minus the gap (2) and the LCP column (8) leave 30 for the page, broken after a "/" or "-".
    expect(lines.slice(2, 6)).toEqual([
      'https://shop.example.it/        2,400 ms',
      'categoria/scarpe-da-corsa-',
      'uomo?utm_source=newsletter',
      '/                                 900 ms',
    ]);
    expect(lines.slice(2, 5).map((line) => line.slice(0, 30).trim()).join('')).toBe(url);
    lines.forEach((line) => expect(cells(line)).toBeLessThanOrEqual(40));
  });

  it('never cuts numbers, even when the terminal is too narrow for them', () => {
    const lines = tableReply({
      columns: [{ key: 'a', label: 'Orders', kind: 'number' }, { key: 'b', label: 'Revenue', kind: 'money' }],
      rows: [[cell('1,234,567', 1234567), cell('€98,765,432', 98765432)]],
    }, 10);
    expect(lines[2]).toBe('1,234,567  €98,765,432');
  });

  it('shows the header and "(no rows)" for an empty table', () => {
    const lines = tableReply({ columns: channelColumns.slice(0, 2), rows: [], caption: 'Revenue per channel, last 7d' });
    expect(lines).toEqual(['Channel  Revenue', '───────  ───────', '(no rows)', 'Revenue per channel, last 7d']);
  });

  it('says how many rows were left out, then the caption', () => {
    const lines = tableReply({
      columns: channelColumns.slice(0, 1), rows: [[cell('Email')], [cell('Direct')]], totalRows: 57, caption: 'Top channels',
    });
    expect(lines.slice(-2)).toEqual(['showing 2 of 57 rows', 'Top channels']);
  });
});

describe('renderReplyText', () => {
  const chart: ChartBlock = { type: 'chart', title: 'Sessions', alt: 'Sessions. Line chart of Sessions.', config: { type: 'line', data: { datasets: [] } }, width: 800, height: 400 };
  const otherChart: ChartBlock = { ...chart, title: 'Orders', alt: 'Orders. Bar chart.' };
  const full = reply({
    title: 'KPI, last 7d',
    summary: 'Revenue rose 12% on last week.',
    blocks: [
      { type: 'fields', fields: [{ label: 'Revenue', value: '€12,400' }, { label: 'AOV', value: '€48' }, { label: 'Più venduti', value: '12' }] },
      { type: 'divider' },
      { type: 'text', text: 'Email carried most of the rise.' },
      { type: 'list', items: ['Email +30%', 'Direct −2%'] },
      { ...chart },
      otherChart,
    ],
    actions: [{ id: 'kpi.period', label: 'Last 30 days', command: 'kpi last 30d' }],
    attachments: [
      { filename: 'kpi.csv', mimeType: 'text/csv', content: 'a\r\n', encoding: 'utf8', title: 'KPI table' },
      { filename: 'raw.json', mimeType: 'application/json', content: '{}', encoding: 'utf8' },
    ],
  });

  it('lays out title, summary, aligned fields, divider, text, bullets, charts, actions and files', () => {
    const blocks = full.blocks;
    const chartPaths = new Map<ChartBlock, string>([[blocks[4] as ChartBlock, 'charts/sessions.png']]);
    expect(renderReplyText(full, { chartPaths, width: 20 })).toBe([
      'KPI, last 7d',
      'Revenue rose 12% on last week.',
      '',
      'Revenue:     €12,400',
      'AOV:         €48',
      'Più venduti: 12',
      '',
      '────────────────────',
      '',
      'Email carried most of the rise.',
      '',
      '• Email +30%',
      '• Direct −2%',
      '',
      '[chart] Sessions: charts/sessions.png',
      '',
      '[chart] Orders: Orders. Bar chart.',
      '',
      '[Last 30 days] → kpi last 30d',
      '',
      '[file] kpi.csv (KPI table)',
      '[file] raw.json',
      '',
    ].join('\n'));
  });

  it('prints the title in bold only for a terminal', () => {
    const short = reply({ title: 'KPI', summary: 'Flat week.' });
    expect(renderReplyText(short, { isTty: true })).toBe('\u001b[1mKPI\u001b[0m\nFlat week.\n');
    expect(renderReplyText(short)).toBe('KPI\nFlat week.\n');
  });

  it('keeps rows apart that only differ after the width: paid_search and paid_social are not both "paid_…"', () => {
    const lines = tableReply({
      columns: [{ key: 'channel', label: 'Channel', kind: 'text' }, { key: 'revenue', label: 'Revenue', kind: 'money' }],
      rows: [[cell('paid_search'), cell('€1,000', 1000)], [cell('paid_social'), cell('€2,000', 2000)]],
    }, 16);
    const text = lines.join('\n');
    expect(text).not.toContain('…');
    expect(lines.slice(2)).toEqual(['paid_     €1,000', 'search', 'paid_     €2,000', 'social']);
    lines.forEach((line) => expect(cells(line)).toBeLessThanOrEqual(16));
  });
});
