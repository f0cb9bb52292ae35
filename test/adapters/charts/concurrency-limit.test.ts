import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../../src/adapters/charts/concurrency-limit.js';

// One macrotask turn lets every pending promise continuation run; nothing here waits on a clock.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createConcurrencyLimit', () => {
  it('runs at most two tasks at once and starts the others in arrival order as slots free up', async () => {
    const limit = createConcurrencyLimit(2);
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const results = [0, 1, 2, 3, 4].map((n) => limit(() => new Promise<number>((resolve) => {
      started.push(n);
      finish[n] = () => resolve(n * 10);
    })));
    await settle();
    expect(started).toEqual([0, 1]);
    finish[1]?.();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    // A newcomer arriving now must queue behind 3 and 4, not take a slot.
    const late = limit(async () => { started.push(99); return 990; });
    finish[0]?.();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    finish[2]?.();
    finish[3]?.();
    await settle();
    finish[4]?.();
    expect(await Promise.all([...results, late])).toEqual([0, 10, 20, 30, 40, 990]);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit(async () => { throw new Error('render failed'); })).rejects.toThrow('render failed');
    expect(await limit(async () => 'next')).toBe('next');
  });
});
