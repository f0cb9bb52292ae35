import { createCanvas, loadImage } from '@napi-rs/canvas';

/** Width and height from the IHDR chunk: 8-byte signature, 4-byte length, "IHDR", then two big-endian u32. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG' || png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * How much of a picture is drawn: the share of pixels that are not near-white, and how many
 * distinct colours (rounded to 32 levels a channel) appear. A blank or single-colour chart has
 * an ink share near 0 or 1 and one or two colours.
 */
export async function inkOf(png: Buffer): Promise<{ inkShare: number; colours: number }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i] ?? 255, data[i + 1] ?? 255, data[i + 2] ?? 255];
    if (r < 240 || g < 240 || b < 240) ink += 1;
    colours.add(((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5));
  }
  return { inkShare: ink / (data.length / 4), colours: colours.size };
}
