import { beforeAll, describe, expect, it } from 'vitest';
import { insertBatch } from '../../../src/adapters/store/insert-batch.js';
import { HOUR_MS } from '../../../src/analytics/time.js';
import { botSettings } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { evaluateSpeed } from '../../../src/jobs/monitors/run-monitors.js';
import { monitorSettings } from '../../../src/jobs/monitors/settings.js';
import { ask, createTestBot } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';

const PAGE = 'https://shop.example/';
const FIRST_RUN = Date.parse('2026-11-01T06:00:00Z');
// The monitor reads the 28 days before its instant, the command the days asked for: both see every run.
const AS_OF = new Date('2026-11-13T00:00:00Z');
const QUESTION = 'speed / 2026-11-01..2026-11-12';

/**
 * Mobile lab LCP of the home page, three runs a day (06:00, 12:00, 18:00) from 1 to 12 Nov: 2000,
 * 2100, 2000 a day, one slow run of 6000 on 5 Nov at 12:00, and 3000, 3100, 3000 from 9 Nov 18:00 on.
 */
function lcpRuns(): { at: string; lcpMs: number }[] {
  return Array.from({ length: 36 }, (_, index) => {
    const atMs = FIRST_RUN + Math.floor(index / 3) * 24 * HOUR_MS + (index % 3) * 6 * HOUR_MS;
    const pattern = index >= 26 ? [3000, 3100, 3000] : [2000, 2100, 2000];
    return { at: new Date(atMs).toISOString(), lcpMs: index === 13 ? 6000 : pattern[index % 3]! };
  });
}

const test = useTestDb();

/** The regression as the `speed` answer states it and as the page-speed monitor's evaluation does, under one configuration. */
async function bothVerdicts(env: Record<string, string>) {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const answer = await ask(createTestBot(test.db, { now: AS_OF, settings: { labRules: botSettings(parsed.config).labRules } }), QUESTION);
  const [evaluation] = await evaluateSpeed(test.db, AS_OF, monitorSettings(parsed.config).speed);
  return { answer, evaluation: evaluation! };
}

describe(`the speed command and the page-speed monitor on ${testDbKind}`, () => {
  beforeAll(async () => {
    await clearData(test.db);
    await insertBatch(test.db, 'pagespeed_runs', ['at', 'url', 'form_factor', 'kind', 'lcp_ms'], ['timestamptz', 'text', 'text', 'text', 'real'],
      lcpRuns().map((run) => [run.at, PAGE, 'mobile', 'lab', run.lcpMs]));
  });

  it('see the same regression in the same runs: begun with the 9 Nov 18:00 run, 2.0 s before it, 3.0 s since', async () => {
    // The step at the 9 Nov 18:00 run: the 20 runs before it (2000 ×13, 2100 ×6, 6000) have median 2000,
    // the five from it (3000, 3000, 3100, 3000, 3000) 3000: +1000 ms, past +300 ms and +25 %. The run
    // before it (2100) is not slow, and the lone 6000 run leaves its five-run median at 2000.
    const { answer, evaluation } = await bothVerdicts({});
    expect(answer.data?.regression).toEqual({ url: PAGE, startedAt: '2026-11-09T18:00:00.000Z', beforeMs: 2000, afterMs: 3000, currentMs: 3000, level: 'breach' });
    expect(answer.summary).toMatch(/^Lab LCP on \/ rose from 2\.00 s to 3\.00 s on 9 Nov 2026/);
    expect(evaluation.level).toBe('breach');
    expect(evaluation.breachStartMs).toBe(Date.parse('2026-11-09T18:00:00Z'));
    expect(evaluation.findings).toEqual([{ metric: 'lab_lcp', subject: `${PAGE} (mobile)`, level: 'breach', observed: 3000, expected: 2000, unit: 'ms' }]);
  });

  it('both follow MONITOR_LCP_REGRESSION: at 60 % the same +50 % step is no regression for either', async () => {
    const { answer, evaluation } = await bothVerdicts({ MONITOR_LCP_REGRESSION: '0.6' });
    expect(answer.data?.regression).toBeNull();
    expect(answer.summary).toMatch(/^No lab regression on the 1 measured pages/);
    expect(evaluation.level).toBe('ok');
    expect(evaluation.findings).toEqual([]);
  });
});
