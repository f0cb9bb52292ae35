import { CardFactory, MessageFactory } from '@microsoft/agents-hosting';
import type { Logger } from '../../../log.js';
import type { Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { ChartBlock, Reply } from '../../../bot/reply.js';
import { renderChart } from '../../charts/render-chart.js';
import type { TeamsMessage } from './render.js';
import { renderCard } from './render.js';

type OutgoingActivity = ReturnType<typeof MessageFactory.list>;

/** Teams allows pictures up to 1024 px wide; DPR 1, not Slack's 2 (PLATFORMS.md). */
const TEAMS_CHART_OPTIONS = { scale: 1, maxWidthPx: 1024 } as const;

/** Renders the reply's charts to PNG, then lays the reply out; a chart that fails shows its alt text. */
export async function composeMessage(reply: Reply, t: Translate, log: Logger, options: { isCardOnly?: boolean } = {}): Promise<TeamsMessage> {
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
  return renderCard(reply, { t: reply.locale ? translator(reply.locale) : t, chartPngs, ...options });
}

/** One message activity: the card first, then the pictures and files that go beside it. */
export function toActivity(message: TeamsMessage): OutgoingActivity {
  return MessageFactory.list([CardFactory.adaptiveCard(message.card), ...message.attachments]);
}
