import type { AnyCommand } from './command.js';

/** Longest text we treat as a command; longer messages are answered with a short refusal. */
export const MAX_REQUEST_CHARS = 2000;

export type Routing =
  | { kind: 'command'; command: AnyCommand; words: string[] }
  | { kind: 'empty' }
  | { kind: 'unknown'; word: string; suggestion?: string }
  | { kind: 'ambiguous'; candidates: AnyCommand[] };

/**
 * Lower-cases and splits a request, dropping the platform's prefix ("/mkt", "mkt", a leading
 * @mention) and punctuation people add in chat ("kpi, last 30d?").
 */
export function tokenize(text: string): string[] {
  const cleaned = text
    .normalize('NFKC')
    .replace(/<@[^>]+>/g, ' ')
    .replace(/^\s*\/?mkt\b/i, ' ')
    .toLowerCase()
    .replace(/[?!,;"“”«»()]+/g, ' ');
  return cleaned.split(/\s+/).map((word) => word.replace(/^[.:]+|[.:]+$/g, '')).filter((word) => word !== '');
}

/**
 * Finds the command: named first (or by an alias), else by keywords anywhere in the text.
 * Keywords are resolved only when they point to exactly one command; several commands are
 * reported as ambiguous rather than guessed. A command listed earlier in `keywordPriority` wins
 * over one that merely shares a word with it ("rfm churn risk" is about churn).
 */
export function route(words: readonly string[], commands: readonly AnyCommand[]): Routing {
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'empty' };
  const named = commands.find((command) => command.name === first || command.aliases?.includes(first));
  if (named) return { kind: 'command', command: named, words: rest };

  const hits = commands
    .map((command) => ({ command, at: words.findIndex((word) => command.name === word || command.aliases?.includes(word) || command.keywords?.includes(word)) }))
    .filter((hit) => hit.at >= 0);
  const strongest = hits.filter((hit) => !hits.some((other) => other !== hit && outranks(other.command, hit.command, commands)));
  if (strongest.length === 1) {
    const hit = strongest[0]!;
    return { kind: 'command', command: hit.command, words: words.filter((_, index) => index !== hit.at && !isCommandWord(words[index]!, hits.map((h) => h.command))) };
  }
  if (strongest.length > 1) return { kind: 'ambiguous', candidates: strongest.map((hit) => hit.command) };
  const suggestion = closestName(first, commands);
  return { kind: 'unknown', word: first, ...(suggestion ? { suggestion } : {}) };
}

/** A command outranks another when it declares the other's name among its own keywords' targets. */
function outranks(winner: AnyCommand, loser: AnyCommand, commands: readonly AnyCommand[]): boolean {
  return commands.indexOf(winner) >= 0 && (winner.keywords ?? []).includes(loser.name);
}

function isCommandWord(word: string, commands: readonly AnyCommand[]): boolean {
  return commands.some((command) => command.name === word || command.aliases?.includes(word) || command.keywords?.includes(word));
}

/** The command name nearest to a typo, by edit distance (at most 2, or a shared prefix). */
export function closestName(word: string, commands: readonly AnyCommand[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const command of commands) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const distance = name.startsWith(word) && word.length >= 3 ? 0 : editDistance(word, name);
      if (distance <= 2 && (!best || distance < best.distance)) best = { name: command.name, distance };
    }
  }
  return best?.name;
}

export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
