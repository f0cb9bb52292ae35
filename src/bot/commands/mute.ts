import { defineCommand } from '../command.js';
import { reply } from '../reply.js';
import { mayMuteMonitors } from '../roles.js';
import { fail, ok } from '../result.js';
import { badDuration, parseDurationMs } from '../duration.js';

const SIGNALS = ['tracking', 'speed'] as const;
/** The word that silences every target of a signal. */
const ALL_TARGETS = 'all';
const DURATION_WORD = /^\d+(m|min|h|d)$/;

interface SilenceArgs {
  signal: (typeof SIGNALS)[number];
  target: string | null;
  durationMs: number;
}

/** `mute tracking purchase 1d`: no new incident for that signal and target until the silence ends. */
export const mute = defineCommand<SilenceArgs>({
  name: 'mute',
  aliases: ['silenzia'],
  summary: 'help.mute',
  examples: ['mute tracking purchase 1d', 'mute speed https://shop.example 2h', 'mute tracking all 30m'],
  parse(words, { t }) {
    const signal = words.takeWord(SIGNALS) as SilenceArgs['signal'] | undefined;
    if (signal === undefined) return fail(words.problem(t('mute.badSignal', { text: words.leftover()[0] ?? '' })));
    const duration = words.takeMatch(DURATION_WORD);
    const target = words.takeMatch(/./);
    if (target === undefined) return fail(words.problem(t('parse.missing', { what: 'target', example: 'mute tracking purchase 1d' })));
    const durationMs = duration === undefined ? null : parseDurationMs(duration);
    if (durationMs === null) return fail(badDuration(words, duration, t, 'mute tracking purchase 1d'));
    const rest = words.leftover();
    if (rest.length > 0) return fail(words.problem(t('parse.unexpected', { words: rest.join(' '), command: 'mute' })));
    return ok({ signal, target: target === ALL_TARGETS ? null : target, durationMs });
  },
  async stateChange(_args, { settings, request, t }) {
    return mayMuteMonitors(settings.roles, request) ? { isAllowed: true } : { isAllowed: false, refusal: t('roles.mute') };
  },
  async run({ signal, target, durationMs }, { data, t, fmt, now, request }) {
    const until = new Date(now.getTime() + durationMs);
    await data.addSilence({ signal, target, until, actor: request.userId, at: now });
    const text = t('mute.done', { signal, target: target ?? t('mute.allTargets'), until: fmt.dateTime(until) });
    return ok(reply({ title: text, summary: text }));
  },
});
