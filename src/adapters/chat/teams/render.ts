import type { Translate } from '../../../bot/messages/index.js';
import type { Block, Button, ChartBlock, FileAttachment, Reply, TableBlock } from '../../../bot/reply.js';
import { fileNameOf, tableToCsv } from '../../../bot/reply.js';
import { mentionOf } from '../../../bot/mention.js';
import type { AdaptiveCard, CardElement, ExecuteAction, MentionEntity, SideAttachment } from './card-types.js';
import { cardJsonBytes, TEAMS_CARD_BUDGET_BYTES } from './card-size.js';
import { textBlock } from './text-block.js';
import { renderTable } from './render-table.js';

/** Universal Actions (Action.Execute) need 1.4; Table needs 1.5. */
export const CARD_VERSION = '1.5';
export const CARD_SCHEMA_URL = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Teams shows at most six actions in a card's action bar; the rest go into the body. */
export const TEAMS_MAX_CARD_ACTIONS = 6;
/** Rows a table shows in the card before the rest moves to a CSV file. */
export const TEAMS_MAX_TABLE_ROWS = 30;
/** Fewest rows a table keeps when shrinking to fit the budget. */
const MIN_TABLE_ROWS = 5;
/** A PNG up to this size rides inside the card as a data URI; larger ones go beside it. */
export const TEAMS_INLINE_CHART_MAX_BYTES = 64 * 1024;
/** Teams refuses pictures over 1 MB. */
export const TEAMS_MAX_IMAGE_BYTES = 1024 * 1024;

export interface RenderCardOptions {
  t: Translate;
  /** Each chart's PNG, rendered beforehand (the renderer stays pure); a chart without one shows its alt text. */
  chartPngs?: ReadonlyMap<ChartBlock, Buffer>;
  /** Pictures and files cannot ride along (an invoke answer carries only the card): large charts show their alt text. */
  isCardOnly?: boolean;
}

export interface TeamsMessage {
  card: AdaptiveCard;
  /** Sent beside the card in the same activity. */
  attachments: SideAttachment[];
}

/** Lays a Reply out as one Adaptive Card (1.5) plus the pictures and files that go beside it. */
export function renderCard(reply: Reply, options: RenderCardOptions): TeamsMessage {
  let rowLimit = TEAMS_MAX_TABLE_ROWS;
  for (;;) {
    const message = renderWithRowLimit(reply, options, rowLimit);
    // Halving the table rows is the only lever: everything else in a card is small and fixed.
    if (cardJsonBytes(message.card) <= TEAMS_CARD_BUDGET_BYTES || rowLimit <= MIN_TABLE_ROWS || !hasTableOver(reply, rowLimit / 2)) {
      return message;
    }
    rowLimit = Math.max(MIN_TABLE_ROWS, Math.floor(rowLimit / 2));
  }
}

function hasTableOver(reply: Reply, rows: number): boolean {
  return reply.blocks.some((block) => block.type === 'table' && block.rows.length > rows);
}

function renderWithRowLimit(reply: Reply, options: RenderCardOptions, rowLimit: number): TeamsMessage {
  const attachments: SideAttachment[] = [];
  const body: CardElement[] = [
    textBlock(reply.title, { size: 'Medium', weight: 'Bolder' }),
    ...(reply.askedBy ? [textBlock(askedByText(reply.askedBy, options.t), { isSubtle: true, spacing: 'None' })] : []),
    ...(reply.summary ? [textBlock(reply.summary, reply.problem ? { color: 'Attention' } : {})] : []),
  ];
  let needsSeparator = false;
  for (const block of reply.blocks) {
    if (block.type === 'divider') {
      needsSeparator = true;
      continue;
    }
    const elements = renderBlock(block, options, rowLimit, attachments, reply.title);
    if (needsSeparator && elements[0]) elements[0] = { ...elements[0], separator: true };
    needsSeparator = false;
    body.push(...elements);
  }
  attachments.push(...reply.attachments.map(fileAttachment));
  const actions = reply.actions.map(executeAction);
  if (actions.length > TEAMS_MAX_CARD_ACTIONS) body.push({ type: 'ActionSet', actions: actions.slice(TEAMS_MAX_CARD_ACTIONS) });
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA_URL,
    version: CARD_VERSION,
    body,
    fallbackText: `${reply.title}: ${reply.summary}`,
    msteams: { width: 'Full', ...mentionEntities(reply) },
  };
  if (actions.length > 0) card.actions = actions.slice(0, TEAMS_MAX_CARD_ACTIONS);
  return { card, attachments };
}

