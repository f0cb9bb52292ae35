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

/** Words people add around a question that carry no argument: dropped only in free phrasing. */
const FILLER_WORDS = new Set([
  'show', 'me', 'please', 'the', 'a', 'an', 'what', 'whats', 'is', 'are', 'our', 'my', 'for', 'in', 'of', 'about', 'how', 'many', 'which', 'who', 'list', 'give',
  'mostrami', 'mostra', 'per', 'il', 'lo', 'la', 'i', 'gli', 'le', 'di', 'del', 'della', 'dei', 'degli', 'delle', 'chi', 'quali', 'quanti', 'dammi', 'nel', 'negli', 'sul',
]);

const mentions = (command: AnyCommand, word: string) =>
  command.name === word || (command.aliases?.includes(word) ?? false) || (command.keywords?.includes(word) ?? false);
const names = (command: AnyCommand, word: string) => command.name === word || (command.aliases?.includes(word) ?? false);

/**
 * Finds the command. A command named first wins, unless another command mentioned in the text
 * declares that it outranks it ("rfm churn risk last 90 days" is about churn). Otherwise commands
 * are found by name or keyword anywhere; one match is taken ("free phrasing": command words and
 * filler words are dropped), several are reported as ambiguous, never guessed.
 */
export function route(words: readonly string[], commands: readonly AnyCommand[]): Routing {
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'empty' };
  const hits = commands.filter((command) => words.some((word) => mentions(command, word)));
  const isOutranked = (command: AnyCommand) => hits.some((other) => other !== command && (other.outranks?.includes(command.name) ?? false));
  const standing = hits.filter((command) => !isOutranked(command));
  const namedFirst = standing.find((command) => names(command, first));
  if (namedFirst) return { kind: 'command', command: namedFirst, words: rest };
  if (standing.length === 1) {
    const command = standing[0]!;
    return { kind: 'command', command, words: words.filter((word) => !FILLER_WORDS.has(word) && !hits.some((hit) => mentions(hit, word))) };
  }
  if (standing.length > 1) return { kind: 'ambiguous', candidates: standing };
  const suggestion = closestName(first, commands);
  return { kind: 'unknown', word: first, ...(suggestion ? { suggestion } : {}) };
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
