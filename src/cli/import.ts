import { parseArgs } from 'node:util';
import { importCsv } from '../adapters/sources/csv.js';
import type { CsvImportReport } from '../adapters/sources/csv.js';
import type { CsvTargetName } from '../adapters/sources/csv-targets.js';
import { CSV_TARGET_NAMES } from '../adapters/sources/csv-targets.js';
import { importLighthouseReports } from '../adapters/sources/lighthouse-import.js';
import type { TextEncoding } from '../adapters/sources/text-decoding.js';
import { TEXT_ENCODINGS } from '../adapters/sources/text-decoding.js';
import { importGa4Export } from './import-ga4-export.js';
import type { AdminCommand, CliIo } from './admin-command.js';

const USAGE = 'mkt import orders|customers|touchpoints|spend|budgets|rates <file.csv> [--map target=source,...] [--delimiter ;|tab|whitespace] [--encoding utf8|latin1] [--partial] | mkt import lighthouse <file.json|dir> | mkt import ga4-export <file|folder>';

export const importData: AdminCommand = {
  words: ['import'],
  usage: USAGE,
  description: 'load a CSV into a data table or exchange rates (one transaction per file), Lighthouse reports into pagespeed_runs, or GA4 export tables into touchpoints',
  async run(args, app, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options: { map: { type: 'string' }, delimiter: { type: 'string' }, encoding: { type: 'string' }, partial: { type: 'boolean' } }, allowPositionals: true, strict: true });
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const [what, path, ...extra] = parsed.positionals;
    if (!what || !path || extra.length > 0) {
      io.err(`Usage: ${USAGE}`);
      return 2;
    }
    if (what === 'lighthouse') {
      const report = await importLighthouseReports(app.db, path);
      for (const run of report.imported) io.out(`imported ${run.url} at ${run.at.toISOString()} (${run.file})`);
      for (const bad of report.rejected) io.err(`rejected ${bad.file}: ${bad.reason}`);
      return report.rejected.length === 0 ? 0 : 1;
    }
    if (what === 'ga4-export') return importGa4Export(app.db, path, io);
    if (!isTarget(what)) {
      io.err(`Unknown import "${what}"; expected one of ${[...CSV_TARGET_NAMES, 'lighthouse', 'ga4-export'].join(', ')}.`);
      return 2;
    }
    const map = parseMap(parsed.values.map ?? '');
    const delimiter = parseDelimiter(parsed.values.delimiter ?? ',');
    const encoding = parsed.values.encoding ?? 'utf8';
    if (typeof map === 'string' || delimiter === undefined || !isEncoding(encoding)) {
      io.err(typeof map === 'string' ? map : delimiter === undefined ? '--delimiter: expected one character, tab or whitespace' : `--encoding: expected ${Object.keys(TEXT_ENCODINGS).join(' or ')}, got "${encoding}"`);
      return 2;
    }
    const report = await importCsv(app.db, what, path, {
      map, delimiter, encoding, isPartial: parsed.values.partial === true, shop: { currency: app.config.CURRENCY, timeZone: app.config.TIME_ZONE },
    });
    printReport(report, what, io);
    // The embedded database has no autovacuum: refresh planner statistics after a bulk load.
    if (report.isCommitted && app.db.kind === 'pglite') await app.db.exec('ANALYZE');
    return report.isCommitted && report.rejectedCount === 0 ? 0 : 1;
  },
};

function isTarget(name: string): name is CsvTargetName {
  return (CSV_TARGET_NAMES as readonly string[]).includes(name);
}

/** "id=order_no,revenue=amount" → { id: 'order_no', revenue: 'amount' }, or what is wrong. */
export function parseMap(text: string): Record<string, string> | string {
  const map: Record<string, string> = {};
  for (const pair of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [target, source, ...rest] = pair.split('=');
    if (!target || !source || rest.length > 0) return `--map: expected target=source pairs like id=order_no, got "${pair}"`;
    map[target.trim()] = source.trim();
  }
  return map;
}

function isEncoding(name: string): name is TextEncoding {
  return name in TEXT_ENCODINGS;
}

function parseDelimiter(text: string): string | undefined {
  if (text === 'tab' || text === '\\t') return '\t';
  if (text === 'whitespace') return 'whitespace';
  return text.length === 1 ? text : undefined;
}

function printReport(report: CsvImportReport, target: string, io: CliIo): void {
  if (report.fileError) {
    io.err(`Nothing imported: ${report.fileError}.`);
    return;
  }
  for (const bad of [...report.rejected].sort((a, b) => a.line - b.line)) io.err(`line ${bad.line}: ${bad.reason}`);
  if (report.rejectedCount > report.rejected.length) io.err(`... and ${report.rejectedCount - report.rejected.length} more rejected rows`);
  if (!report.isCommitted) {
    io.err(`Nothing imported: ${report.rejectedCount} of ${report.rowsRead} rows were rejected. Fix them, or run with --partial to import the others.`);
    return;
  }
  const customers = report.customersCreated > 0 ? `, ${report.customersCreated} new customers` : '';
  const rejected = report.rejectedCount > 0 ? `, ${report.rejectedCount} rejected` : '';
  io.out(`${target}: read ${report.rowsRead} rows, wrote ${report.rowsWritten} (${report.rowsRead - report.rowsWritten - report.rejectedCount} unchanged)${customers}${rejected}.`);
}
