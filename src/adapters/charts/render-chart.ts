import { createHash } from 'node:crypto';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import type { ChartConfiguration } from 'chart.js';
import type { ChartBlock } from '../../bot/reply.js';
import { registerChartFont } from './chart-font.js';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { LruCache } from './lru-cache.js';
import { whiteBackground } from './white-background.js';

export interface RenderChartOptions {
  /** Device pixel ratio: 2 for Slack (sharp on retina screens), 1 for Teams. */
  scale?: 1 | 2;
  /** Shrinks the whole picture (layout unchanged) so it is at most this many pixels wide; Teams allows 1024. */
  maxWidthPx?: number;
}

export interface ChartRendererSettings {
  /** PNGs kept for repeated charts (a digest sent to several channels); ~70–175 KB each at 800×400. */
  cacheEntries: number;
  /** Renders in flight at once: each holds a full pixel buffer until its encode finishes. */
  maxConcurrentRenders: number;
}

const DEFAULT_SETTINGS: ChartRendererSettings = { cacheEntries: 32, maxConcurrentRenders: 2 };

let isChartJsReady = false;

function prepareChartJs(): void {
  if (isChartJsReady) return;
  Chart.register(...registerables);
  Chart.defaults.font.family = registerChartFont();
  isChartJsReady = true;
}

/** The device pixel ratio that honours both the requested scale and the width cap. */
function pixelRatioFor(widthCssPx: number, { scale = 1, maxWidthPx }: RenderChartOptions): number {
  if (maxWidthPx === undefined || widthCssPx * scale <= maxWidthPx) return scale;
  if (!(maxWidthPx > 0)) throw new RangeError(`maxWidthPx must be positive, got ${maxWidthPx}`);
  return maxWidthPx / widthCssPx;
}

/**
 * Builds a renderer with its own PNG cache and concurrency bound (tests use fresh ones).
 * A cached PNG is returned as the same Buffer each time: callers must not write into it.
 */
export function createChartRenderer(settings: ChartRendererSettings = DEFAULT_SETTINGS) {
  const cache = new LruCache<string, Promise<Buffer>>(settings.cacheEntries);
  const limit = createConcurrencyLimit(settings.maxConcurrentRenders);

  return function renderChart(block: ChartBlock, options: RenderChartOptions = {}): Promise<Buffer> {
    const pixelRatio = pixelRatioFor(block.width, options);
    const key = createHash('sha256')
      .update(JSON.stringify([block.config, block.width, block.height, pixelRatio]))
      .digest('hex');
    const cached = cache.get(key);
    if (cached) return cached;
    // The promise is cached, so simultaneous requests for one chart share one render.
    const rendering = limit(() => drawPng(block, pixelRatio));
    cache.set(key, rendering);
    rendering.catch(() => cache.delete(key));
    return rendering;
  };
}

async function drawPng(block: ChartBlock, pixelRatio: number): Promise<Buffer> {
  prepareChartJs();
  // A fresh canvas per chart: after destroy() a canvas keeps no pixels. Chart.js writes into the
  // config it is given, so it gets a copy and the block stays as the command built it.
  const canvas = createCanvas(block.width, block.height);
  const config: ChartConfiguration = structuredClone(block.config);
  config.options = { ...config.options, responsive: false, animation: false, devicePixelRatio: pixelRatio };
  config.plugins = [...(config.plugins ?? []), whiteBackground];
  const chart = new Chart(asChartItem(canvas.getContext('2d')), config);
  try {
    // encode() runs off the event loop; the synchronous toBuffer() would stall acks for hundreds of ms.
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

// Chart.js types its canvas with DOM types this project does not load (no "dom" lib); the Skia
// context implements the 2D canvas API Chart.js calls, which is what makes the cast safe.
function asChartItem(context: ReturnType<ReturnType<typeof createCanvas>['getContext']>): ConstructorParameters<typeof Chart>[0] {
  return context as unknown as ConstructorParameters<typeof Chart>[0];
}

/** The app-wide renderer: 32 cached PNGs, 2 renders at once. */
export const renderChart = createChartRenderer();
