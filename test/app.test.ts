import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import type { Config } from '../src/config.js';
import { recordingLogger } from './support/bot.js';
import { testDatabaseUrl } from './support/db.js';

/** The whole grid as two segments: recent customers (R 3-5) and the rest. */
const twoSegments = {
  segments: [
    { id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] },
    { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
  ],
};

describe('the RFM segment map from configuration', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mkt-map-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function configWith(map: unknown): Promise<Config> {
    const path = join(dir, `map-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(map));
    const parsed = parseConfig({ RFM_SEGMENT_MAP: path, DATA_DIR: join(dir, 'data'), ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}) });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    return parsed.config;
  }

  it('replaces the default segments in the bot, read once at start: jobs asking the bot later need no file', async () => {
    const config = await configWith(twoSegments);
    const opened = await openApp(config, recordingLogger());
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    try {
      await rm(config.RFM_SEGMENT_MAP!);
      const answer = await opened.app.bot.at(new Date('2026-11-30T08:00:00Z')).handle({ text: 'churn segment champions', platform: 'cli', channelId: 'cli', userId: 'x' });
      expect(answer.problem).toBe('bad_input');
      expect(answer.summary).toContain('recent, lapsed');
      expect(opened.app.bot.settings.rfmSegmentMap).toEqual(twoSegments);
    } finally {
      await opened.app.close();
    }
  });

  it('refuses a map that leaves scores without a segment, naming the file and the gap', async () => {
    const broken = { segments: [{ id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] }] };
    const config = await configWith(broken);
    const opened = await openApp(config, recordingLogger());
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatch(/^RFM_SEGMENT_MAP: .*map-.*\.json: .*cell R=1 FM=1 has no segment/);
  });
});
