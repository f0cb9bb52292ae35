import { writeFile } from 'node:fs/promises';
import { createCanvas } from '@napi-rs/canvas';

/**
 * Draws the two Teams app icons: color.png (192×192, full-bleed colour) and outline.png
 * (32×32, white on transparent, as Teams requires). Run once: `npx tsx scripts/teams-icons.ts`;
 * the PNGs are committed so packaging needs no canvas.
 */
const ACCENT = '#0072B2';
const BAR_HEIGHTS = [0.35, 0.6, 0.45, 0.85];

/** Four rising bars on a baseline: the app answers with numbers and charts. */
function drawBars(size: number, options: { background?: string; inset: number; colour: string }): Promise<Buffer> {
  const canvas = createCanvas(size, size);
  const context = canvas.getContext('2d');
  if (options.background) {
    context.fillStyle = options.background;
    context.fillRect(0, 0, size, size);
  }
  const inner = size - 2 * options.inset;
  const gap = inner / (BAR_HEIGHTS.length * 3 + 1);
  const barWidth = gap * 2;
  context.fillStyle = options.colour;
  BAR_HEIGHTS.forEach((height, i) => {
    const barHeight = Math.round(inner * height);
    context.fillRect(Math.round(options.inset + gap + i * (barWidth + gap)), options.inset + inner - barHeight, Math.round(barWidth), barHeight);
  });
  return canvas.encode('png');
}

const folder = new URL('../teams/', import.meta.url);
await writeFile(new URL('color.png', folder), await drawBars(192, { background: ACCENT, inset: 40, colour: '#FFFFFF' }));
await writeFile(new URL('outline.png', folder), await drawBars(32, { inset: 4, colour: '#FFFFFF' }));
process.stdout.write('wrote teams/color.png (192×192) and teams/outline.png (32×32)\n');
