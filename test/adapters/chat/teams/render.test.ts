import { describe, expect, it } from 'vitest';
import { cardJsonBytes, TEAMS_CARD_BUDGET_BYTES } from '../../../../src/adapters/chat/teams/card-size.js';
import type { ActionSetElement, CardElement, FactSetElement, TableElement, TextBlockElement } from '../../../../src/adapters/chat/teams/card-types.js';
import { renderCard, TEAMS_MAX_TABLE_ROWS } from '../../../../src/adapters/chat/teams/render.js';
import { renderTable } from '../../../../src/adapters/chat/teams/render-table.js';
import { translator } from '../../../../src/bot/messages/index.js';
import type { Button, ChartBlock, Reply, TableBlock } from '../../../../src/bot/reply.js';
import { reply } from '../../../../src/bot/reply.js';
import { cardSchemaErrors } from './card-schema.js';

const t = translator('en');

const chart: ChartBlock = {
  type: 'chart', title: 'Revenue by week', alt: 'Revenue rose from 10 to 14 over four weeks.',
  config: { type: 'bar', data: { labels: ['a'], datasets: [{ data: [1] }] } }, width: 800, height: 400,
};

function table(rowCount: number, cellText = (row: number) => `row ${row}`): TableBlock {
  return {
    type: 'table',
    columns: [{ key: 'name', label: 'Channel', kind: 'text' }, { key: 'revenue', label: 'Revenue', kind: 'money' }],
    rows: Array.from({ length: rowCount }, (_, i) => [{ text: cellText(i + 1), raw: `r${i + 1}` }, { text: `€${i + 1}.00`, raw: i + 1 }]),
  };
}

function ofType<T extends CardElement['type']>(body: CardElement[], type: T): Extract<CardElement, { type: T }>[] {
  return body.filter((element): element is Extract<CardElement, { type: T }> => element.type === type);
}

function texts(body: CardElement[]): string[] {
  return ofType(body, 'TextBlock').map((block: TextBlockElement) => block.text);
}

