import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fail, ok } from '../../bot/result.js';
import type { Result } from '../../bot/result.js';
import { Ga4ExportEvent } from './ga4-export-event.js';
import { ExportSessions } from './ga4-export-sessions.js';

/**
 * Reads GA4 export tables as an export to files writes them: newline-delimited JSON, one event
 * per line, gzip-compressed or not (told by its first bytes, not its name). A folder is read
 * whole, its files in name order, so every shard of a day (events_20261125-000000000000.json.gz,
 * ...) counts; only files whose name ends in .json, .jsonl or .ndjson (then maybe .gz) are read.
 * The first bad line stops the read with where and what was wrong: nothing is imported from a
 * half-read export.
 */

const EXPORT_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;
const GZIP_MAGIC = [0x1f, 0x8b];

export async function readGa4ExportFiles(path: string): Promise<Result<{ sessions: ExportSessions; files: string[] }, string>> {
  const files = await exportFilesAt(path);
  if (!files.ok) return files;
  const sessions = new ExportSessions();
  for (const file of files.value) {
    const read = await readExportFile(file, sessions);
    if (!read.ok) return read;
  }
  return ok({ sessions, files: files.value });
}

async function exportFilesAt(path: string): Promise<Result<string[], string>> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    return fail(`cannot read ${path}: ${reasonOf(error)}`);
  }
  if (!isFolder) return ok([path]);
  const names = (await readdir(path)).filter((name) => EXPORT_FILE.test(name)).sort();
  if (names.length === 0) return fail(`${path} holds no export files (expected names ending in .json, .jsonl or .ndjson, maybe .gz)`);
  return ok(names.map((name) => join(path, name)));
}

async function readExportFile(file: string, sessions: ExportSessions): Promise<Result<void, string>> {
  const name = basename(file);
  let lines: Readable;
  try {
    lines = await openLines(file);
  } catch (error) {
    return fail(`cannot read ${name}: ${reasonOf(error)}`);
  }
  let line = 0;
  let events = 0;
  try {
    for await (const text of createInterface({ input: lines, crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      const event = parseEvent(text);
      if (!event.ok) return fail(`${name} line ${line}: ${event.error}`);
      sessions.add(event.value);
      events += 1;
    }
  } catch (error) {
    return fail(`${name}${line > 0 ? ` after line ${line}` : ''}: ${reasonOf(error)}`);
  }
  return events > 0 ? ok(undefined) : fail(`${name} holds no events`);
}

/** The file's lines, through gunzip when it starts with gzip's magic bytes. */
async function openLines(file: string): Promise<Readable> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const stream = createReadStream(file);
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return stream;
  const gunzip = createGunzip();
  stream.on('error', (error) => gunzip.destroy(error));
  return stream.pipe(gunzip);
}

function parseEvent(text: string): Result<Ga4ExportEvent, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const hint = text.trim() === '{' || text.trim() === '[' ? ' (expected one event per line: newline-delimited JSON as BigQuery exports it)' : '';
    return fail(`not JSON: ${reasonOf(error)}${hint}`);
  }
  const event = Ga4ExportEvent.safeParse(json);
  if (event.success) return ok(event.data);
  const issue = event.error.issues[0];
  return fail(`${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'not a GA4 export event'}`);
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
