import { beforeAll, describe, expect, it } from 'vitest';
import { rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { runMkt } from '../../support/cli.js';
import type { Reply } from '../../../src/bot/reply.js';

const LIGHTHOUSE = new URL('../../../../shared/fixtures/lighthouse/', import.meta.url).pathname;
const PAGE = '/dobetterweb/dbw_tester.html';

describe(`speed shows every lab metric a Lighthouse report carries, on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    for (const file of ['sample_v2.lhr.json', 'lhr-6.0.0.json']) {
      const imported = await runMkt(test.db, ['import', 'lighthouse', `${LIGHTHOUSE}${file}`]);
      expect(imported.code).toBe(0);
    }
  });

  const speedAsked = async (words: string[]): Promise<Reply> => {
    const { code, io } = await runMkt(test.db, [...words, '--json']);
    expect(code).toBe(0);
    return JSON.parse(io.lines.join('\n')) as Reply;
  };

  it('shows a lab-only report (Lighthouse 13) with its CLS 0.0996, FCP and Speed Index, and dashes for the field', async () => {
    const answer = await speedAsked(['speed', '2026-04-23..2026-04-23']);
    // sample_v2.lhr.json: performance 0.32; audits LCP 10884.681 ms, FCP 6795.362 ms, Speed Index 8296 ms,
    // TBT 1055.198 ms, CLS 0.099576; its third-parties table is empty (0 ms); no CrUX record.
    expect(rowOf(answer, PAGE).map((cell) => cell.text)).toEqual([PAGE, '32', '10.88 s', '6.80 s', '8.30 s', '1,055 ms', '0.0996', '0 ms', '—', '—', '—', '—', 'no data']);
    const labCls = tableOf(answer).columns.findIndex((column) => column.label === 'CLS (lab)');
    expect(rowOf(answer, PAGE)[labCls]!.raw).toBeCloseTo(0.099576, 6);
  });

  it('reads the same metrics from a Lighthouse 6 report', async () => {
    const answer = await speedAsked(['speed', '2018-03-13..2018-03-13']);
    // lhr-6.0.0.json: performance 0.64; LCP 4927.278, FCP 3969.135, Speed Index 4417, TBT 116.798, CLS 0.42;
    // third-party-summary: Google CDN, 90.363 ms of main-thread time.
    expect(rowOf(answer, PAGE).map((cell) => cell.text)).toEqual([PAGE, '64', '4.93 s', '3.97 s', '4.42 s', '117 ms', '0.42', '90 ms', '—', '—', '—', '—', 'no data']);
  });

  it('labels each column lab or field, in Italian too', async () => {
    const answer = await speedAsked(['speed', '2026-04-23..2026-04-23', '--locale', 'it']);
    expect(tableOf(answer).columns.map((column) => column.label)).toEqual([
      'Pagina', 'Punteggio (lab)', 'LCP (lab)', 'FCP (lab)', 'Speed Index (lab)', 'TBT (lab)', 'CLS (lab)', 'Terze parti (lab)',
      'LCP p75 (campo)', 'FCP p75 (campo)', 'INP p75 (campo)', 'CLS p75 (campo)', 'Stato (campo)',
    ]);
    expect(rowOf(answer, PAGE)[6]!.text).toBe('0,0996');
  });
});
