import type { AnyCommand } from '../command.js';
import { defineCommand } from '../command.js';
import { closestName } from '../parse.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';

interface HelpArgs {
  command?: string;
}

/** `help` needs the list it describes, so it is built from the registry rather than imported by it. */
export function createHelpCommand(commands: () => readonly AnyCommand[]) {
  return defineCommand<HelpArgs>({
    name: 'help',
    aliases: ['aiuto', '?', 'commands', 'comandi'],
    summary: 'help.summary',
    examples: ['help', 'help kpi'],
    parse(words) {
      const [name] = words.leftover();
      if (name === undefined) return ok({});
      words.takeWord([name]);
      return ok({ command: name });
    },
    async run({ command: name }, { t }) {
      const all = commands();
      if (name === undefined) {
        return ok(reply({
          title: t('help.title'),
          summary: t('help.summary'),
          isForAskerOnly: true,
          blocks: [
            {
              type: 'table',
              columns: [{ key: 'command', label: t('help.command'), kind: 'text' }, { key: 'what', label: '', kind: 'text' }, { key: 'example', label: t('help.examples'), kind: 'text' }],
              rows: all.map((command) => [
                { text: command.name, raw: command.name },
                { text: t(command.summary), raw: null },
                { text: command.examples[1] ?? command.examples[0] ?? command.name, raw: null },
              ]),
            },
            { type: 'text', text: t('help.periods') },
          ],
        }));
      }
      const command = all.find((candidate) => candidate.name === name || candidate.aliases?.includes(name));
      if (!command) {
        const suggestion = closestName(name, all);
        return fail({ kind: 'bad_input', message: t('parse.unknownCommand', { word: name }), suggestion: suggestion ? `help ${suggestion}` : 'help' });
      }
      return ok(reply({
        title: t('help.commandTitle', { command: command.name }),
        summary: t(command.summary),
        isForAskerOnly: true,
        blocks: [{ type: 'list', items: command.examples.map((example) => `\`${example}\``) }, { type: 'text', text: t('help.periods') }],
      }));
    },
  });
}
