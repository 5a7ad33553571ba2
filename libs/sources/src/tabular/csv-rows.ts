import type { Readable } from 'node:stream';
import { SourceFormatError } from '../source-adapter';
import { CsvRecordTooLargeError, CsvTokenizer, type CsvRecord } from './csv-tokenizer';
import { isBlankRow, uniqueHeader } from './table-cells';
import { releaseIterator } from '../common/release-iterator';

export { normalizeHeaderName } from './table-cells';

export type CsvDelimiter = ',' | '\t';

export interface CsvRowsOptions {
  /** ',' or '\t'; 'auto' (the default) picks whichever occurs more often in the header line. */
  delimiter?: CsvDelimiter | 'auto';
  signal?: AbortSignal;
  /** A record longer than this means a quote that never closes; the export is rejected. Default 1 MiB. */
  maxRecordSize?: number;
  /** The header must appear within this many characters. Default 1 MiB. */
  maxHeaderSearch?: number;
}

/** One data row keyed by header name (cells beyond the header are keyed 'column N'), or why it failed. */
export type CsvRowItem =
  { row: number; values: Record<string, string> } | { row: number; error: string; truncated?: boolean };

export interface CsvTable {
  /** Header names, trimmed, NFKC-normalised and made unique. */
  header: string[];
  delimiter: CsvDelimiter;
  /** Data rows in file order; `row` is the 1-based line in the file where the row starts. */
  rows: AsyncIterable<CsvRowItem>;
  /** Release the input when the rows will not be read to the end (e.g. the header was rejected). */
  close(): void;
}

const DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;
const DEFAULT_MAX_HEADER_SEARCH = 1024 * 1024;

/**
 * Read a delimited text export as rows keyed by its header. Streams: only the current chunk and
 * row are held. The header is read before this resolves, so an adapter can reject an export with
 * the wrong columns before looking at any data.
 *
 * A last row cut short (a quote still open at the end of the input, or fewer cells than the
 * header and no final line break) is reported as an error with `truncated: true`: the download
 * or the export is incomplete, which must hold the snapshot back rather than pass for a shorter
 * list.
 */
export async function openCsvTable(
  text: AsyncIterable<string | Buffer> | Readable,
  options: CsvRowsOptions = {},
): Promise<CsvTable> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const source = (text as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
  const maxHeaderSearch = options.maxHeaderSearch ?? DEFAULT_MAX_HEADER_SEARCH;
  const decoder = new TextDecoder('utf-8');
  const asText = (chunk: string | Buffer) =>
    typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });

  // Read up to the first non-blank line so the delimiter can be chosen before tokenizing.
  let prefix = '';
  let headerLine: string | undefined;
  let ended = false;
  while (headerLine === undefined) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      headerLine = prefix.split(/\r\n|\n|\r/).find((line) => line.trim().length > 0);
      break;
    }
    prefix += asText(next.value);
    headerLine = firstCompleteNonBlankLine(prefix);
    if (headerLine === undefined && prefix.length > maxHeaderSearch) {
      await source.return?.();
      throw new SourceFormatError(`No header line in the first ${maxHeaderSearch} characters: not a CSV/TSV export`);
    }
  }
  if (headerLine === undefined) throw new SourceFormatError('The export is empty: no header line');
  const delimiter: CsvDelimiter =
    options.delimiter && options.delimiter !== 'auto' ? options.delimiter : detectDelimiter(headerLine);

  const tokenizer = new CsvTokenizer(delimiter, options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    releaseIterator(source);
  };

  async function* records(): AsyncGenerator<CsvRecord> {
    try {
      let pending = prefix;
      prefix = '';
      for (;;) {
        if (pending) {
          for (const record of tokenizer.push(pending)) yield record;
          pending = '';
        }
        if (ended || closed) break;
        signal?.throwIfAborted();
        const next = await source.next();
        if (next.done) break;
        pending = asText(next.value);
      }
      const tail = decoder.decode();
      if (tail) for (const record of tokenizer.push(tail)) yield record;
      for (const record of tokenizer.end()) yield record;
    } catch (error) {
      if (error instanceof CsvRecordTooLargeError) {
        throw new SourceFormatError(`The export cannot be parsed: ${error.message} (the file may be truncated)`);
      }
      throw error;
    }
  }

  const iterator = records();
  let header: string[] | undefined;
  try {
    while (!header) {
      const next = await iterator.next();
      if (next.done) throw new SourceFormatError('The export is empty: no header line');
      if (!isBlankRow(next.value.cells)) header = uniqueHeader(next.value.cells);
    }
  } catch (error) {
    close();
    throw error;
  }
  const names = header;

  async function* rows(): AsyncGenerator<CsvRowItem> {
    try {
      for (;;) {
        const next = await iterator.next();
        signal?.throwIfAborted();
        if (next.done) return;
        const record = next.value;
        const cutShort = record.unterminatedQuote || (record.noFinalNewline && record.cells.length < names.length);
        if (cutShort) {
          yield {
            row: record.line,
            error: record.unterminatedQuote
              ? 'the last row ends inside a quoted field: the export is truncated'
              : `the last row has ${record.cells.length} of ${names.length} columns and no line break: the export is truncated`,
            truncated: true,
          };
          continue;
        }
        const values = toValues(names, record.cells);
        if (values) yield { row: record.line, values };
      }
    } finally {
      close();
    }
  }

  return { header: names, delimiter, rows: rows(), close };
}

function firstCompleteNonBlankLine(text: string): string | undefined {
  const pattern = /\r\n|\n|\r/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    // A lone CR at the very end may be the first half of CR LF still to come; wait for more text.
    if (match[0] === '\r' && match.index === text.length - 1) return undefined;
    const line = text.slice(start, match.index);
    if (line.trim().length > 0) return line;
    start = match.index + match[0].length;
  }
  return undefined;
}

/** Whichever of tab and comma occurs more often in the header line; comma when neither does. */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  let tabs = 0;
  let commas = 0;
  for (const ch of headerLine) {
    if (ch === '\t') tabs++;
    else if (ch === ',') commas++;
  }
  return tabs > commas ? '\t' : ',';
}

/** The row keyed by header, cells trimmed; undefined for a row with nothing in it (",,,", spaces). */
function toValues(header: string[], cells: string[]): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  let blank = true;
  for (let i = 0; i < cells.length; i++) {
    const value = (cells[i] ?? '').trim();
    if (value.length > 0) blank = false;
    values[header[i] ?? `column ${i + 1}`] = value;
  }
  return blank ? undefined : values;
}
