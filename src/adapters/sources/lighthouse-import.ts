import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../store/db.js';
import { fail, ok } from '../../bot/result.js';
import type { Result } from '../../bot/result.js';
import type { LabRun } from './lighthouse.js';
import { parseLighthouseResult } from './lighthouse.js';
import { writePagespeedRuns } from './pagespeed-runs.js';

/** Lighthouse CI uploads wrap the report as `{ lhr }`; plain Lighthouse writes the LHR itself. */
const LighthouseCiUpload = z.object({ lhr: z.object({ lighthouseVersion: z.string() }).passthrough() });

export function readLighthouseUpload(json: unknown): Result<LabRun, string> {
  const upload = LighthouseCiUpload.safeParse(json);
  if (upload.success) return parseLighthouseResult(upload.data.lhr);
  return parseLighthouseResult(json);
}

export interface LighthouseImportReport {
  imported: { file: string; url: string; at: Date }[];
  rejected: { file: string; reason: string }[];
}

/** Imports one .json report or every .json report in a folder (not recursive); bad files are reported, not fatal. */
export async function importLighthouseReports(db: Db, path: string): Promise<LighthouseImportReport> {
  const report: LighthouseImportReport = { imported: [], rejected: [] };
  const files = (await stat(path)).isDirectory()
    ? (await readdir(path)).filter((name) => name.endsWith('.json')).sort().map((name) => join(path, name))
    : [path];
  const runs: LabRun[] = [];
  for (const file of files) {
    const json = await readJsonFile(file);
    const run = json.ok ? readLighthouseUpload(json.value) : json;
    if (run.ok) {
      runs.push(run.value);
      report.imported.push({ file, url: run.value.url, at: run.value.at });
    } else report.rejected.push({ file, reason: run.error });
  }
  if (runs.length > 0) await writePagespeedRuns(db, runs);
  return report;
}

async function readJsonFile(file: string): Promise<Result<unknown, string>> {
  try {
    return ok(JSON.parse(await readFile(file, 'utf8')) as unknown);
  } catch (error) {
    return fail(`cannot read JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
