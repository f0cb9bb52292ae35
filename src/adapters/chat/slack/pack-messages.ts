import type { types } from '@slack/bolt';
import { SLACK_MAX_BLOCKS, SLACK_MAX_MESSAGE_BLOCKS_JSON_CHARS, SLACK_MAX_MESSAGES_PER_REPLY } from './limits.js';

type SlackBlock = types.KnownBlock;

/** Room kept in every message for the "(continued, part 2 of 3)" note put on top of later parts. */
const CONTINUATION_BLOCKS = 1;
const CONTINUATION_JSON_CHARS = 300;
const MAX_BLOCKS = SLACK_MAX_BLOCKS - CONTINUATION_BLOCKS;
const MAX_JSON_CHARS = SLACK_MAX_MESSAGE_BLOCKS_JSON_CHARS - CONTINUATION_JSON_CHARS;

/**
 * Fills messages with `content` in order, then ends the last one with `tail` (buttons, notes).
 * Past SLACK_MAX_MESSAGES_PER_REPLY messages the content is cut and `shortenedNote` says so;
 * the tail always survives, since its buttons are how people go on from here.
 */
export function packMessages(content: readonly SlackBlock[], tail: readonly SlackBlock[], notes: readonly SlackBlock[], shortenedNote: SlackBlock): SlackBlock[][] {
  const messages: SlackBlock[][] = [[]];
  for (const block of content) {
    const current = messages[messages.length - 1] ?? [];
    if (current.length > 0 && !fits([...current, block])) messages.push([block]);
    else current.push(block);
  }
  let isShortened = messages.length > SLACK_MAX_MESSAGES_PER_REPLY;
  messages.length = Math.min(messages.length, SLACK_MAX_MESSAGES_PER_REPLY);
  const last = messages[messages.length - 1] ?? [];
  const ending = [...tail];
  const endingWithNotes = () => [...ending, ...notes, ...(isShortened ? [shortenedNote] : [])];
  while (!fits([...last, ...endingWithNotes()])) {
    isShortened = true;
    if (last.length > 0) last.pop();
    else if (ending.length > 0) ending.pop();
    else break;
  }
  last.push(...endingWithNotes());
  return messages.filter((blocks) => blocks.length > 0);
}

/** Within Slack's block count, our size budget, and Slack's one `table` block per message. */
function fits(blocks: readonly SlackBlock[]): boolean {
  return blocks.length <= MAX_BLOCKS && JSON.stringify(blocks).length <= MAX_JSON_CHARS && blocks.filter((block) => block.type === 'table').length <= 1;
}
