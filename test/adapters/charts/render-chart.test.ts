import { GlobalFonts, createCanvas, loadImage } from '@napi-rs/canvas';
import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/render-chart.js';
import { CHART_FONT_FAMILY } from '../../../src/adapters/charts/chart-font.js';
import { barChart, lineChart } from '../../../src/bot/charts.js';
import { translator } from '../../../src/bot/messages/index.js';
import type { ChartBlock } from '../../../src/bot/reply.js';

const t = translator('en');

const freshRenderer = () => createChartRenderer({ cacheEntries: 8, maxConcurrentRenders: 2 });

/** Width and height from the IHDR chunk: 8-byte signature, 4-byte length, "IHDR", then two big-endian u32. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function pixelsOf(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, image.width, image.height);
}

type Pixels = Awaited<ReturnType<typeof pixelsOf>>;

function countDarkPixels(pixels: Pixels, region: { x0: number; x1: number; y0: number; y1: number }): number {
  let dark = 0;
  for (let y = region.y0; y < region.y1; y += 1) {
    for (let x = region.x0; x < region.x1; x += 1) {
      const i = (y * pixels.width + x) * 4;
      if ((pixels.data[i] ?? 255) < 100 && (pixels.data[i + 1] ?? 255) < 100 && (pixels.data[i + 2] ?? 255) < 100) dark += 1;
    }
  }
  return dark;
}

const revenueBars = (title = 'Revenue by channel') => barChart({
  t, title,
  labels: ['Email', 'Direct', 'Paid search', 'Referral'],
  series: [{ label: 'This month', values: [120, 340, 210, 80] }, { label: 'Last month', values: [100, 300, 260, 90] }],
  width: 400,
  height: 200,
});

function withoutTitle(block: ChartBlock): ChartBlock {
  const config = structuredClone(block.config);
  config.options = { ...config.options, plugins: { ...config.options?.plugins, title: { display: false } } };
  return { ...block, config };
}

describe('renderChart', () => {
  it('draws a 400×200 bar chart at scale 2 as an 800×400 PNG', async () => {
    const png = await freshRenderer()(revenueBars(), { scale: 2 });
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
  });

  it('keeps the CSS size at scale 1', async () => {
    const png = await freshRenderer()(revenueBars(), { scale: 1 });
    expect(pngSize(png)).toEqual({ width: 400, height: 200 });
  });

  it('paints an opaque white background and many coloured bar pixels', async () => {
    const pixels = await pixelsOf(await freshRenderer()(revenueBars(), { scale: 1 }));
    let nonWhite = 0;
    let transparent = 0;
    const colours = new Set<number>();
    for (let i = 0; i < pixels.data.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = pixels.data.subarray(i, i + 4);
      if (a < 255) transparent += 1;
      if (r < 250 || g < 250 || b < 250) {
        nonWhite += 1;
        colours.add((r << 16) | (g << 8) | b);
      }
    }
    expect(transparent).toBe(0);
    // Two bar series cover far more than a tenth of a 400×200 picture.
    expect(nonWhite).toBeGreaterThan(400 * 200 * 0.1);
    expect(colours.size).toBeGreaterThan(20);
    // The first series is Okabe-Ito blue #0072B2; its bars must be there.
    let blue = 0;
    for (let i = 0; i < pixels.data.length; i += 4) {
      if (pixels.data[i] === 0x00 && pixels.data[i + 1] === 0x72 && pixels.data[i + 2] === 0xb2) blue += 1;
    }
    expect(blue).toBeGreaterThan(1000);
  });

  it('draws the title text at the top centre, and nothing dark there without a title', async () => {
    const render = freshRenderer();
    const titleStrip = { x0: 120, x1: 280, y0: 0, y1: 28 };
    const withTitle = await pixelsOf(await render(revenueBars(), { scale: 1 }));
    const untitled = await pixelsOf(await render(withoutTitle(revenueBars()), { scale: 1 }));
    expect(countDarkPixels(withTitle, titleStrip)).toBeGreaterThan(50);
    expect(countDarkPixels(untitled, titleStrip)).toBe(0);
  });

  it('registers the bundled font and makes it the chart.js default', async () => {
    await freshRenderer()(revenueBars(), { scale: 1 });
    expect(GlobalFonts.has(CHART_FONT_FAMILY)).toBe(true);
    const styles = GlobalFonts.families.find((family) => family.family === CHART_FONT_FAMILY)?.styles ?? [];
    expect(styles.map((style) => style.weight).sort()).toEqual([400, 700]);
    expect(Chart.defaults.font.family).toBe(CHART_FONT_FAMILY);
  });

  it('shrinks a chart wider than maxWidthPx proportionally (Teams: 1024 px)', async () => {
    const block = { ...revenueBars(), width: 800, height: 400 };
    const render = freshRenderer();
    expect(pngSize(await render(block, { scale: 2, maxWidthPx: 1024 }))).toEqual({ width: 1024, height: 512 });
    expect(pngSize(await render(block, { scale: 1, maxWidthPx: 1024 }))).toEqual({ width: 800, height: 400 });
    expect(pngSize(await render(block, { scale: 1, maxWidthPx: 600 }))).toEqual({ width: 600, height: 300 });
  });

  it('returns the cached PNG for the same chart, size and scale, and renders again when one differs', async () => {
    const render = freshRenderer();
    const first = await render(revenueBars(), { scale: 1 });
    expect(await render(revenueBars(), { scale: 1 })).toBe(first);
    expect(await render(revenueBars(), { scale: 2 })).not.toBe(first);
    expect(await render(revenueBars('Orders by channel'), { scale: 1 })).not.toBe(first);
    expect(await render({ ...revenueBars(), height: 220 }, { scale: 1 })).not.toBe(first);
  });

  it('shares one render between simultaneous requests for the same chart', async () => {
    const render = freshRenderer();
    const [a, b] = await Promise.all([render(revenueBars(), { scale: 1 }), render(revenueBars(), { scale: 1 })]);
    expect(a).toBe(b);
  });

  it('leaves the block it was given unchanged', async () => {
    const block = lineChart({
      t, title: 'Sessions', labels: ['1 Nov', '2 Nov', '3 Nov'], series: [{ label: 'Sessions', values: [5, 7, 6] }],
      band: { lowerLabel: 'Low', upperLabel: 'High', lower: [4, 4, 4], upper: [8, 8, 8] },
    });
    const before = structuredClone(block);
    await freshRenderer()(block, { scale: 1 });
    expect(block).toStrictEqual(before);
  });

  it('renders several charts at once with a bound of two in flight', async () => {
    const render = freshRenderer();
    const blocks = [1, 2, 3, 4, 5].map((n) => revenueBars(`Chart ${n}`));
    const pngs = await Promise.all(blocks.map((block) => render(block, { scale: 1 })));
    expect(new Set(pngs).size).toBe(5);
    pngs.forEach((png) => expect(pngSize(png)).toEqual({ width: 400, height: 200 }));
  });
});
