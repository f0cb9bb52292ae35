/** Slack mrkdwn is not Markdown: only these three characters must become entities in user data. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters, ending in an ellipsis when it was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return withoutBrokenEntity(text.slice(0, max - ELLIPSIS.length)) + ELLIPSIS;
}

/**
 * Splits escaped mrkdwn into pieces of at most `max` characters, at a line break or space when
 * there is one in the second half of the piece, never inside an `&amp;`-style entity.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const piece = breakAt > max / 2 ? window.slice(0, breakAt) : withoutBrokenEntity(window);
    pieces.push(piece);
    rest = rest.slice(piece.length).replace(/^[\n ]/, '');
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Drops a trailing partial entity (`&am`) left by a cut; entities are at most 5 characters. */
function withoutBrokenEntity(text: string): string {
  const amp = text.lastIndexOf('&');
  if (amp >= 0 && amp >= text.length - 5 && !text.slice(amp).includes(';')) return text.slice(0, amp);
  return text;
}
