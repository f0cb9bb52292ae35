/** Runs at most `maxRunning` tasks at once; the rest wait in arrival order. */
export function createConcurrencyLimit(maxRunning: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(maxRunning) || maxRunning < 1) throw new RangeError(`maxRunning must be a positive integer, got ${maxRunning}`);
  let running = 0;
  const waiting: Array<() => void> = [];

  // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
  const acquire = async (): Promise<void> => {
    if (running < maxRunning) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return async <T>(task: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}
