import { composeDigestAt } from '../digest/compose.js';
import { slotOfWeek } from '../digest/schedule.js';
import type { AnyCommand, CommandContext, ParseContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { DigestSubscription } from '../data-port.js';
import { createBot } from '../dispatch.js';
import type { Logger } from '../../log.js';
import { createFormatter } from '../format.js';
import type { Reply } from '../reply.js';
import { reply } from '../reply.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { isAdmin, mayManageDigests } from '../roles.js';
import type { Words } from '../words.js';
import { WEEK_MS } from '../../analytics/time.js';

type DigestArgs =
  | { action: 'preview' | 'list' | 'unsubscribe' }
  | { action: 'subscribe'; weekday: number; localTime: string; timeZone: string };

const ACTIONS: Record<string, DigestArgs['action']> = {
  preview: 'preview', anteprima: 'preview',
  subscribe: 'subscribe', iscrivi: 'subscribe', iscriviti: 'subscribe',
  unsubscribe: 'unsubscribe', disiscrivi: 'unsubscribe', annulla: 'unsubscribe',
  list: 'list', elenco: 'list', lista: 'list',
};

/** Day names in English and Italian, short and long, to 0 = Sunday … 6 = Saturday. */
const WEEKDAYS: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
  dom: 0, domenica: 0, lun: 1, 'lunedì': 1, lunedi: 1, mar: 2, 'martedì': 2, martedi: 2, mer: 3, 'mercoledì': 3, mercoledi: 3,
  gio: 4, 'giovedì': 4, giovedi: 4, ven: 5, 'venerdì': 5, venerdi: 5, sab: 6, sabato: 6,
};
const FREQUENCY_WORDS = ['weekly', 'settimanale', 'settimanalmente'];

/** `digest preview` composes with the bot's own commands, so it is built from the registry like `help`. */
export function createDigestCommand(commands: () => readonly AnyCommand[]) {
  return defineCommand<DigestArgs>({
    name: 'digest',
    aliases: ['riepilogo'],
    summary: 'digest.summary',
    examples: ['digest preview', 'digest subscribe weekly mon 09:00 Europe/Rome', 'digest list', 'digest unsubscribe'],
    parse(words, context) {
      const action = words.takeWord(Object.keys(ACTIONS));
      if (action === undefined) return fail(words.problem(context.t('digest.whatToDo')));
      const kind = ACTIONS[action]!;
      if (kind !== 'subscribe') return ok({ action: kind });
      return parseSchedule(words, context);
    },
    async stateChange(args, { settings, request, t }) {
      if (args.action !== 'subscribe' && args.action !== 'unsubscribe') return undefined;
      return mayManageDigests(settings.roles, request) ? { isAllowed: true } : { isAllowed: false, refusal: t('roles.digest') };
    },
    async run(args, context) {
      switch (args.action) {
        case 'preview': return ok(await preview(commands(), context));
        case 'subscribe': return ok(await subscribe(args, context));
        case 'unsubscribe': return unsubscribe(context);
        case 'list': return ok(await list(context));
      }
    },
  });
}

/** `[weekly] <weekday> <HH:MM> [IANA zone]`; the zone defaults to the bot's. */
function parseSchedule(words: Words, { t, timeZone }: ParseContext): Result<DigestArgs> {
  words.takeWord(FREQUENCY_WORDS);
  const day = words.takeWord(Object.keys(WEEKDAYS));
  const time = words.takeMatch(/^\d{1,2}[:.]\d{2}$/);
  if (day === undefined) {
    const [unknown] = words.leftover();
    return fail(words.problem(unknown === undefined || /\d/.test(unknown) ? t('digest.missingWhen') : t('digest.badWeekday', { value: unknown })));
  }
  if (time === undefined) {
    const timeLike = words.leftover().find((word) => /\d/.test(word));
    return fail(words.problem(timeLike === undefined ? t('digest.missingWhen') : t('digest.badTime', { value: timeLike })));
  }
  const [hour, minute] = time.split(/[:.]/).map(Number);
  if (hour === undefined || minute === undefined || hour > 23 || minute > 59) return fail(words.problem(t('digest.badTime', { value: time })));
  const zoneWord = words.takeMatch(/^[a-z]/);
  const zone = zoneWord === undefined ? timeZone : canonicalZone(zoneWord);
  if (zone === undefined) return fail(words.problem(t('digest.badZone', { value: zoneWord ?? '' })));
  const localTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return ok({ action: 'subscribe', weekday: WEEKDAYS[day]!, localTime, timeZone: zone });
}

