import { beforeEach, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../src/jobs/job.js';
import { runJob } from '../../src/jobs/run-job.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { testJobContext } from './job-context.js';

const asOf = new Date('2026-11-30T08:00:00Z');
const now = () => new Date('2026-11-30T08:00:05Z');

describe(`runJob on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE job_runs RESTART IDENTITY');
  });

  it('runs a period once: the second run of the same period is not claimed', async () => {
    const seen: string[] = [];
    const job: JobDefinition = {
      name: 'digest', description: '', schedule: '0 9 * * 1', periodKey: () => '2026-W49',
      run: async (_context, at) => {
        seen.push(at.toISOString());
        return { summary: 'posted 2 digests' };
      },
    };
    const context = testJobContext(test.db);
    expect(await runJob(job, context, { asOf, holder: 'a', now })).toEqual({ kind: 'ran', periodKey: '2026-W49', outcome: 'ok', summary: 'posted 2 digests' });
    expect(await runJob(job, context, { asOf, holder: 'b', now })).toMatchObject({ kind: 'not_claimed', claim: { kind: 'already_done', outcome: 'ok' } });
    expect(seen).toEqual([asOf.toISOString()]);
  });

  it('catches a failing job, logs it with a reference and records the failure with that reference', async () => {
    const job: JobDefinition = {
      name: 'monitor', description: '', schedule: '*/5 * * * *', periodKey: () => 'slot',
      run: async () => {
        throw new Error('relation "tracking_events" is locked');
      },
    };
    const context = testJobContext(test.db);
    const result = await runJob(job, context, { asOf, holder: 'a', now });
    if (result.kind !== 'ran' || !result.ref) throw new Error('expected a failed run with a reference');
    expect(result).toMatchObject({ outcome: 'failed', summary: `something went wrong (ref ${result.ref})` });
    expect(context.log.lines.filter((line) => line.level === 'error').map((line) => line.details?.ref)).toEqual([result.ref]);
    expect(await test.db.query('SELECT outcome, error FROM job_runs')).toEqual([{ outcome: 'failed', error: `relation "tracking_events" is locked (ref ${result.ref})` }]);
  });

  it('records a run with nothing to do as skipped', async () => {
    const job: JobDefinition = { name: 'digest', description: '', schedule: '0 9 * * 1', periodKey: () => 'W', run: async () => ({ summary: 'no subscriptions', skipped: true }) };
    await runJob(job, testJobContext(test.db), { asOf, holder: 'a', now });
    expect(await test.db.query('SELECT outcome FROM job_runs')).toEqual([{ outcome: 'skipped' }]);
  });
});
