import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MONITORS_BENCH = fileURLToPath(new URL('../monitors.ts', import.meta.url));

/**
 * bench/monitors.ts in its own process (it seeds shops on embedded databases of its own, writes faults
 * into them and replays the monitors), its lines passed through and kept. Null when the file is not there.
 */
export async function runMonitorsBench(): Promise<string[] | null> {
  if (!existsSync(MONITORS_BENCH)) return null;
  const child = spawn(process.execPath, ['--import', 'tsx', MONITORS_BENCH], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  child.stdout.setEncoding('utf8');
  let rest = '';
  child.stdout.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim() !== ''));
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (rest.trim() !== '') lines.push(rest);
  if (code !== 0) lines.push(`(exited with ${code})`);
  return lines;
}
