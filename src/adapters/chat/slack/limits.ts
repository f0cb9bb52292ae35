/**
 * Block Kit and Web API limits the renderer respects (PLATFORMS.md, "Block Kit limits"; Slack's block
 * reference pages and @slack/types 3.2.0). Exceeding any of them makes Slack reject the whole message.
 */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION_TEXT_CHARS = 3000;
export const SLACK_MAX_FIELDS_PER_SECTION = 10;
export const SLACK_MAX_FIELD_CHARS = 2000;
export const SLACK_MAX_HEADER_CHARS = 150;
export const SLACK_MAX_CONTEXT_TEXT_CHARS = 3000;
export const SLACK_MAX_ACTIONS_PER_BLOCK = 25;
export const SLACK_MAX_BUTTON_TEXT_CHARS = 75;
export const SLACK_MAX_BUTTON_VALUE_CHARS = 2000;
export const SLACK_MAX_ACTION_ID_CHARS = 255;
/** chat.postMessage truncates `text` after this; it is the notification and screen-reader fallback. */
export const SLACK_MAX_FALLBACK_TEXT_CHARS = 40_000;
/**
 * Undocumented: Slack answers msg_blocks_too_long at about 13.2k characters of blocks (bolt-js#2509).
 * We measure the blocks' JSON, which is always longer than their text, and stay below this.
 */
export const SLACK_MAX_MESSAGE_BLOCKS_JSON_CHARS = 12_000;

/** Slack's `table` block: 100 rows (the header row included) of at most 20 cells; one table per message. */
export const SLACK_TABLE_BLOCK_MAX_ROWS = 100;
export const SLACK_TABLE_BLOCK_MAX_COLUMNS = 20;

/** Our own choices, not Slack's: how long an answer may grow before we shorten it. */
export const SLACK_MAX_MESSAGES_PER_REPLY = 4;
/** Rows of the narrow text layout, used only for a table wider than the table block allows. */
export const SLACK_TABLE_MAX_ROWS = 20;
export const SLACK_TABLE_MAX_CELL_CHARS = 32;