describe('Teams Adaptive Card renderer', () => {
  it('lays out every kind of block as a card that validates against the Adaptive Card 1.5 schema', () => {
    const everything: Reply = reply({
      title: 'KPIs, last 7 days', summary: 'Revenue is up 12% on the previous week.',
      blocks: [
        { type: 'text', text: 'Orders and revenue both grew.' },
        { type: 'fields', fields: [{ label: 'Revenue', value: '€12,400' }, { label: 'Orders', value: '310' }, { label: 'AOV', value: '€40.00' }] },
        { type: 'divider' },
        { type: 'list', items: ['email grew most', 'direct fell'] },
        table(3),
        chart,
      ],
      actions: [{ id: 'incident.ack', label: 'Acknowledge', command: 'incident ack 42', style: 'primary' }],
    });
    const { card } = renderCard(everything, { t, chartPngs: new Map([[chart, Buffer.alloc(2000, 1)]]) });
    expect(cardSchemaErrors(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    const facts = ofType(card.body, 'FactSet')[0] as FactSetElement;
    expect(facts.facts).toEqual([{ title: 'Revenue', value: '€12,400' }, { title: 'Orders', value: '310' }, { title: 'AOV', value: '€40.00' }]);
    // The divider becomes a separator on the list that follows it.
    expect(card.body.find((element) => element.type === 'TextBlock' && element.text.startsWith('- email'))?.separator).toBe(true);
    const image = ofType(card.body, 'Image')[0];
    expect(image?.url.startsWith('data:image/png;base64,')).toBe(true);
    expect(image?.altText).toBe(chart.alt);
  });

  it('draws tables as a Table with a header row, numbers right-aligned', () => {
    const { card, attachments } = renderCard(reply({ title: 'Channels', summary: 's', blocks: [table(3)] }), { t });
    const [tableElement] = ofType(card.body, 'Table') as TableElement[];
    expect(tableElement?.rows).toHaveLength(4);
    expect(tableElement?.rows[0]?.cells.map((cell) => cell.items[0]?.text)).toEqual(['Channel', 'Revenue']);
    expect(tableElement?.rows[3]?.cells.map((cell) => cell.items[0]?.text)).toEqual(['row 3', '€3.00']);
    expect(tableElement?.columns.map((column) => column.horizontalCellContentAlignment)).toEqual(['Left', 'Right']);
    expect(attachments).toEqual([]);
  });

  it('shows the top rows of a long table and attaches every row as CSV', () => {
    const { card, attachments } = renderCard(reply({ title: 'Customers at risk', summary: 's', blocks: [table(100)] }), { t });
    const [tableElement] = ofType(card.body, 'Table') as TableElement[];
    expect(tableElement?.rows).toHaveLength(TEAMS_MAX_TABLE_ROWS + 1);
    expect(texts(card.body)).toContain('Showing the top 30 of 100 rows.');
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.name).toBe('customers-at-risk.csv');
    const csv = Buffer.from((attachments[0] as { contentUrl: string } | undefined)?.contentUrl.replace('data:text/csv;base64,', '') ?? '', 'base64').toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(101);
    expect(csv.startsWith('Channel,Revenue\r\nr1,1\r\n')).toBe(true);
    expect(cardSchemaErrors(card)).toEqual([]);
  });

  it('halves the rows of a table with long cells until the card fits the 28 KB budget', () => {
    const wide = table(30, (row) => `${'customer name with a long label '.repeat(10)}${row}`);
    // Precondition: all 30 rows as a Table element alone are over the budget (UTF-16 bytes).
    expect(JSON.stringify(renderTable(wide.columns, wide.rows)).length * 2).toBeGreaterThan(TEAMS_CARD_BUDGET_BYTES);
    const { card, attachments } = renderCard(reply({ title: 'Wide', summary: 's', blocks: [wide] }), { t });
    expect(cardJsonBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET_BYTES);
    const [tableElement] = ofType(card.body, 'Table') as TableElement[];
    // 30 → 15 rows is the first halving, and 15 rows of ~330 characters fit.
    expect(tableElement?.rows.length).toBe(16);
    expect(attachments.map((attachment) => attachment.contentType)).toEqual(['text/csv']);
  });

  it('notes rows a command already left out without attaching anything', () => {
    const top = { ...table(5), totalRows: 240 };
    const { card, attachments } = renderCard(reply({ title: 'Top', summary: 's', blocks: [top] }), { t });
    expect(texts(card.body)).toContain('Showing the top 5 of 240 rows.');
    expect(attachments).toEqual([]);
  });

  it('sends a large chart beside the card, and shows the alt text when it is too large or missing', () => {
    const blocks = [chart];
    const big = renderCard(reply({ title: 'c', summary: 's', blocks }), { t, chartPngs: new Map([[chart, Buffer.alloc(200_000, 1)]]) });
    expect(ofType(big.card.body, 'Image')).toEqual([]);
    expect(big.attachments.map((attachment) => [attachment.contentType, attachment.name])).toEqual([['image/png', 'revenue-by-week.png']]);
    expect(texts(big.card.body)).toContain('The chart "Revenue by week" is attached below this card.');

    const huge = renderCard(reply({ title: 'c', summary: 's', blocks }), { t, chartPngs: new Map([[chart, Buffer.alloc(2_000_000, 1)]]) });
    expect(huge.attachments).toEqual([]);
    expect(texts(huge.card.body).some((text) => text.includes(chart.alt))).toBe(true);

    const cardOnly = renderCard(reply({ title: 'c', summary: 's', blocks }), { t, chartPngs: new Map([[chart, Buffer.alloc(200_000, 1)]]), isCardOnly: true });
    expect(cardOnly.attachments).toEqual([]);
    expect(texts(cardOnly.card.body).some((text) => text.includes(chart.alt))).toBe(true);

    const missing = renderCard(reply({ title: 'c', summary: 's', blocks }), { t });
    expect(texts(missing.card.body).some((text) => text.includes(chart.alt))).toBe(true);
  });

  it('turns buttons into Action.Execute with the command as data and an Action.Submit fallback', () => {
    const buttons: Button[] = [
      { id: 'incident.ack', label: 'Acknowledge', command: 'incident ack 42', style: 'primary' },
      { id: 'incident.resolve', label: 'Resolve', command: 'incident resolve 42', style: 'danger' },
      { id: 'incident.mute', label: 'Mute', command: 'incident mute 42' },
    ];
    const { card } = renderCard(reply({ title: 'Incident 42', summary: 's', actions: buttons }), { t });
    expect(card.actions).toEqual([
      { type: 'Action.Execute', title: 'Acknowledge', verb: 'incident.ack', data: { command: 'incident ack 42' }, style: 'positive', fallback: { type: 'Action.Submit', title: 'Acknowledge', data: { verb: 'incident.ack', command: 'incident ack 42' } } },
      { type: 'Action.Execute', title: 'Resolve', verb: 'incident.resolve', data: { command: 'incident resolve 42' }, style: 'destructive', fallback: { type: 'Action.Submit', title: 'Resolve', data: { verb: 'incident.resolve', command: 'incident resolve 42' } } },
      { type: 'Action.Execute', title: 'Mute', verb: 'incident.mute', data: { command: 'incident mute 42' }, fallback: { type: 'Action.Submit', title: 'Mute', data: { verb: 'incident.mute', command: 'incident mute 42' } } },
    ]);
    expect(cardSchemaErrors(card)).toEqual([]);
  });

  it('keeps six buttons in the action bar and moves the rest into the card body', () => {
    const buttons = Array.from({ length: 8 }, (_, i): Button => ({ id: `model.${i}`, label: `Model ${i}`, command: `attribution model ${i}` }));
    const { card } = renderCard(reply({ title: 'Attribution', summary: 's', actions: buttons }), { t });
    expect(card.actions?.map((action) => action.verb)).toEqual(['model.0', 'model.1', 'model.2', 'model.3', 'model.4', 'model.5']);
    const [overflow] = ofType(card.body, 'ActionSet') as ActionSetElement[];
    expect(overflow?.actions.map((action) => action.verb)).toEqual(['model.6', 'model.7']);
    expect(cardSchemaErrors(card)).toEqual([]);
  });

  it('attaches the reply files as data URIs named as the command named them', () => {
    const { attachments } = renderCard(reply({
      title: 'Export', summary: 's',
      attachments: [{ filename: 'orders.csv', mimeType: 'text/csv', content: 'a,b\r\n1,2\r\n', encoding: 'utf8' }],
    }), { t });
    expect(attachments).toEqual([{ contentType: 'text/csv', contentUrl: `data:text/csv;base64,${Buffer.from('a,b\r\n1,2\r\n').toString('base64')}`, name: 'orders.csv' }]);
  });

  it('spans the full message width and names who asked, as a Teams mention', () => {
    const dave = { id: '29:1CFIxRJBLjT_io3iNsDZxMk', name: 'Dave Taniguchi' };
    const { card } = renderCard(reply({ title: 'KPIs', summary: 's', askedBy: { person: dave, text: 'kpi last 7d' } }), { t });
    expect(card.msteams.width).toBe('Full');
    expect(texts(card.body)).toContain('Asked by <at>Dave Taniguchi</at>: kpi last 7d');
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Dave Taniguchi</at>', mentioned: dave }]);
    expect(cardSchemaErrors(card)).toEqual([]);
  });

  it('lists each person the text mentions once, beside the card', () => {
    const dave = { id: '29:dave', name: 'Dave' };
    const note = reply({ title: '#42', summary: 'Acknowledged by <at>Dave</at>.', mentions: [dave], askedBy: { person: dave, text: 'incident ack 42' } });
    const { card } = renderCard(note, { t });
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Dave</at>', mentioned: dave }]);
    expect(cardSchemaErrors(card)).toEqual([]);
    // A mention whose <at>…</at> is not in the text would show nothing: the schema check catches it.
    expect(cardSchemaErrors({ ...card, body: [] })).toEqual(['/msteams/entities: <at>Dave</at> does not appear in the card\'s text']);
  });

  it('marks a problem reply in the attention colour', () => {
    const { card } = renderCard(reply({ title: 'I could not answer that.', summary: 'Unknown command', problem: 'bad_input' }), { t });
    expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: 'Unknown command', color: 'Attention' });
  });
});
