import type { TextBlockElement } from './card-types.js';

/** One TextBlock at most this long; a longer text is cut with an ellipsis. */
export const TEAMS_MAX_TEXT_CHARS = 4000;

/** A wrapping TextBlock; the text arrives formatted, this only keeps it within bounds. */
export function textBlock(text: string, style: Omit<TextBlockElement, 'type' | 'text'> = {}): TextBlockElement {
  const fitted = text.length > TEAMS_MAX_TEXT_CHARS ? `${text.slice(0, TEAMS_MAX_TEXT_CHARS - 1)}…` : text;
  return { type: 'TextBlock', text: fitted, wrap: true, ...style };
}
