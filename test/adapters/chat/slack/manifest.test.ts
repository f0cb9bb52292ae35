import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../../../src/adapters/chat/slack/index.js';
import { SLASH_COMMAND } from '../../../../src/adapters/chat/slack/listeners.js';

const manifest = readFileSync(new URL('../../../../slack-manifest.yaml', import.meta.url), 'utf8');
/** The list items under a key, e.g. the scopes under "bot:" (comments dropped). */
const itemsUnder = (key: string) => {
  const lines = manifest.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s*- ([^\s#]+)/.exec(line);
    if (!item) break;
    items.push(item[1] ?? '');
  }
  return items;
};

describe('slack-manifest.yaml', () => {
  it('asks for exactly the bot scopes the adapter uses', () => {
    expect(itemsUnder('bot').sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:write', 'groups:history', 'im:history', 'mpim:history']);
  });

  it('subscribes to mentions and direct messages only', () => {
    expect(itemsUnder('bot_events')).toEqual(['app_mention', 'message.im']);
  });

  it('registers the slash command the app listens for, with every request URL on the events path', () => {
    expect(manifest).toContain(`- command: ${SLASH_COMMAND}\n`);
    const urls = [...manifest.matchAll(/(?:url|request_url): (\S+)/g)].map((match) => new URL(match[1] ?? '').pathname);
    expect(urls).toEqual([SLACK_EVENTS_PATH, SLACK_EVENTS_PATH, SLACK_EVENTS_PATH]);
  });
});