function renderBlock(block: Exclude<Block, { type: 'divider' }>, options: RenderCardOptions, rowLimit: number, attachments: SideAttachment[], replyTitle: string): CardElement[] {
  switch (block.type) {
    case 'text':
      return [textBlock(block.text)];
    case 'list':
      return [textBlock(block.items.map((item) => `- ${item}`).join('\n'))];
    case 'fields':
      return [{ type: 'FactSet', facts: block.fields.map((field) => ({ title: field.label, value: field.value })) }];
    case 'table':
      return renderLongTable(block, options.t, rowLimit, attachments, replyTitle);
    case 'chart':
      return renderChartBlock(block, options, attachments);
  }
}

/** The top rows in the card; when rows were cut here, all of them go along as CSV. */
function renderLongTable(table: TableBlock, t: Translate, rowLimit: number, attachments: SideAttachment[], replyTitle: string): CardElement[] {
  const shown = table.rows.slice(0, rowLimit);
  const elements: CardElement[] = [renderTable(table.columns, shown)];
  const total = Math.max(table.totalRows ?? 0, table.rows.length);
  if (shown.length < total) elements.push(textBlock(t('chat.tableTop', { shown: shown.length, total }), { isSubtle: true }));
  if (shown.length < table.rows.length) {
    const filename = fileNameOf(table.caption ?? replyTitle, 'csv');
    attachments.push({ contentType: 'text/csv', contentUrl: dataUri('text/csv', Buffer.from(tableToCsv(table), 'utf8')), name: filename });
    elements.push(textBlock(t('chat.tableAsCsv', { filename }), { isSubtle: true }));
  }
  if (table.caption) elements.push(textBlock(table.caption, { isSubtle: true }));
  return elements;
}

function renderChartBlock(chart: ChartBlock, options: RenderCardOptions, attachments: SideAttachment[]): CardElement[] {
  const png = options.chartPngs?.get(chart);
  const title = textBlock(chart.title, { weight: 'Bolder' });
  if (png && png.length <= TEAMS_INLINE_CHART_MAX_BYTES) {
    return [title, { type: 'Image', url: dataUri('image/png', png), altText: chart.alt, size: 'Stretch' }];
  }
  if (png && png.length <= TEAMS_MAX_IMAGE_BYTES && !options.isCardOnly) {
    attachments.push({ contentType: 'image/png', contentUrl: dataUri('image/png', png), name: fileNameOf(chart.title, 'png', 'chart') });
    return [title, textBlock(options.t('teams.chartAttached', { title: chart.title }), { isSubtle: true })];
  }
  return [textBlock(options.t('chat.chartUnavailable', { title: chart.title, alt: chart.alt }), { isSubtle: true })];
}

/** The question is quoted up to this many characters: enough to recognise it, never a wall of text. */
const ASKED_TEXT_MAX_CHARS = 200;

function askedByText(askedBy: NonNullable<Reply['askedBy']>, t: Translate): string {
  const text = askedBy.text.length > ASKED_TEXT_MAX_CHARS ? `${askedBy.text.slice(0, ASKED_TEXT_MAX_CHARS - 1)}…` : askedBy.text;
  return t('chat.askedBy', { user: mentionOf(askedBy.person, 'teams'), text });
}

/** Every person the card names, once: Teams shows `<at>name</at>` as a mention only when it is listed here. */
function mentionEntities(reply: Reply): { entities?: MentionEntity[] } {
  const people = [...(reply.askedBy ? [reply.askedBy.person] : []), ...(reply.mentions ?? [])];
  const unique = [...new Map(people.map((person) => [person.id, person])).values()];
  if (unique.length === 0) return {};
  return { entities: unique.map((person) => ({ type: 'mention', text: mentionOf(person, 'teams'), mentioned: { id: person.id, name: person.name } })) };
}

function executeAction(button: Button): ExecuteAction {
  const action: ExecuteAction = {
    type: 'Action.Execute',
    title: button.label,
    verb: button.id,
    data: { command: button.command },
    fallback: { type: 'Action.Submit', title: button.label, data: { verb: button.id, command: button.command } },
  };
  if (button.style === 'primary') action.style = 'positive';
  if (button.style === 'danger') action.style = 'destructive';
  return action;
}

function fileAttachment(file: FileAttachment): SideAttachment {
  const bytes = Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8');
  return { contentType: file.mimeType, contentUrl: dataUri(file.mimeType, bytes), name: file.filename };
}

function dataUri(mimeType: string, bytes: Buffer): string {
  return `data:${mimeType};base64,${bytes.toString('base64')}`;
}
