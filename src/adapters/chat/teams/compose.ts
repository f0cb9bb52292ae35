import { CardFactory, MessageFactory } from '@microsoft/agents-hosting';
import type { Logger } from '../../../log.js';
import type { Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { ChartBlock, Reply } from '../../../bot/reply.js';
import { renderChart } from '../../charts/render-chart.js';
import type { CardElement, SideAttachment } from './card-types.js';
import type { FileHost } from './file-host.js';
import type { TeamsMessage } from './render.js';
import { renderCard } from './render.js';
import { textBlock } from './text-block.js';

type OutgoingActivity = ReturnType<typeof MessageFactory.list>;

/** Teams allows pictures up to 1024 px wide; DPR 1, not Slack's 2 (PLATFORMS.md). */
const TEAMS_CHART_OPTIONS = { scale: 1, maxWidthPx: 1024 } as const;

/** Renders the reply's charts to PNG, then lays the reply out; a chart that fails shows its alt text. */
export async function composeMessage(reply: Reply, t: Translate, log: Logger, options: { isCardOnly?: boolean; files?: FileHost; isPersonalChat?: boolean } = {}): Promise<TeamsMessage> {
  const chartPngs = new Map<ChartBlock, Buffer>();
  for (const block of reply.blocks) {
    if (block.type !== 'chart') continue;
    try {
      chartPngs.set(block, await renderChart(block, TEAMS_CHART_OPTIONS));
    } catch (error) {
      log.warn('teams: chart could not be rendered', { title: block.title, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // A reply knows the language it was written in (the asker's client may have chosen it).
  const tr = reply.locale ? translator(reply.locale) : t;
  const message = renderCard(reply, { t: tr, chartPngs, ...(options.isCardOnly ? { isCardOnly: true } : {}) });
  return options.files ? hostData(message, options.files, tr, options.isPersonalChat === true) : message;
}

/**
 * With a public address, nothing rides along as a data URI: pictures in the card and beside it point
 * at the bot's own signed links (a small activity, no 413), and files Teams would not show as an
 * attachment become a link in the card.
 */
async function hostData(message: TeamsMessage, files: FileHost, t: Translate, isPersonalChat: boolean): Promise<TeamsMessage> {
  const body: CardElement[] = [];
  for (const element of message.card.body) {
    if (element.type === 'Image' && element.url.startsWith('data:')) {
      body.push({ ...element, url: await files.host({ ...decodeDataUri(element.url), name: `${slug(element.altText)}.png` }) });
    } else {
      body.push(element);
    }
  }
  const attachments: SideAttachment[] = [];
  for (const attachment of message.attachments) {
    if (!('contentUrl' in attachment) || !attachment.contentUrl.startsWith('data:')) {
      attachments.push(attachment);
      continue;
    }
    const file = { ...decodeDataUri(attachment.contentUrl), name: attachment.name };
    const url = await files.host(file);
    if (attachment.contentType.startsWith('image/')) {
      attachments.push({ ...attachment, contentUrl: url });
      continue;
    }
    body.push(textBlock(t('teams.download', { name: markdownText(attachment.name), url })));
    // In a personal chat Teams can also put the file in the person's OneDrive, once they accept it.
    if (isPersonalChat) {
      attachments.push({
        contentType: 'application/vnd.microsoft.teams.card.file.consent',
        name: attachment.name,
        content: { description: t('teams.fileConsent', { name: attachment.name }), sizeInBytes: file.content.length, acceptContext: { file: url }, declineContext: { file: url } },
      });
    }
  }
  return { card: { ...message.card, body }, attachments };
}

function decodeDataUri(uri: string): { mimeType: string; content: Buffer } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  if (!match?.[1] || match[2] === undefined) throw new Error('not a base64 data URI');
  return { mimeType: match[1], content: Buffer.from(match[2], 'base64') };
}

/** A file name from a chart's description: letters, digits and dashes, short. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'chart';
}

/** Brackets would end the Markdown link text early. */
function markdownText(text: string): string {
  return text.replace(/[[\]]/g, '');
}

/** One message activity: the card first, then the pictures and files that go beside it. */
export function toActivity(message: TeamsMessage): OutgoingActivity {
  return MessageFactory.list([CardFactory.adaptiveCard(message.card), ...message.attachments]);
}
