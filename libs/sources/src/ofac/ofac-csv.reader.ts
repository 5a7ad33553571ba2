import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { SourceFormatError } from '../source-adapter';
import { readCsvRecords } from './csv-records.reader';

/** One row of an OFAC CSV file: cells trimmed, `-0-` (OFAC's null) as undefined; or why it is unreadable. */
export type OfacCsvItem =
  { row: number; cells: (string | undefined)[] } | { row: number; error: string; truncated?: boolean };

const EOF_MARKER = 0x1a;
const NULL_CELL = '-0-';

/**
 * Read one of OFAC's legacy CSV files: no header, Latin-1, CR LF, `-0-` for empty cells and a DOS
 * end-of-file byte (0x1A) after the last line. Every row of a published file ends with CR LF, so a
 * last row that no line break ends, with no end-of-file byte either, is a file cut short.
 *
 * @param file the file's name for messages, e.g. "alt.csv"
 * @param columns the file's column names, for the column count and messages
 */
export async function* readOfacCsv(
  input: Readable,
  file: string,
  columns: readonly string[],
  signal: AbortSignal,
): AsyncGenerator<OfacCsvItem> {
  const text = { eofMarker: false };
  let first = true;
  for await (const record of readCsvRecords(latin1Text(input, text, signal), { signal })) {
    signal.throwIfAborted();
    if (record.cutInQuotes || (!record.terminated && !text.eofMarker)) {
      yield {
        row: record.row,
        error: `${file} ends in the middle of line ${record.row} (${record.problem ?? 'no line break after it'}): the file is cut short`,
        truncated: true,
      };
      continue;
    }
    const cells = record.cells.map(cleanCell);
    if (first) {
      first = false;
      // A wrong file (an HTML error page, another list's CSV, a file with a header) fails as a whole
      // rather than as thousands of row errors.
      if (cells.length !== columns.length || !/^\d+$/.test(cells[0] ?? '')) {
        throw new SourceFormatError(
          `${file} is not an OFAC ${file} file: its first row has ${cells.length} column(s) starting ` +
            `${JSON.stringify((record.cells[0] ?? '').slice(0, 40))}; expected ${columns.length} columns ` +
            `(${columns.join(', ')}) and a numeric ${columns[0]}`,
        );
      }
    }
    if (cells.length !== columns.length) {
      yield {
        row: record.row,
        error: `${file} line ${record.row}: expected ${columns.length} columns (${columns.join(', ')}), found ${cells.length}`,
      };
      continue;
    }
    yield { row: record.row, cells };
  }
}

function cleanCell(cell: string): string | undefined {
  const value = cell.trim();
  return value.length === 0 || value === NULL_CELL ? undefined : value;
}

/**
 * Latin-1 text of the file without its trailing 0x1A byte. The last byte of each chunk is held back
 * while it is 0x1A, since only the end of the file tells whether it was the marker.
 */
async function* latin1Text(input: Readable, seen: { eofMarker: boolean }, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = iconv.getDecoder('latin1');
  let held: Buffer | undefined;
  for await (const raw of input as AsyncIterable<Buffer | Uint8Array | string>) {
    signal.throwIfAborted();
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (chunk.length === 0) continue;
    if (held) {
      yield decoder.write(held);
      held = undefined;
    }
    if (chunk[chunk.length - 1] === EOF_MARKER) {
      held = chunk.subarray(chunk.length - 1);
      chunk = chunk.subarray(0, chunk.length - 1);
    }
    if (chunk.length > 0) yield decoder.write(chunk);
  }
  if (held) seen.eofMarker = true;
  const rest = decoder.end();
  if (rest) yield rest;
}
