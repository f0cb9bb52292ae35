import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

/** One record of a delimited file with the line it ends on (1-based, header included). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** 'whitespace' splits on runs of spaces and tabs (fixed-width exports such as CDNOW); no quoting then. */
export type Delimiter = string | 'whitespace';

/** Streams a file record by record, so memory stays flat whatever its size. */
export async function* readCsvRecords(path: string, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
  if (delimiter === 'whitespace') {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      line += 1;
      const trimmed = text.trim();
      if (trimmed !== '') yield { line, fields: trimmed.split(/\s+/) };
    }
    return;
  }
  const parser = createReadStream(path).pipe(parse({ delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: item.info.lines, fields: item.record };
  }
}
