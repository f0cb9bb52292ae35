import type { PeriodPair } from './period.js';
import { MAX_PERIOD_DAYS, parsePeriodAt } from './period.js';
import type { Translate } from './messages/index.js';
import type { Problem, Result } from './result.js';
import { fail, ok } from './result.js';

/**
 * The words of a request after the command name, consumed by a command's parser. Whatever is
 * left unconsumed is reported back to the user: nothing is silently ignored or guessed.
 */
export class Words {
  private readonly used: boolean[];
  /** Human-readable pieces the parser recognised, for "I understood: ..." messages. */
  readonly understood: string[] = [];
  /** The end of the as-of day when the question is about one: periods found here end there at the latest. */
  periodsEndBy: Date | undefined;

  constructor(readonly list: readonly string[]) {
    this.used = list.map(() => false);
  }

  /** Consumes the first free occurrence of any of `words`; returns the one found. */
  takeWord(words: readonly string[]): string | undefined {
    for (let index = 0; index < this.list.length; index += 1) {
      const word = this.list[index]!;
      if (!this.used[index] && words.includes(word)) {
        this.used[index] = true;
        return word;
      }
    }
    return undefined;
  }

  /** Consumes `keyword value` (e.g. "top 20") and returns the value word; `missing` when the value is absent. */
  takeAfter(keywords: readonly string[]): string | 'missing' | undefined {
    for (let index = 0; index < this.list.length; index += 1) {
      if (this.used[index] || !keywords.includes(this.list[index]!)) continue;
      this.used[index] = true;
      const next = this.list[index + 1];
      if (next === undefined || this.used[index + 1]) return 'missing';
      this.used[index + 1] = true;
      return next;
    }
    return undefined;
  }

  /**
   * Consumes `as-of D` (also `asof D`, and the Italian `al D` when D is a day): the text after the
   * keyword, 'missing' when nothing follows, undefined when the words ask about no day.
   */
  takeAsOf(): string | 'missing' | undefined {
    for (let index = 0; index < this.list.length; index += 1) {
      const word = this.list[index]!;
      if (this.used[index]) continue;
      const next = this.used[index + 1] ? undefined : this.list[index + 1];
      const isKeyword = word === 'as-of' || word === 'asof' || (word === 'al' && next !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(next));
      if (!isKeyword) continue;
      this.used[index] = true;
      if (next === undefined) return 'missing';
      this.used[index + 1] = true;
      return next;
    }
    return undefined;
  }

  /** Consumes and returns the first free word matching `pattern`. */
  takeMatch(pattern: RegExp): string | undefined {
    for (let index = 0; index < this.list.length; index += 1) {
      if (!this.used[index] && pattern.test(this.list[index]!)) {
        this.used[index] = true;
        return this.list[index];
      }
    }
    return undefined;
  }

  /** Finds and consumes a period anywhere in the words. */
  takePeriod(now: Date, timeZone: string, t: Translate, maxDays = MAX_PERIOD_DAYS): Result<PeriodPair | undefined> {
    for (let index = 0; index < this.list.length; index += 1) {
      if (this.used[index]) continue;
      const free = [];
      for (let next = index; next < this.list.length && !this.used[next]; next += 1) free.push(this.list[next]!);
      const parsed = parsePeriodAt(free, now, timeZone, maxDays, this.periodsEndBy);
      if (parsed.ok === false && parsed.reason === 'not_a_period') continue;
      for (let offset = 0; offset < parsed.used; offset += 1) this.used[index + offset] = true;
      if (parsed.ok) {
        this.understood.push(parsed.period.current.label);
        return ok(parsed.period);
      }
      if (parsed.reason === 'too_long') return fail(this.problem(t('parse.periodTooLong', { text: parsed.text, days: parsed.days, maxDays: parsed.maxDays })));
      if (parsed.reason === 'order') return fail(this.problem(t('parse.periodOrder', { start: parsed.start, end: parsed.end })));
      return fail(this.problem(t('parse.badPeriod', { text: parsed.text })));
    }
    return ok(undefined);
  }

  /** The words nobody consumed. */
  leftover(): string[] {
    return this.list.filter((_, index) => !this.used[index]);
  }

  problem(message: string): Problem {
    return { kind: 'bad_input', message, ...(this.understood.length > 0 ? { understood: this.understood.join(', ') } : {}) };
  }
}

/** Parses a whole number within bounds, or a problem naming the option. */
export function wholeNumber(text: string, option: string, min: number, max: number, words: Words, t: Translate): Result<number> {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) return fail(words.problem(t('parse.badNumber', { option, min, max })));
  return ok(value);
}