/** The IANA spelling of a zone typed in any case ("europe/rome" → "Europe/Rome"), or undefined. */
function canonicalZone(text: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Where digests for this request's channel go: the CLI posts like the console. */
function channelOf({ request }: CommandContext): { platform: string; channelId: string } {
  return { platform: request.platform === 'cli' ? 'console' : request.platform, channelId: request.channelId };
}

/**
 * The digest this channel would get now. The bot answering its questions logs nothing of its own:
 * a section that fails on a bug fails the preview, so dispatch logs it with a reference.
 */
async function preview(commands: readonly AnyCommand[], context: CommandContext): Promise<Reply> {
  const failures: string[] = [];
  const log: Logger = { error: (message, details) => failures.push(`${message} ${JSON.stringify(details ?? {})}`), warn: () => undefined, info: () => undefined };
  const platform = context.request.platform;
  const bot = createBot({ data: context.data, commands, settings: context.settings, log, clock: () => context.now });
  const digest = await composeDigestAt({ bot, data: context.data }, { platform, channelId: context.request.channelId, locale: context.locale }, context.now);
  if (failures.length > 0) throw new Error(`digest preview: a section failed\n${failures.join('\n')}`);
  return digest;
}

async function subscribe(args: Extract<DigestArgs, { action: 'subscribe' }>, context: CommandContext): Promise<Reply> {
  const { t, now, locale, request, settings } = context;
  const stored = await context.data.subscribeDigest({
    ...channelOf(context), owner: request.userId, weekday: args.weekday, localTime: args.localTime, timeZone: args.timeZone, locale, createdAt: now,
  });
  const thisWeek = slotOfWeek(stored, now).scheduledAt;
  const first = thisWeek.getTime() >= now.getTime() ? thisWeek : slotOfWeek(stored, new Date(now.getTime() + WEEK_MS)).scheduledAt;
  const local = createFormatter(locale, settings.currency, stored.timeZone);
  return reply({
    title: t('digest.subscribedTitle'),
    summary: t('digest.subscribed', { weekday: t('digest.weekday', { day: stored.weekday }), time: stored.localTime, zone: stored.timeZone, first: local.dateTime(first) }),
  });
}

async function unsubscribe(context: CommandContext): Promise<Result<Reply>> {
  const { platform, channelId } = channelOf(context);
  if (!(await context.data.unsubscribeDigest(platform, channelId))) return fail({ kind: 'no_data', message: context.t('digest.notSubscribed') });
  return ok(reply({ title: context.t('digest.unsubscribedTitle'), summary: context.t('digest.unsubscribed') }));
}

/** Admins (and the operator) see every subscription; a channel sees only its own. */
async function list(context: CommandContext): Promise<Reply> {
  const { t } = context;
  const own = channelOf(context);
  const everywhere = await context.data.digestSubscriptions();
  const subscriptions = isAdmin(context.settings.roles, context.request)
    ? everywhere
    : everywhere.filter((subscription) => subscription.platform === own.platform && subscription.channelId === own.channelId);
  if (subscriptions.length === 0) return reply({ title: t('digest.listTitle'), summary: t('digest.listEmpty') });
  const when = (subscription: DigestSubscription) => `${t('digest.weekday', { day: subscription.weekday })} ${subscription.localTime}`;
  return reply({
    title: t('digest.listTitle'),
    summary: t('digest.listSummary', { count: subscriptions.length }),
    blocks: [{
      type: 'table',
      columns: [
        { key: 'channel', label: t('digest.channel'), kind: 'text' },
        { key: 'when', label: t('digest.when'), kind: 'text' },
        { key: 'zone', label: t('digest.timeZone'), kind: 'text' },
        { key: 'last', label: t('digest.lastWeek'), kind: 'text' },
      ],
      rows: subscriptions.map((subscription) => [
        { text: `${subscription.platform}:${subscription.channelId}`, raw: `${subscription.platform}:${subscription.channelId}` },
        { text: when(subscription), raw: `${subscription.weekday} ${subscription.localTime}` },
        { text: subscription.timeZone, raw: subscription.timeZone },
        { text: subscription.lastWeekKey ?? t('digest.never'), raw: subscription.lastWeekKey },
      ]),
    }],
  });
}
