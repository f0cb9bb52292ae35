import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { TextEncoding } from './text-decoding.js';
import { decodeText } from './text-decoding.js';
import { CsvFileProblem } from './csv-file-problem.js';

/** One record of a delimited file with the line it ends on (1-based, header included). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** 'whitespace' splits on runs of spaces and tabs (fixed-width exports such as CDNOW); no quoting then. */
export type Delimiter = string | 'whitespace';

export interface CsvReadOptions {
  delimiter: Delimiter;
  encoding: TextEncoding;
}

/**
 * Streams a file record by record, so memory stays flat whatever its size. Anything that makes
 * the file unreadable as text (missing, a folder, bad bytes, a quote never closed) is thrown as a
 * CsvFileProblem: one sentence naming the line where it can.
 */
export async function* readCsvRecords(path: string, options: CsvReadOptions): AsyncGenerator<CsvRecord> {
  await checkIsFile(path);
  const text = Readable.from(decodeText(byteChunks(path), options.encoding));
  if (options.delimiter === 'whitespace') {
    let line = 0;
    for await (const row of createInterface({ input: text, crlfDelay: Infinity })) {
      line += 1;
      const trimmed = row.trim();
      if (trimmed !== '') yield { line, fields: trimmed.split(/\s+/) };
    }
    return;
  }
  const parser = text.pipe(parse({ delimiter: options.delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  // A decoding problem is raised on the text stream; pipe() does not forward it to the parser.
  text.on('error', (error) => parser.destroy(error));
  let lastLine = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = item.info.lines;
      yield { line: item.info.lines, fields: item.record };
    }
  } catch (error) {
    throw error instanceof CsvFileProblem ? error : new CsvFileProblem(describeParseError(error, lastLine));
  }
}

async function checkIsFile(path: string): Promise<void> {
  let entry;
  try {
    entry = await stat(path);
  } catch (error) {
    throw new CsvFileProblem(describeOpenError(path, error));
  }
  if (entry.isDirectory()) throw new CsvFileProblem(`${path} is a folder; give the path of a file in it`);
}

async function* byteChunks(path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  } catch (error) {
    throw new CsvFileProblem(describeOpenError(path, error));
  }
}

function describeOpenError(path: string, error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return `there is no file at ${path}`;
    case 'EISDIR':
      return `${path} is a folder; give the path of a file in it`;
    case 'EACCES':
    case 'EPERM':
      return `${path} cannot be read: permission denied`;
    case 'ENXIO':
    case 'ENODEV':
      return `${path} cannot be read: it is a socket or a device, not a file`;
    default:
      return `${path} cannot be read (${code || (error instanceof Error ? error.message : String(error))})`;
  }
}

/** csv-parse's errors as one sentence; an unclosed quote is reported where its record starts. */
function describeParseError(error: unknown, lastRecordLine: number): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const line = typeof error === 'object' && error !== null && 'lines' in error && typeof error.lines === 'number' ? error.lines : undefined;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `line ${lastRecordLine + 1}: a quoted field starts here and is never closed (a " without its closing ")`;
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `line ${line ?? '?'}: a " inside a field; quote the whole field and double the quotes inside it ("say ""hi""")`;
    case 'CSV_MAX_RECORD_SIZE':
      return `line ${line ?? '?'}: a record is too long`;
    default:
      return `line ${line ?? '?'}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
