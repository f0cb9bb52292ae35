import { describe, expect, it } from 'vitest';
import { composeMessage, toActivity } from '../../../../src/adapters/chat/teams/compose.js';
import { barChart, lineChart } from '../../../../src/bot/charts.js';
import { translator } from '../../../../src/bot/messages/index.js';
import { reply } from '../../../../src/bot/reply.js';
import { recordingLogger } from '../../../support/bot.js';
import { cardSchemaErrors } from './card-schema.js';

const t = translator('en');

/** Width and height from the PNG IHDR chunk (bytes 16..23). */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function pngOf(dataUri: string): Buffer {
  return Buffer.from(dataUri.replace('data:image/png;base64,', ''), 'base64');
}

describe('Teams message composition with real charts', () => {
  it('embeds a small bar chart in the card as a PNG data URI at DPR 1', async () => {
    const chart = barChart({ t, title: 'Orders per channel', labels: ['email', 'direct', 'organic'], series: [{ label: 'Orders', values: [120, 80, 45] }] });
    const message = await composeMessage(reply({ title: 'Orders', summary: 's', blocks: [chart] }), t, recordingLogger());
    expect(cardSchemaErrors(message.card)).toEqual([]);
    const image = message.card.body.find((element) => element.type === 'Image');
    if (image?.type !== 'Image') throw new Error('no image in the card');
    expect(pngSize(pngOf(image.url))).toEqual({ width: chart.width, height: chart.height });
    expect(message.attachments).toEqual([]);
  });

  it('shrinks a chart wider than 1024 px to 1024 px', async () => {
    const labels = Array.from({ length: 90 }, (_, i) => `d${i + 1}`);
    const wide = lineChart({ t, title: 'Sessions', width: 1600, height: 600, labels, series: [{ label: 'Sessions', values: labels.map((_, i) => 1000 + ((i * 37) % 200)) }] });
    const message = await composeMessage(reply({ title: 'Sessions', summary: 's', blocks: [wide] }), t, recordingLogger());
    const inCard = message.card.body.find((element) => element.type === 'Image');
    const png = inCard?.type === 'Image' ? pngOf(inCard.url) : pngOf((message.attachments[0] as { contentUrl?: string } | undefined)?.contentUrl ?? '');
    expect(pngSize(png)).toEqual({ width: 1024, height: 384 });
  });

  it('puts the card first in the activity, then what goes beside it', async () => {
    const activity = toActivity({
      card: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [], fallbackText: 'x', msteams: { width: 'Full' } },
      attachments: [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,AA==', name: 'chart.png' }],
    });
    expect(activity.type).toBe('message');
    expect(activity.attachments?.map((attachment) => attachment.contentType)).toEqual(['application/vnd.microsoft.card.adaptive', 'image/png']);
  });
});
