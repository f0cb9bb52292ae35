import { defineCommand } from '../command.js';
import type { Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import type { CommandContext } from '../command.js';
import type { IncidentRecord } from '../data-port.js';
import { incidentTitle, teamName } from '../incident-posts.js';

/** The newest incidents shown in chat. */
const MAX_ROWS = 25;

interface IncidentsArgs {
  filter: 'open' | 'all';
}

export const incidents = defineCommand<IncidentsArgs>({
  name: 'incidents',
  aliases: ['incidenti'],
  summary: 'help.incidents',
  examples: ['incidents', 'incidents all'],
  parse(words, { t }) {
    const filter = words.takeWord(['open', 'all', 'aperti', 'tutti']);
    const [stray] = words.leftover();
    if (stray !== undefined) return fail(words.problem(t('parse.unexpected', { words: stray, command: 'incidents' })));
    return ok({ filter: filter === 'all' || filter === 'tutti' ? 'all' : 'open' });
  },
  async run({ filter }, context) {
    const found = await context.data.incidents(filter, MAX_ROWS);
    return ok(incidentsReply(filter, found, context));
  },
});

function incidentsReply(filter: 'open' | 'all', found: readonly IncidentRecord[], { t, fmt }: CommandContext): Reply {
  const title = filter === 'open' ? t('incidents.title.open') : t('incidents.title.all');
  if (found.length === 0) return reply({ title, summary: filter === 'open' ? t('incidents.noneOpen') : t('incidents.none') });
  const open = found.filter((incident) => incident.status !== 'resolved').length;
  return reply({
    title,
    summary: t('incidents.summary', { count: found.length, open }),
    blocks: [{
      type: 'table',
      columns: [
        { key: 'id', label: t('incident.label.id'), kind: 'number' },
        { key: 'title', label: t('incidents.column.title'), kind: 'text' },
        { key: 'status', label: t('incident.label.status'), kind: 'text' },
        { key: 'severity', label: t('incident.label.severity'), kind: 'text' },
        { key: 'owner', label: t('incident.label.owner'), kind: 'text' },
        { key: 'opened', label: t('incident.label.opened'), kind: 'date' },
      ],
      rows: found.map((incident) => [
        { text: `#${incident.id}`, raw: incident.id },
        { text: incidentTitle(incident, t), raw: incidentTitle(incident, t) },
        { text: t(`incident.status.${incident.status}`), raw: incident.status },
        { text: t(`incident.severity.${incident.severity}`), raw: incident.severity },
        { text: teamName(incident.ownerTeam, t), raw: incident.ownerTeam },
        { text: fmt.dateTime(incident.openedAt), raw: incident.openedAt.toISOString() },
      ]),
    }],
  });
}
