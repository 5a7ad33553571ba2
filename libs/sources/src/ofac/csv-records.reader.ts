/**
 * A streaming reader of raw CSV records with no notion of a header. The shared tabular reader
 * (tabular/csv-rows.ts) always takes the first line as the header and rejects a whole export whose
 * last quoted field never closes; OFAC's files have no header, and a list cut short must come out
 * as its cut last row (RowError.truncated) so that the snapshot is quarantined rather than failed.
 */
import { SourceFormatError } from '../source-adapter';

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  row: number;
  /** Cells as written (unquoted, not trimmed). */
  cells: string[];
  /** False for a last record that no line break ends. */
  terminated: boolean;
  /** Set when the record cannot be trusted: a closing quote followed by text, or a quote still open at the end. */
  problem?: string;
  /** The file ends inside this record's quoted field: the export is cut short. */
  cutInQuotes?: boolean;
}

export interface CsvRecordsOptions {
  delimiter?: ',' | '\t';
  signal?: AbortSignal;
  /** A record longer than this means a quote that never closes; the export is rejected. Default 1 MiB. */
  maxRecordSize?: number;
}

const DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'afterCr';

/**
 * Read CSV records from decoded text chunks: RFC 4180 quoting ("" inside quotes), CR LF, LF or a
 * lone CR as line breaks. Blank lines are counted but not returned. Only the current record is held.
 */
export async function* readCsvRecords(
  text: AsyncIterable<string>,
  options: CsvRecordsOptions = {},
): AsyncGenerator<CsvRecord> {
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
  const signal = options.signal;

  let state = 'fieldStart' as State;
  let cells: string[] = [];
  let field = '';
  let fieldQuoted = false;
  /** Characters of the current record's finished cells, to catch a quote that never closes. */
  let cellsSize = 0;
  let problem: string | undefined;
  let recordLine = 1;

  const endField = (): void => {
    cells.push(field);
    cellsSize += field.length;
    field = '';
    fieldQuoted = false;
  };
  /** Line breaks inside quoted cells move the next record's line on. */
  const takeRecord = (terminated: boolean): CsvRecord | undefined => {
    const record: CsvRecord = { row: recordLine, cells, terminated };
    if (problem) record.problem = problem;
    recordLine += 1 + countLineBreaks(cells);
    cells = [];
    cellsSize = 0;
    problem = undefined;
    return isBlank(record.cells) && !record.problem ? undefined : record;
  };

  for await (const s of text) {
    signal?.throwIfAborted();
    const ready: CsvRecord[] = [];
    let runStart = 0;
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      switch (state) {
        case 'afterCr':
          state = 'fieldStart';
          runStart = i;
          if (c === LF) {
            i++;
            runStart = i;
          }
          continue;
        case 'quoted': {
          const quote = s.indexOf('"', i);
          if (quote < 0) {
            field += s.slice(runStart);
            i = s.length;
            runStart = i;
            continue;
          }
          field += s.slice(runStart, quote);
          state = 'quoteInQuoted';
          i = quote + 1;
          runStart = i;
          continue;
        }
        case 'quoteInQuoted':
          if (c === QUOTE) {
            // "" inside quotes is one quote character.
            field += '"';
            state = 'quoted';
            i++;
            runStart = i;
            continue;
          }
          if (c !== delimiter && c !== CR && c !== LF) {
            // Text after a closing quote: keep it, as registries write such cells, but flag the row.
            problem ??= `unexpected text after a closing quote in column ${cells.length + 1}`;
            state = 'unquoted';
            runStart = i;
            continue;
          }
          state = 'unquoted';
          runStart = i;
          break;
        case 'fieldStart':
        case 'unquoted':
          break;
      }

      // fieldStart / unquoted: scan to the next character that matters.
      if (c === delimiter) {
        field += s.slice(runStart, i);
        endField();
        state = 'fieldStart';
        i++;
        runStart = i;
      } else if (c === CR || c === LF) {
        field += s.slice(runStart, i);
        endField();
        const record = takeRecord(true);
        if (record) ready.push(record);
        state = c === CR ? 'afterCr' : 'fieldStart';
        i++;
        runStart = i;
      } else if (c === QUOTE && !fieldQuoted && (field + s.slice(runStart, i)).trim().length === 0) {
        // An opening quote, possibly after padding spaces.
        field = '';
        fieldQuoted = true;
        state = 'quoted';
        i++;
        runStart = i;
      } else {
        state = 'unquoted';
        i++;
      }
    }
    if (state !== 'afterCr') field += s.slice(runStart);
    if (cellsSize + field.length > maxRecordSize) {
      throw new SourceFormatError(
        `The record starting on line ${recordLine} is longer than ${maxRecordSize} characters: a quoted field never closes`,
      );
    }
    for (const record of ready) yield record;
  }

  if (state === 'quoted') {
    endField();
    const record = takeRecord(false);
    if (record) {
      record.problem = `the export ends inside a quoted field of column ${record.cells.length}`;
      record.cutInQuotes = true;
      yield record;
    }
  } else if (state !== 'afterCr' && (cells.length > 0 || field.length > 0 || state === 'quoteInQuoted')) {
    endField();
    const record = takeRecord(false);
    if (record) yield record;
  }
}

function countLineBreaks(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    for (let i = 0; i < cell.length; i++) {
      const ch = cell.charCodeAt(i);
      if (ch === LF) breaks++;
      else if (ch === CR) {
        breaks++;
        if (cell.charCodeAt(i + 1) === LF) i++;
      }
    }
  }
  return breaks;
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim().length > 0) return false;
  return true;
}
