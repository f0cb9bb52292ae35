/**
 * Heavy answers take turns. Twenty-five questions asked at once would otherwise all read and compute
 * together: each waits for all the others, the process holds all their rows at once, and on the
 * embedded database (one connection) they queue anyway, only in no particular order. Here at most
 * `limit` run at a time and the rest start in the order they were asked.
 */
export interface AnswerQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** True when every turn is taken: a heavy question asked now would wait. */
  readonly isFull: boolean;
  readonly running: number;
  readonly waiting: number;
}

/** Two at a time: the machines we run on have two cores, and PGlite runs one query at a time. */
export const HEAVY_ANSWERS_AT_ONCE = 2;

export function createAnswerQueue(limit = HEAVY_ANSWERS_AT_ONCE): AnswerQueue {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`answer queue limit must be a whole number ≥ 1, got ${limit}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      // A finished answer hands its turn straight to the next in line, so `running` never dips between them.
      if (running < limit) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
    get isFull() {
      return running >= limit;
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
