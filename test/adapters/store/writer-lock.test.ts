import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOpenError, openDb } from '../../../src/adapters/store/open.js';
import { WRITER_LOCK_FILE, WriterLockHeldError, acquireWriterLock } from '../../../src/adapters/store/writer-lock.js';

const MKT = fileURLToPath(new URL('../../../bin/mkt.js', import.meta.url));

/** `mkt …` as a second process, run from `cwd` with only DATA_DIR configured. */
function mkt(cwd: string, dataDir: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MKT, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, OUT_DIR: join(cwd, 'out') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.once('exit', (status) => resolve({ status, stdout, stderr: stderr.trim() }));
  });
}

describe('one writer per embedded database folder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mkt-writer-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses a second process (mkt import while the bot runs) with one line, and lets it in once the bot stopped', async () => {
    const dataDir = join(folder, 'data');
    await writeFile(join(folder, 'orders.csv'), 'id,customer_id,ordered_at,revenue\nA-1,c1,2026-11-20T10:00:00Z,42.50\n');
    const bot = await openDb({ DATA_DIR: dataDir }, 'bot');
    const refused = await mkt(folder, dataDir, ['import', 'orders', 'orders.csv']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(new RegExp(`^DATA_DIR: the bot is running on ${dataDir} \\(pid ${process.pid}, since .+\\) and the embedded database takes one process at a time; ask the bot in its terminal or chat, or stop it \\(Ctrl-C\\)`));
    // In this process too: a second open of the folder is refused, not attempted.
    const second = await openDb({ DATA_DIR: dataDir }, 'mkt jobs run').then(() => undefined, (error: unknown) => error);
    expect(second).toBeInstanceOf(WriterLockHeldError);
    expect(describeOpenError(second, { DATA_DIR: dataDir })).toMatch(/^DATA_DIR: the bot is running on/);
    await bot.close();

    const imported = await mkt(folder, dataDir, ['import', 'orders', 'orders.csv']);
    expect([imported.status, imported.stdout.trim()]).toEqual([0, expect.stringMatching(/^orders: read 1 rows, wrote 1/)]);
    // The folder opens again afterwards, with the order in it.
    const reopened = await openDb({ DATA_DIR: dataDir }, 'test');
    try {
      expect(await reopened.query('SELECT id, revenue FROM orders')).toEqual([{ id: 'A-1', revenue: 42.5 }]);
    } finally {
      await reopened.close();
    }
  });

  it('names another mkt command that holds the folder, and takes over a lock left by a killed process', async () => {
    const dataDir = join(folder, 'lock-only');
    const held = await acquireWriterLock(folder, 'mkt import orders');
    const refusal = await acquireWriterLock(folder, 'bot').then(() => undefined, (error: unknown) => error);
    expect(describeOpenError(refusal, { DATA_DIR: folder })).toMatch(new RegExp(`^DATA_DIR: ${folder} is in use by \`mkt import orders\` \\(pid ${process.pid}, since .+\\) and the embedded database takes one process at a time; run this again when it has finished`));
    await held.release();

    // A process that ended without releasing: its pid is gone, so its lock does not block.
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, WRITER_LOCK_FILE), JSON.stringify({ pid, host: hostname(), purpose: 'bot', since: '2026-11-01T00:00:00.000Z' }));
    const taken = await acquireWriterLock(dataDir, 'mkt jobs run');
    await taken.release();
  });
});
