import { describe, expect, it } from 'vitest';
import { createAnswerQueue } from '../../src/bot/answer-queue.js';

/** A piece of work that finishes when the test says so. */
function gated() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('answer queue', () => {
  it('runs at most `limit` answers at once and starts the rest in the order they were asked', async () => {
    const queue = createAnswerQueue(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => gated());
    const answers = gates.map((gate, index) => queue.run(async () => {
      started.push(index);
      await gate.done;
      return index;
    }));
    await settle();
    expect([started, queue.running, queue.waiting, queue.isFull]).toEqual([[0, 1], 2, 3, true]);
    gates[1]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.fail(new Error('the data went away'));
    await expect(answers[0]).rejects.toThrow('the data went away');
    await settle();
    // A failed answer gives its turn up as a finished one does.
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.open();
    expect(await Promise.all(answers.slice(1))).toEqual([1, 2, 3, 4]);
    expect([queue.running, queue.waiting, queue.isFull]).toEqual([0, 0, false]);
  });

  it('refuses a limit that would run nothing', () => {
    expect(() => createAnswerQueue(0)).toThrow(RangeError);
  });
});
