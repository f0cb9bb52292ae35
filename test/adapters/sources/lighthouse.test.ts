import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../src/adapters/sources/deploy-hooks.js';
import { parseLighthouseResult } from '../../../src/adapters/sources/lighthouse.js';
import { importLighthouseReports } from '../../../src/adapters/sources/lighthouse-import.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { fixturePath } from './support/google-test-server.js';
import { startHooksServer } from './support/hooks-server.js';

interface Lhr {
  fetchTime: string;
  finalUrl: string;
  categories: { performance: { score: number } };
  audits: Record<string, { numericValue?: number; details?: { items?: { entity: unknown; transferSize: number; mainThreadTime: number }[] } }>;
}
const readLhr = (name: string) => JSON.parse(readFileSync(fixturePath('lighthouse', name), 'utf8')) as Lhr;
const v13 = readLhr('sample_v2.lhr.json');
const v6 = readLhr('lhr-6.0.0.json');
const SECRET = 'test-webhook-secret';

/** The expected lab row, read straight from the report: third parties summed over the audit's table. */
function expectedRow(lhr: Lhr, thirdPartyAudit: string, formFactor: string) {
  const items = lhr.audits[thirdPartyAudit]?.details?.items ?? [];
  return {
    at: lhr.fetchTime, url: lhr.finalUrl, form_factor: formFactor, kind: 'lab', source: 'lighthouse',
    performance_score: lhr.categories.performance.score,
    lcp_ms: lhr.audits['largest-contentful-paint']?.numericValue, cls: lhr.audits['cumulative-layout-shift']?.numericValue,
    tbt_ms: lhr.audits['total-blocking-time']?.numericValue, ttfb_ms: lhr.audits['server-response-time']?.numericValue,
    fcp_ms: lhr.audits['first-contentful-paint']?.numericValue, speed_index_ms: lhr.audits['speed-index']?.numericValue,
    third_party_ms: items.reduce((total, item) => total + item.mainThreadTime, 0),
    third_party_bytes: items.reduce((total, item) => total + item.transferSize, 0),
  };
}

// Stored as `real` (about 7 significant digits): compare at that precision.
const toReal = (value: unknown) => (typeof value === 'number' ? Math.fround(value) : value);
const asReals = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : toReal(value)]));

describe(`Lighthouse reports on ${testDbKind}`, () => {
  const test = useTestDb();
  let hooks: Awaited<ReturnType<typeof startHooksServer>>;
  let hooksUrl: string;

  beforeAll(async () => {
    hooks = await startHooksServer(test.db, SECRET);
    hooksUrl = hooks.url;
  });
  afterAll(async () => hooks.close());
  beforeEach(async () => clearData(test.db));

  const readRows = async () => (await test.db.query<Record<string, unknown>>(
    'SELECT at, url, form_factor, kind, source, performance_score, lcp_ms, cls, tbt_ms, ttfb_ms, fcp_ms, speed_index_ms, third_party_ms, third_party_bytes FROM pagespeed_runs ORDER BY at')).map(asReals);

  it('imports a folder holding both report versions with exactly their LCP, FCP, Speed Index, CLS, TBT, score and third-party figures', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'lhr-'));
    await copyFile(fixturePath('lighthouse', 'lhr-6.0.0.json'), join(folder, 'a.json'));
    await copyFile(fixturePath('lighthouse', 'sample_v2.lhr.json'), join(folder, 'b.json'));
    await writeFile(join(folder, 'broken.json'), '{"lighthouseVersion": "12.0.0"');
    const report = await importLighthouseReports(test.db, folder);
    expect(report.imported.map((run) => run.file)).toEqual([join(folder, 'a.json'), join(folder, 'b.json')]);
    expect(report.rejected).toEqual([{ file: join(folder, 'broken.json'), reason: expect.stringContaining('cannot read JSON') }]);
    // v6 names its form factor emulatedFormFactor and sums third parties in 'third-party-summary';
    // v13 has formFactor and 'third-parties-insight' (empty on this local test page).
    expect(await readRows()).toEqual([asReals(expectedRow(v6, 'third-party-summary', 'mobile')), asReals(expectedRow(v13, 'third-parties-insight', 'mobile'))]);
    expect(v6.audits['third-party-summary']?.details?.items).toHaveLength(1);
  });

  it('keeps the hosts of each third party so it can be linked to tags', () => {
    const run = parseLighthouseResult(v6);
    expect(run.ok && run.value.thirdParties).toEqual([{ name: 'Google CDN', hosts: ['developers.google.com'], mainThreadMs: 90.36300000000001, transferBytes: 30174 }]);
  });

  it('accepts a signed raw LHR and a signed Lighthouse CI upload { lhr } at POST /hooks/lighthouse', async () => {
    for (const body of [JSON.stringify(v6), JSON.stringify({ lhr: v13 })]) {
      const response = await fetch(`${hooksUrl}/lighthouse`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) }, body });
      expect(response.status).toBe(201);
    }
    expect((await readRows()).map((row) => row.at)).toEqual([v6.fetchTime, v13.fetchTime]);
  });

  it('refuses a Lighthouse upload with a wrong signature (401) or a body that is no report (422), recording nothing', async () => {
    const body = JSON.stringify(v6);
    const forged = await fetch(`${hooksUrl}/lighthouse`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, 'another-secret') }, body });
    expect(forged.status).toBe(401);
    const notReport = JSON.stringify({ hello: 'world' });
    const wrong = await fetch(`${hooksUrl}/lighthouse`, { method: 'POST', headers: { 'x-hub-signature-256': signBody(notReport, SECRET) }, body: notReport });
    expect(wrong.status).toBe(422);
    expect(await readRows()).toEqual([]);
  });
});
