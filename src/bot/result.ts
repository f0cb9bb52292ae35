/** Failures people or outside systems cause are values; bugs are exceptions (STYLE.md §7). */
export type Result<T, E = Problem> = { ok: true; value: T } | { ok: false; error: E };

export type Problem =
  | { kind: 'bad_input'; message: string; understood?: string; suggestion?: string }
  | { kind: 'no_data'; message: string }
  | { kind: 'forbidden'; message: string };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E = Problem>(error: E): Result<never, E> => ({ ok: false, error });
