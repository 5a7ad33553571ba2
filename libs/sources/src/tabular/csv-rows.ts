import { Readable } from 'node:stream';
import { parse, type Parser } from 'csv-parse';
import { SourceFormatError } from '../source-adapter';

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
export type CsvRowItem = { row: number; values: Record<string, string> } | { row: number; error: string };

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
/** Parse errors after which csv-parse cannot resynchronise: everything past them would be lost. */
const FATAL_CSV_ERRORS = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

interface SkippedRecord {
  code: string;
  message: string;
  /** csv-parse's line counter when the error was found. */
  lines: number;
}

type ParserOutput = string[] | { skipped: SkippedRecord };

/** Header names as people mean them: full-width forms folded, invisible marks and padding dropped. */
export function normalizeHeaderName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\uFEFF\u200B-\u200D]/g, '')
    .trim();
}

/**
 * Read a delimited text export as rows keyed by its header. Streams: only the current row is held.
 * The header is read before this resolves, so an adapter can reject an export with the wrong
 * columns before looking at any data.
 */
export async function openCsvTable(
  text: AsyncIterable<string | Buffer> | Readable,
  options: CsvRowsOptions = {},
): Promise<CsvTable> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const source = (text as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();

  // Read up to the first non-blank line so the delimiter can be chosen before csv-parse starts.
  let prefix = '';
  let headerLine: string | undefined;
  const maxHeaderSearch = options.maxHeaderSearch ?? DEFAULT_MAX_HEADER_SEARCH;
  let ended = false;
  while (headerLine === undefined) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      headerLine = prefix.split(/\r\n|\n|\r/).find((line) => line.trim().length > 0);
      break;
    }
    prefix += typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    headerLine = firstCompleteNonBlankLine(prefix);
    if (headerLine === undefined && prefix.length > maxHeaderSearch) {
      await source.return?.();
      throw new SourceFormatError(`No header line in the first ${maxHeaderSearch} characters: not a CSV/TSV export`);
    }
  }
  if (headerLine === undefined) {
    throw new SourceFormatError('The export is empty: no header line');
  }
  const delimiter: CsvDelimiter =
    options.delimiter && options.delimiter !== 'auto' ? options.delimiter : detectDelimiter(headerLine);

  let parser: Parser | undefined = undefined;
  parser = parse({
    delimiter,
    // Registries publish ragged rows and stray quotes inside names; take them as written.
    relax_column_count: true,
    relax_quotes: true,
    // Trimming is done here rather than by csv-parse, whose trim option silently stops the parse
    // after some quote errors.
    trim: false,
    // Blank lines come through so that lines can be counted here: csv-parse's own counter (its
    // `info` option) costs a third of its parse time and counts a CR LF inside quotes as two lines.
    skip_empty_lines: false,
    skip_records_with_empty_values: false,
    skip_records_with_error: true,
    max_record_size: options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
    on_skip: (error) => {
      // Pushed into the output so the error keeps its place among the rows.
      if (error) {
        const lines = typeof error.lines === 'number' ? error.lines : 0;
        const skipped: SkippedRecord = { code: error.code, message: error.message, lines };
        parser?.push({ skipped } satisfies ParserOutput);
      }
      return undefined;
    },
  });
  const parserRef = parser;

  async function* feed(): AsyncGenerator<string | Buffer> {
    try {
      if (prefix.length > 0) yield prefix;
      prefix = '';
      if (ended) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await source.return?.();
    }
  }
  const input = Readable.from(feed(), { objectMode: false });
  input.on('error', (error) => parserRef.destroy(error));
  input.pipe(parserRef);

  const onAbort = (): void => {
    input.destroy();
    parserRef.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const outputs = parserRef[Symbol.asyncIterator]() as AsyncIterator<ParserOutput>;
  const cleanup = (): void => {
    signal?.removeEventListener('abort', onAbort);
    input.destroy();
    parserRef.destroy();
  };

  const lines = new LineCounter();
  let header: string[] | undefined;
  try {
    while (!header) {
      const next = await outputs.next();
      if (next.done) throw new SourceFormatError('The export is empty: no header line');
      if ('skipped' in next.value) {
        throw new SourceFormatError(`The header line cannot be parsed: ${next.value.skipped.message}`);
      }
      lines.advance(next.value);
      if (!isBlank(next.value)) header = uniqueHeader(next.value);
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  const names = header;

  async function* rows(): AsyncGenerator<CsvRowItem> {
    try {
      for (;;) {
        const next = await outputs.next();
        signal?.throwIfAborted();
        if (next.done) return;
        const item = next.value;
        if ('skipped' in item) {
          if (FATAL_CSV_ERRORS.has(item.skipped.code)) {
            throw new SourceFormatError(
              `The export cannot be parsed from line ${lines.current}: ${item.skipped.message} (a quoted field never closes; the file may be truncated)`,
            );
          }
          const row = lines.skip(item.skipped.lines);
          if (row !== undefined) yield { row, error: item.skipped.message };
          continue;
        }
        const row = lines.advance(item);
        const values = toValues(names, item);
        if (values) yield { row, values };
      }
    } finally {
      cleanup();
    }
  }

  return { header: names, delimiter, rows: rows(), close: cleanup };
}

/** 1-based line numbers of records, counting CR LF, LF and a lone CR as one line break each. */
class LineCounter {
  private next = 1;
  /** csv-parse counts each CR LF inside a quoted field as two lines; kept to read its error positions. */
  private crlfInFields = 0;
  private lastErrorLine = 0;

  /** The line the next record starts on. */
  get current(): number {
    return this.next;
  }

  /** Account for one parsed record; returns the line it starts on. */
  advance(cells: string[]): number {
    const start = this.next;
    let breaks = 0;
    for (const cell of cells) {
      if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
      for (let i = 0; i < cell.length; i++) {
        const ch = cell.charCodeAt(i);
        if (ch === 10) breaks++;
        else if (ch === 13) {
          breaks++;
          if (cell.charCodeAt(i + 1) === 10) {
            this.crlfInFields++;
            i++;
          }
        }
      }
    }
    this.next = start + 1 + breaks;
    return start;
  }

  /**
   * Account for a record csv-parse skipped with an error at its line `parserLine`; returns the line
   * to report, or undefined when that line was already reported (csv-parse may report a line twice).
   */
  skip(parserLine: number): number | undefined {
    const start = this.next;
    const errorLine = Math.max(start, parserLine - this.crlfInFields);
    this.next = errorLine + 1;
    if (start <= this.lastErrorLine) return undefined;
    this.lastErrorLine = errorLine;
    return start;
  }
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim().length > 0) return false;
  return true;
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

function uniqueHeader(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    const name = normalizeHeaderName(cell) || `column ${index + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
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
