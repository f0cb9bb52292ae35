import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChartBlock, Reply } from '../../../bot/reply.js';
import { slugOf } from '../../../bot/reply.js';
import { renderChart } from '../../charts/render-chart.js';

/** Renders each chart of a reply to a PNG file in `outDir` and returns where each one went. */
export async function saveReplyCharts(reply: Reply, outDir: string): Promise<Map<ChartBlock, string>> {
  const paths = new Map<ChartBlock, string>();
  const charts = reply.blocks.filter((block): block is ChartBlock => block.type === 'chart');
  if (charts.length === 0) return paths;
  await mkdir(outDir, { recursive: true });
  for (const chart of charts) {
    const png = await renderChart(chart, { scale: 1 });
    const name = `${slugOf(chart.title, 'chart')}-${createHash('sha1').update(png).digest('hex').slice(0, 8)}.png`;
    const path = resolve(join(outDir, name));
    await writeFile(path, png);
    paths.set(chart, path);
  }
  return paths;
}
