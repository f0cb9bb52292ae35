/**
 * Answers being worked on. A stopping process stops taking requests, then waits here for the
 * answers it already accepted (a Slack request is acknowledged before it is answered, so closing
 * the HTTP server alone would drop them).
 */
export interface InFlight {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once nothing is in flight, including work that started while waiting. */
  drained(): Promise<void>;
  readonly count: number;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    run(work) {
      const pending = work();
      running.add(pending);
      void pending.finally(() => running.delete(pending)).catch(() => undefined);
      return pending;
    },
    async drained() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    get count() {
      return running.size;
    },
  };
}
