/**
 * A file an import cannot read as delimited text: missing, a folder, bytes that are not text in
 * the expected encoding, a quote never closed. The message is one sentence for the user; it is
 * thrown inside the reader and turned into the import's report, never shown as a stack trace.
 */
export class CsvFileProblem extends Error {
  override readonly name = 'CsvFileProblem';
}
