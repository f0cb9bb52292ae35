import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family name charts draw with; registered from the npm-shipped DejaVu Sans, never from system fonts. */
export const CHART_FONT_FAMILY = 'BotSans';

// Slim and Alpine images have no system fonts, and Skia then draws text as nothing without an error,
// so the font travels with the app through npm. Bold is registered too because chart titles are bold.
const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'];

/** Registers the chart font with Skia; throws when a file cannot be loaded, since charts would have no text. */
export function registerChartFont(): string {
  const require = createRequire(import.meta.url);
  for (const specifier of FONT_FILES) {
    const path = require.resolve(specifier);
    // @napi-rs/canvas 1.1.1 returns a FontKey on success and null on failure (older versions: a boolean).
    const fontKey = GlobalFonts.registerFromPath(path, CHART_FONT_FAMILY);
    if (!fontKey) throw new Error(`Chart font could not be registered from ${path}: charts would render without text`);
  }
  return CHART_FONT_FAMILY;
}
