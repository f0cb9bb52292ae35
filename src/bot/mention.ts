import type { Platform } from './command.js';
import type { Person } from './reply.js';

/**
 * A person named inside a sentence, as each platform shows a mention: Slack expands `<@U123>` itself;
 * Teams shows `<at>name</at>` when the reply also lists the person in `mentions`; elsewhere the name.
 */
export function mentionOf(person: Person, platform: Platform): string {
  if (platform === 'slack') return `<@${person.id}>`;
  if (platform === 'teams') return `<at>${person.name}</at>`;
  return person.name;
}
