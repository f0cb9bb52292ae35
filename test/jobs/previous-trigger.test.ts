import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { previousTrigger } from '../../src/jobs/previous-trigger.js';

const previous = async (expression: string, before: string, timeZone: string) => {
  const task = createTask(expression, () => undefined, { timezone: timeZone });
  try {
    return previousTrigger(task, new Date(before), timeZone)?.toISOString();
  } finally {
    await task.destroy();
  }
};

describe('previousTrigger', () => {
  it('finds the last Monday 10:00 in Rome: 09:00 UTC in winter, 08:00 UTC in summer', async () => {
    expect(await previous('0 10 * * 1', '2026-12-02T12:00:00Z', 'Europe/Rome')).toBe('2026-11-30T09:00:00.000Z');
    expect(await previous('0 10 * * 1', '2026-07-01T12:00:00Z', 'Europe/Rome')).toBe('2026-06-29T08:00:00.000Z');
  });

  it('counts a trigger at exactly `before`, and not one a minute later', async () => {
    expect(await previous('0 10 * * 1', '2026-11-30T09:00:00Z', 'Europe/Rome')).toBe('2026-11-30T09:00:00.000Z');
    expect(await previous('0 10 * * 1', '2026-11-30T08:59:59Z', 'Europe/Rome')).toBe('2026-11-23T09:00:00.000Z');
  });

  it('looks back a month for a monthly job and finds the latest five-minute slot at once', async () => {
    expect(await previous('0 6 1 * *', '2026-12-31T12:00:00Z', 'Europe/Rome')).toBe('2026-12-01T05:00:00.000Z');
    expect(await previous('*/5 * * * *', '2026-12-31T12:04:59Z', 'UTC')).toBe('2026-12-31T12:00:00.000Z');
  });
});
