// First start: `npm start` on an empty DATA_DIR, timed from launch to the terminal's `mkt>` prompt,
// with each progress line's arrival. Run: npx tsx bench/first-start.ts (or npm run bench -- --only first-start)
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './lib/is-main.js';

/** The target on a quiet 2-core machine. */
export const FIRST_START_TARGET_MS = 10_000;

export interface FirstStartFigure {
  toPromptMs: number;
  /** Each line of progress with the time it appeared, for where the time goes. */
  lines: { atMs: number; text: string }[];
}

export async function benchFirstStart(): Promise<{ figure: FirstStartFigure; verdict: { target: string; measured: string; isMet: boolean } }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mkt-first-start-'));
  const root = fileURLToPath(new URL('..', import.meta.url));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    // No chat platform: the bot talks in the terminal, which is what a first `npm start` shows.
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, CONSOLE: 'auto', SCHEDULER: 'off', OUT_DIR: join(dataDir, 'out') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: FirstStartFigure['lines'] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let shown: FirstStartFigure['lines'] = [];
  const toPromptMs = await new Promise<number>((resolve, reject) => {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const parts = pending.split(/[\r\n]/);
      pending = parts.pop() ?? '';
      for (const text of parts) if (text.trim()) lines.push({ atMs: performance.now() - started, text: text.trim() });
      if (pending.includes('mkt> ')) resolve(performance.now() - started);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before its prompt: ${stderr.slice(-500)}`)));
  });
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
  // Percent lines come a hundred per stage; the stage's last one says when it ended.
  shown = lines.filter((line, index) => !line.text.endsWith('%') || !lines[index + 1]?.text.endsWith('%') || line.text.endsWith(' 100%'));
  for (const line of shown) console.log(`${(line.atMs / 1000).toFixed(1).padStart(6)} s  ${line.text}`);
  console.log(`${(toPromptMs / 1000).toFixed(1).padStart(6)} s  mkt> (the prompt)`);
  const verdict = { target: `first \`npm start\` to the prompt ≤ ${FIRST_START_TARGET_MS / 1000} s`, measured: `${(toPromptMs / 1000).toFixed(1)} s`, isMet: toPromptMs <= FIRST_START_TARGET_MS };
  console.log(`${verdict.isMet ? 'met    ' : 'NOT MET'}  ${verdict.target}: ${verdict.measured}`);
  return { figure: { toPromptMs, lines: shown }, verdict };
}

if (isMain(import.meta.url)) await benchFirstStart();
