import { randomBytes } from 'node:crypto';
import type { AnswerQueue } from './answer-queue.js';
import { createAnswerQueue } from './answer-queue.js';
import type { AnyCommand, BotRequest, BotSettings, CommandContext } from './command.js';
import type { Logger } from '../log.js';
import type { DataPort } from './data-port.js';
import { createFormatter } from './format.js';
import type { Locale, Translate } from './messages/index.js';
import { translator } from './messages/index.js';
import { MAX_REQUEST_CHARS, route, tokenize } from './parse.js';
import type { Reply } from './reply.js';
import { reply } from './reply.js';
import type { Problem, Result } from './result.js';
import { fail, ok } from './result.js';
import { addDays, isoDay, parseIsoDay, zonedTime } from './time-zone.js';
import { isStoreUnavailable } from './store-unavailable.js';
import { Words } from './words.js';

export interface BotDependencies {
  data: DataPort;
  commands: readonly AnyCommand[];
  settings: BotSettings;
  clock: () => Date;
  log: Logger;
  /** Where heavy answers take turns; one per bot and shared by `at()`'s bots (created when absent). */
  answerQueue?: AnswerQueue;
  /** Told of every answer: the command ('(none)' when none was recognised), its outcome and how long it took (metrics). */
  onAnswer?(answer: { command: string; outcome: string; durationMs: number }): void;
}

export interface Bot {
  handle(request: BotRequest): Promise<Reply>;
  readonly commands: readonly AnyCommand[];
  /** What it answers with (languages, currency, zone, segment map): fixed when the bot is built. */
  readonly settings: BotSettings;
  localeFor(request: Pick<BotRequest, 'channelId' | 'locale' | 'clientLocale'>): Locale;
  /** True when a heavy question asked now would wait for others to finish first (say so at once). */
  isBusy(): boolean;
  /** The same bot answering as of `asOf`: a job's run stands for its trigger time, not the wall clock. */
  at(asOf: Date): Bot;
}

/**
 * The one place requests become replies. Every problem a person or the data can cause comes back
 * as a Reply with `problem` set; anything else is a bug, logged with a reference the user sees.
 */
export function createBot(given: BotDependencies): Bot {
  const deps = { ...given, answerQueue: given.answerQueue ?? createAnswerQueue() };
  const localeFor = (request: Pick<BotRequest, 'channelId' | 'locale' | 'clientLocale'>): Locale =>
    request.locale ?? deps.settings.channelLocales[request.channelId] ?? request.clientLocale ?? deps.settings.locale;

  async function handle(request: BotRequest): Promise<Reply> {
    const startedMs = performance.now();
    const answered = { command: '(none)' };
    const answer = await answerOf(request, answered);
    deps.onAnswer?.({ command: answered.command, outcome: answer.problem ?? 'ok', durationMs: performance.now() - startedMs });
    return { ...answer, locale: localeFor(request), ...(request.asker ? { askedBy: { person: request.asker, text: request.text } } : {}) };
  }

  async function answerOf(request: BotRequest, answered: { command: string }): Promise<Reply> {
    const locale = localeFor(request);
    const t = translator(locale);
    const now = deps.clock();
    try {
      if (request.text.length > MAX_REQUEST_CHARS) return problemReply(t, { kind: 'bad_input', message: t('parse.tooLong', { max: MAX_REQUEST_CHARS }) });
      const routing = route(tokenize(request.text), deps.commands);
      switch (routing.kind) {
        case 'empty':
          return problemReply(t, { kind: 'bad_input', message: t('parse.empty') });
        case 'unknown':
          return problemReply(t, {
            kind: 'bad_input',
            message: t('parse.unknownCommand', { word: routing.word }),
            ...(routing.suggestion ? { suggestion: routing.suggestion } : { suggestion: 'help' }),
          });
        case 'ambiguous':
          return problemReply(t, { kind: 'bad_input', message: t('parse.ambiguous', { candidates: routing.candidates.map((command) => `\`${command.name}\``).join(', ') }) });
        case 'command':
          break;
      }
      const { command } = routing;
      answered.command = command.name;
      if (command.revealsCustomerData && !isAllowed(request, deps.settings)) {
        return problemReply(t, { kind: 'forbidden', message: t('common.forbidden', { command: command.name }) });
      }
      const words = new Words(routing.words);
      const asked = askedDay(command, words, request, now, deps.settings.timeZone, t);
      if (!asked.ok) return problemReply(t, withHelpHint(asked.error, command.name));
      const context: CommandContext = {
        ...(asked.value ? { now: asked.value.end, asOfDay: asked.value.day } : { now }),
        timeZone: deps.settings.timeZone, t, locale, settings: deps.settings, request, data: deps.data,
        fmt: createFormatter(locale, deps.settings.currency, deps.settings.timeZone),
      };
      const args = command.parse(words, context);
      if (!args.ok) return problemReply(t, withHelpHint(args.error, command.name));
      const leftover = words.leftover();
      if (leftover.length > 0) {
        return problemReply(t, withHelpHint(words.problem(t('parse.unexpected', { words: leftover.join(' '), command: command.name })), command.name));
      }
      const change = await command.stateChange?.(args.value, context);
      const audit = (outcome: string) => deps.data.recordAudit({
        at: now, platform: request.platform, channel: request.channelId, actor: request.userId, action: request.text, outcome, isClick: request.isClick === true,
      });
      if (change && !change.isAllowed) {
        await audit('forbidden');
        return problemReply(t, { kind: 'forbidden', message: change.refusal });
      }
      const answer = command.heavy ? await deps.answerQueue.run(() => command.run(args.value, context)) : await command.run(args.value, context);
      if (change) await audit(answer.ok ? 'ok' : answer.error.kind);
      return answer.ok ? answer.value : problemReply(t, answer.error);
    } catch (error) {
      // The outage itself is logged once by the store's watcher (adapters/store/availability.ts), not per answer.
      if (isStoreUnavailable(error)) {
        return reply({ title: t('common.noAnswer'), summary: t('common.storeUnavailable'), problem: 'store_unavailable' });
      }
      const ref = randomBytes(2).toString('hex');
      deps.log.error('command failed', { ref, text: request.text, platform: request.platform, error: describeError(error) });
      return reply({ title: t('common.noAnswer'), summary: t('common.internal', { ref }), problem: 'internal' });
    }
  }

  return {
    handle, commands: deps.commands, settings: deps.settings, localeFor,
    isBusy: () => deps.answerQueue.isFull,
    at: (asOf) => createBot({ ...deps, clock: () => asOf }),
  };
}

