import { CsvFileProblem } from './csv-file-problem.js';

/**
 * The encodings an import reads. 'latin1' is decoded as Windows-1252, as browsers do: it is what
 * spreadsheet programs write when they say Latin-1 (€ is 0x80 there, a control code in ISO-8859-1).
 */
export const TEXT_ENCODINGS = { utf8: 'utf-8', latin1: 'windows-1252' } as const;
export type TextEncoding = keyof typeof TEXT_ENCODINGS;

const NEWLINE = 0x0a;

/**
 * Decodes a byte stream to text, refusing what is not text in `encoding`: a NUL byte (binary data,
 * or UTF-16) in any encoding, and in UTF-8 any byte sequence that is not valid UTF-8 (which the
 * decoder would otherwise turn into U+FFFD without a word). Problems name their line.
 */
export async function* decodeText(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(TEXT_ENCODINGS[encoding]);
  const validator = encoding === 'utf8' ? new Utf8Validator() : undefined;
  let line = 1;
  // A broken sequence is reported by the byte that started it, on its line.
  let lead = { byte: 0, line: 1 };
  for await (const chunk of chunks) {
    for (let index = 0; index < chunk.length; index += 1) {
      const byte = chunk[index]!;
      if (byte === 0) throw new CsvFileProblem(`line ${line}: the file has a NUL byte, so it is not text (a spreadsheet or a UTF-16 file?); save it as CSV in UTF-8`);
      if (validator) {
        if (validator.isComplete()) lead = { byte, line };
        if (!validator.accepts(byte)) throw notUtf8(lead.line, lead.byte);
      }
      if (byte === NEWLINE) line += 1;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (validator && !validator.isComplete()) throw notUtf8(lead.line, lead.byte);
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

function notUtf8(line: number, byte: number): CsvFileProblem {
  const hex = byte.toString(16).toUpperCase().padStart(2, '0');
  return new CsvFileProblem(`line ${line}: the text is not UTF-8 (byte 0x${hex}); save the file as UTF-8, or run with --encoding latin1 if it is Latin-1 / Windows-1252`);
}

/**
 * Byte-at-a-time UTF-8 well-formedness (Unicode 15, table 3-7): no overlong forms, no surrogates,
 * nothing past U+10FFFF. The state survives chunk boundaries.
 */
class Utf8Validator {
  private pending = 0;
  private lower = 0x80;
  private upper = 0xbf;

  accepts(byte: number): boolean {
    if (this.pending > 0) {
      if (byte < this.lower || byte > this.upper) return false;
      this.pending -= 1;
      this.lower = 0x80;
      this.upper = 0xbf;
      return true;
    }
    if (byte < 0x80) return true;
    if (byte >= 0xc2 && byte <= 0xdf) return this.expect(1);
    if (byte === 0xe0) return this.expect(2, 0xa0);
    if (byte === 0xed) return this.expect(2, 0x80, 0x9f);
    if (byte >= 0xe1 && byte <= 0xef) return this.expect(2);
    if (byte === 0xf0) return this.expect(3, 0x90);
    if (byte === 0xf4) return this.expect(3, 0x80, 0x8f);
    if (byte >= 0xf1 && byte <= 0xf3) return this.expect(3);
    return false;
  }

  isComplete(): boolean {
    return this.pending === 0;
  }

  private expect(continuations: number, lower = 0x80, upper = 0xbf): boolean {
    this.pending = continuations;
    this.lower = lower;
    this.upper = upper;
    return true;
  }
}
