import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { ChangeKind, ChangeRecord } from '../data-port.js';
import type { StaticMessageKey } from '../messages/index.js';
import type { PeriodPair } from '../period.js';
import { lastDays } from '../period.js';
import type { Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';

const DEFAULT_DAYS = 14;
/** Rows shown in chat; the rest are counted in the summary and the table's total. */
const MAX_ROWS = 25;
const KINDS: readonly ChangeKind[] = ['deploy', 'tag_manager', 'campaign', 'config'];

const KIND_WORDS: Record<string, ChangeKind> = {
  deploy: 'deploy', deploys: 'deploy', release: 'deploy', releases: 'deploy', rilascio: 'deploy', rilasci: 'deploy',
  tag: 'tag_manager', tags: 'tag_manager', gtm: 'tag_manager', 'tag-manager': 'tag_manager', tag_manager: 'tag_manager', publish: 'tag_manager', publishes: 'tag_manager',
  campaign: 'campaign', campaigns: 'campaign', campagna: 'campaign', campagne: 'campaign',
  config: 'config', configs: 'config', configuration: 'config', configurazione: 'config',
};
const KIND_NAME: Record<ChangeKind, StaticMessageKey> = {
  deploy: 'changes.kind.deploy', tag_manager: 'changes.kind.tag_manager', campaign: 'changes.kind.campaign', config: 'changes.kind.config',
};
const KIND_PLURAL: Record<ChangeKind, StaticMessageKey> = {
  deploy: 'changes.plural.deploy', tag_manager: 'changes.plural.tag_manager', campaign: 'changes.plural.campaign', config: 'changes.plural.config',
};

interface ChangesArgs {
  period: PeriodPair;
  kinds: readonly ChangeKind[];
}

export const changes = defineCommand<ChangesArgs>({
  name: 'changes',
  aliases: ['modifiche'],
  summary: 'changes.help',
  takesAsOf: true,
  examples: ['changes', 'changes last 7d', 'changes deploys last 30d', 'changes gtm this month'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    const kinds = new Set<ChangeKind>();
    for (let word = words.takeWord(Object.keys(KIND_WORDS)); word !== undefined; word = words.takeWord(Object.keys(KIND_WORDS))) {
      kinds.add(KIND_WORDS[word]!);
      words.understood.push(KIND_WORDS[word]!);
    }
    const [stray] = words.leftover();
    if (stray !== undefined) return fail(words.problem(t('changes.badKind', { value: stray })));
    return ok({ period: period.value ?? lastDays(now, timeZone, DEFAULT_DAYS), kinds: kinds.size > 0 ? KINDS.filter((kind) => kinds.has(kind)) : KINDS });
  },
  async run({ period, kinds }, context) {
    const { data, t, fmt } = context;
    const found = await data.changesBetween(period.current, kinds);
    if (found.length === 0) {
      return fail({
        kind: 'no_data',
        message: t('changes.none', {
          what: fmt.list(kinds.map((kind) => t(KIND_PLURAL[kind]))),
          start: fmt.date(period.current.start),
          end: fmt.date(new Date(period.current.end.getTime() - 1)),
        }),
      });
    }
    return ok(changesReply(period, found, context));
  },
});

function changesReply(period: PeriodPair, found: readonly ChangeRecord[], { t, fmt }: CommandContext): Reply {
  const present = KINDS.filter((kind) => found.some((change) => change.kind === kind));
  const counts = present.map((kind) => {
    const count = found.filter((change) => change.kind === kind).length;
    return countPhrase(kind, count, fmt.integer(count), t);
  });
  // Rows arrive newest first, so the first of each kind is its latest.
  const latest = present.map((kind) => {
    const change = found.find((candidate) => candidate.kind === kind)!;
    return t('changes.latestOf', {
      kind: t(KIND_NAME[kind]), ref: change.ref, when: fmt.dateTime(change.at), author: change.author ? t('changes.by', { author: change.author }) : '',
    });
  });
  const shown = found.slice(0, MAX_ROWS);
  const none = fmt.delta(null);
  return reply({
    title: t('changes.title', { period: period.current.label }),
    summary: t('changes.summary', { counts: fmt.list(counts), latest: latest.join('; ') }),
    blocks: [{
      type: 'table',
      columns: [
        { key: 'when', label: t('changes.when'), kind: 'date' },
        { key: 'kind', label: t('changes.kind'), kind: 'text' },
        { key: 'ref', label: t('changes.ref'), kind: 'text' },
        { key: 'author', label: t('changes.author'), kind: 'text' },
        { key: 'summary', label: t('changes.summaryColumn'), kind: 'text' },
        { key: 'link', label: t('changes.link'), kind: 'text' },
      ],
      rows: shown.map((change) => [
        { text: fmt.dateTime(change.at), raw: change.at.toISOString() },
        { text: t(KIND_NAME[change.kind]), raw: change.kind },
        { text: change.ref, raw: change.ref },
        { text: change.author ?? none, raw: change.author },
        { text: change.summary ?? '', raw: change.summary },
        { text: change.url ?? none, raw: change.url },
      ]),
      ...(found.length > shown.length ? { totalRows: found.length } : {}),
    }],
  });
}

function countPhrase(kind: ChangeKind, count: number, text: string, t: CommandContext['t']): string {
  switch (kind) {
    case 'deploy': return t('changes.count.deploy', { count, text });
    case 'tag_manager': return t('changes.count.tag_manager', { count, text });
    case 'campaign': return t('changes.count.campaign', { count, text });
    case 'config': return t('changes.count.config', { count, text });
  }
}