/**
 * The day a question is about, typed (`as-of D`) or given by the CLI (--as-of D), which mean the same:
 * the question is asked at the end of D in the time zone, and periods end there at the latest.
 * Undefined when the question is about now.
 */
function askedDay(command: AnyCommand, words: Words, request: BotRequest, now: Date, timeZone: string, t: Translate): Result<{ day: string; end: Date } | undefined> {
  if (!command.takesAsOf) {
    return request.asOfDay === undefined ? ok(undefined) : fail({ kind: 'bad_input', message: t('parse.asOfNotTaken', { command: command.name }) });
  }
  const typed = words.takeAsOf();
  if (typed === 'missing') return fail(words.problem(t('parse.badAsOf', { value: '' })));
  if (typed !== undefined && request.asOfDay !== undefined && typed !== request.asOfDay) {
    return fail(words.problem(t('parse.asOfTwice', { typed, flag: request.asOfDay })));
  }
  const text = typed ?? request.asOfDay;
  if (text === undefined) return ok(undefined);
  const day = parseIsoDay(text);
  if (!day) return fail(words.problem(t('parse.badAsOf', { value: text })));
  if (zonedTime(day, timeZone).getTime() > now.getTime()) return fail(words.problem(t('parse.asOfFuture', { day: text })));
  const end = zonedTime(addDays(day, 1), timeZone);
  words.understood.push(`as-of ${isoDay(day)}`);
  words.periodsEndBy = end;
  return ok({ day: isoDay(day), end });
}

function isAllowed(request: BotRequest, settings: BotSettings): boolean {
  if (settings.customerDataAllowlist.length === 0) return true;
  if (request.platform === 'console' || request.platform === 'cli') return true;
  return settings.customerDataAllowlist.includes(request.channelId) || settings.customerDataAllowlist.includes(request.userId);
}

function withHelpHint(problem: Problem, command: string): Problem {
  if (problem.kind !== 'bad_input' || problem.suggestion) return problem;
  return { ...problem, suggestion: `help ${command}` };
}

/** Renders a problem the same way on every platform: what was wrong, what was understood, what would work. */
export function problemReply(t: Translate, problem: Problem): Reply {
  const lines: string[] = [];
  switch (problem.kind) {
    case 'bad_input':
      if (problem.understood) lines.push(t('parse.understood', { understood: problem.understood }));
      if (problem.suggestion) lines.push(t('parse.closest', { suggestion: problem.suggestion }));
      return reply({ title: t('common.noAnswer'), summary: problem.message, blocks: lines.map((text) => ({ type: 'text', text })), problem: 'bad_input' });
    case 'no_data':
      return reply({ title: t('common.noAnswer'), summary: problem.message, problem: 'no_data' });
    case 'forbidden':
      return reply({ title: t('common.noAnswer'), summary: problem.message, problem: 'forbidden' });
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
