import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { SourceFormatError } from '../source-adapter';
import { isBlankRow, normalizeHeaderName, rowValues, uniqueSheetHeader } from './table-cells';
import { releaseIterator } from '../common/release-iterator';

export interface XlsxRowsOptions {
  /** The worksheet to read, by its tab name; the workbook's first worksheet when left out. */
  sheet?: string;
  signal?: AbortSignal;
}

/** One worksheet row as the text Excel would show for each cell. */
export interface XlsxRow {
  /** 1-based row number in the worksheet, as Excel numbers it (title and header rows included). */
  row: number;
  /** Cell text by 0-based column; '' for an empty cell. Not trimmed. */
  cells: string[];
}

/** A column the header must have: one name, or the names it goes by in different exports. */
export type XlsxRequiredColumn = string | readonly string[];

export interface XlsxTableOptions extends XlsxRowsOptions {
  /** Columns the header row must contain, compared ignoring case, spaces and underscores. */
  required: readonly XlsxRequiredColumn[];
  /** How many non-blank rows at the top may come before and include the header. Default 20. */
  maxHeaderRows?: number;
}

/** One data row keyed by header name (cells beyond the header are keyed 'column N'). */
export interface XlsxRecord {
  row: number;
  values: Record<string, string>;
}

export interface XlsxTable {
  /** Header names, NFKC-normalised, trimmed and made unique; a two-row header is combined. */
  header: string[];
  /** The worksheet rows the header occupies: one, or two for a parent row over sub-headers. */
  headerRows: number[];
  /** Data rows after the header, blank rows left out. */
  rows: AsyncIterable<XlsxRecord>;
  /** Release the input when the rows will not be read to the end. */
  close(): void;
}

const DEFAULT_MAX_HEADER_ROWS = 20;
const DATA_LIKE = /^[\d\s.,:/+-]+$/;
const ZIP_LOCAL_FILE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY_ARCHIVE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE_COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

// exceljs' typings leave out the tab name the streaming reader sets from xl/workbook.xml.
type NamedWorksheetReader = ExcelJS.stream.xlsx.WorksheetReader & { name?: string };

/** The streaming reader's per-part methods (exceljs 4.4 internals), wrapped by utf8SafeReader. */
interface WorkbookReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/** The reader's methods that take one archive entry; each is given the entry as UTF-8 text. */
const ENTRY_PARTS = ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings'] as const;

// utf8SafeReader depends on these internals; an exceljs upgrade that drops one fails here, at load,
// rather than as garbled names or as every workbook reported damaged.
for (const method of [...ENTRY_PARTS, '_parseWorksheet'] as const) {
  const prototype = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Partial<WorkbookReaderParts>;
  if (typeof prototype[method] !== 'function') {
    throw new Error(`exceljs: WorkbookReader.${method} is missing; tabular/xlsx-rows.ts needs it to decode UTF-8`);
  }
}

/**
 * Read one worksheet of an XLSX workbook row by row with exceljs' streaming reader: only the shared
 * strings table (which every cell may point into) and the current row are held. Rows come in
 * worksheet order; rows Excel stores as empty are left out, so row numbers can skip.
 *
 * Input that is not a zip archive (a CSV or HTML page served under an .xlsx URL, a legacy .xls
 * file, nothing at all) is refused with a SourceFormatError before exceljs sees it; a workbook cut
 * short fails with a SourceFormatError once the reader reaches the cut.
 */
export async function* readXlsxRows(
  input: NodeJS.ReadableStream | Readable,
  options: XlsxRowsOptions = {},
): AsyncGenerator<XlsxRow> {
  const { signal } = options;
  signal?.throwIfAborted();
  // exceljs waits on the archive without a way to cancel it; every wait also listens to the
  // signal, so a download that stalls cannot hold an aborted parse.
  const source = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let zip: Readable | undefined;
  const seen: string[] = [];
  let found = false;
  try {
    const prefix = await readSignature(source, signal);
    checkZipSignature(prefix);
    zip = Readable.from(replay(prefix, source), { objectMode: false });
    const workbook = utf8SafeReader(
      new ExcelJS.stream.xlsx.WorkbookReader(zip, {
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        // Styles are read (styles.xml is a few kilobytes) because only a cell's number format tells
        // a date from a number: without them a date would come through as its serial number.
        styles: 'cache',
        worksheets: 'emit',
      }),
    );
    for await (const worksheet of abortable(workbook, signal)) {
      const name = (worksheet as NamedWorksheetReader).name ?? `sheet ${seen.length + 1}`;
      seen.push(name);
      if (options.sheet !== undefined && normalizeHeaderName(name) !== normalizeHeaderName(options.sheet)) continue;
      found = true;
      for await (const row of abortable(worksheet, signal)) {
        yield { row: row.number, cells: rowCells(row) };
      }
      // The rest of the workbook is not needed; leaving the loop stops reading the archive.
      break;
    }
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof SourceFormatError) throw error;
    throw new SourceFormatError(
      `The XLSX workbook cannot be read: ${describeError(error)} (the file is damaged or was cut short)`,
    );
  } finally {
    zip?.destroy();
    // The input is this parse's download: release it whether the rows were read to the end, left
    // early or aborted (an iterator's return() waits for a pending read of a stalled stream).
    if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
    else releaseIterator(source);
  }
  if (!found) {
    if (options.sheet === undefined) throw new SourceFormatError('The XLSX workbook has no worksheet');
    throw new SourceFormatError(
      `The XLSX workbook has no worksheet named "${options.sheet}"; its worksheets: ${seen.join(', ') || '(none)'}`,
    );
  }
}

/**
 * The iterator's next result, or the abort's reason as soon as the signal aborts, even while the
 * read is pending. One listener per call, removed when the read settles: racing every read against
 * one long-lived promise would pile up a reaction per row on it.
 */
function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T>> {
  if (!signal) return iterator.next();
  signal.throwIfAborted();
  return new Promise<IteratorResult<T>>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function* abortable<T>(iterable: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await nextOrAbort(iterator, signal);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // After an abort a read may still be pending and would hold return() back; the caller
    // destroys the input instead of waiting.
    if (!done) releaseIterator(iterator);
  }
}

/**
 * exceljs 4.4's streaming reader decodes every inflated chunk of a part on its own
 * (utils/parse-sax.js), so a multi-byte UTF-8 character split across two chunks turns into two
 * U+FFFD: Chinese names come out garbled at every 16 KiB boundary of sharedStrings.xml or of a
 * worksheet with inline strings (exceljs issues #2063, #2084, #2316; unfixed upstream). The reader's
 * parts are handed over as text decoded with one StringDecoder per part instead, which carries a
 * cut character over to the next chunk.
 */
function utf8SafeReader(reader: ExcelJS.stream.xlsx.WorkbookReader): ExcelJS.stream.xlsx.WorkbookReader {
  const parts = reader as unknown as WorkbookReaderParts;
  for (const method of ENTRY_PARTS) {
    const original = parts[method] as (entry: Readable) => unknown;
    (parts[method] as (entry: Readable) => unknown) = (entry: Readable) =>
      original.call(reader, entry.setEncoding('utf8'));
  }
  const parseWorksheet = parts._parseWorksheet;
  parts._parseWorksheet = (iterator, sheetNo) => parseWorksheet.call(reader, utf8Text(iterator), sheetNo);
  return reader;
}

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Open a worksheet as a table: find the header row (the first row, within `maxHeaderRows`, that
 * holds every required column; title lines such as "Downloaded on: ..." above it are skipped) and
 * key the rows below it by header name. A header over two rows, a parent cell spanning
 * sub-headers (World Bank: "Ineligibility Period" over "From Date" and "To Date"), is combined into
 * one name per column ("Ineligibility Period From Date").
 */
export async function openXlsxTable(
  input: NodeJS.ReadableStream | Readable,
  options: XlsxTableOptions,
): Promise<XlsxTable> {
  const rows = readXlsxRows(input, options);
  const maxHeaderRows = options.maxHeaderRows ?? DEFAULT_MAX_HEADER_ROWS;
  const close = (): void => {
    releaseIterator(rows);
  };

  let header: string[] | undefined;
  let headerRows: number[] = [];
  /** A data row read while deciding on the header; it is the first row of the table. */
  let firstDataRow: XlsxRow | undefined;
  let candidate: XlsxRow | undefined;
  let scanned = 0;
  let closest: { row: number; missing: string[] } | undefined;
  const consider = (cells: string[], rowNumbers: number[]): boolean => {
    const names = uniqueSheetHeader(cells);
    const missing = missingColumns(names, options.required);
    if (missing.length === 0) {
      header = names;
      headerRows = rowNumbers;
      return true;
    }
    if (!closest || missing.length < closest.missing.length) closest = { row: rowNumbers[0]!, missing };
    return false;
  };

  try {
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        if (candidate) consider(candidate.cells, [candidate.row]);
        break;
      }
      const current = next.value;
      if (isBlankRow(current.cells)) continue;
      if (candidate) {
        const top = candidate;
        candidate = undefined;
        if (
          isSubHeaderRow(top.cells, current.cells) &&
          consider(combineHeaderRows(top.cells, current.cells), [top.row, current.row])
        ) {
          break;
        }
        if (consider(top.cells, [top.row])) {
          firstDataRow = current;
          break;
        }
      }
      scanned++;
      if (scanned > maxHeaderRows) break;
      candidate = current;
    }
  } catch (error) {
    close();
    throw error;
  }
  if (!header) {
    close();
    const required = options.required.map((c) => (typeof c === 'string' ? c : c.join(' or '))).join(', ');
    const hint = closest ? `; the closest, row ${closest.row}, lacks ${closest.missing.join(', ')}` : '';
    throw new SourceFormatError(
      `No header row with the columns ${required} in the first ${maxHeaderRows} rows of the worksheet${hint}`,
    );
  }
  const names = header;
  const pending = firstDataRow;

  async function* records(): AsyncGenerator<XlsxRecord> {
    try {
      if (pending) yield { row: pending.row, values: rowValues(names, pending.cells) };
      for await (const row of rows) {
        if (!isBlankRow(row.cells)) yield { row: row.row, values: rowValues(names, row.cells) };
      }
    } finally {
      close();
    }
  }
  return { header: names, headerRows, rows: records(), close };
}

/** Header names compare equal when they differ only in case, spaces, underscores or width. */
export function xlsxHeaderKey(name: string): string {
  return normalizeHeaderName(name)
    .toLowerCase()
    .replace(/[\s_]+/g, '');
}

function missingColumns(names: readonly string[], required: readonly XlsxRequiredColumn[]): string[] {
  const present = new Set(names.map(xlsxHeaderKey));
  const missing: string[] = [];
  for (const column of required) {
    const alternatives = typeof column === 'string' ? [column] : column;
    if (!alternatives.some((name) => present.has(xlsxHeaderKey(name)))) missing.push(alternatives.join(' or '));
  }
  return missing;
}

/**
 * Whether `sub` is the second row of a two-row header under `top`: each of its cells sits under a
 * parent label that spans several columns (a merged cell keeps its text in the first column and
 * leaves the others empty). A data row fails the test because it fills columns whose header
 * stands alone, such as the first one, or because its cells are numbers and dates.
 */
function isSubHeaderRow(top: readonly string[], sub: readonly string[]): boolean {
  const labelled = (cells: readonly string[], i: number): boolean => (cells[i] ?? '').trim().length > 0;
  let any = false;
  for (let i = 0; i < sub.length; i++) {
    if (!labelled(sub, i)) continue;
    // Sub-headers are words; a number or a date is data.
    if (DATA_LIKE.test(sub[i] ?? '')) return false;
    any = true;
    const parent = parentColumn(top, i);
    if (parent === undefined) return false;
    // The parent must span: a column right of it, before the next label, also has a sub-header.
    let spans = false;
    for (let j = parent + 1; j < Math.max(sub.length, top.length) && !labelled(top, j); j++) {
      if (labelled(sub, j)) spans = true;
    }
    if (!spans) return false;
  }
  return any;
}

/** The nearest column at or left of `column` with a label in the top header row. */
function parentColumn(top: readonly string[], column: number): number | undefined {
  for (let i = Math.min(column, top.length - 1); i >= 0; i--) {
    if ((top[i] ?? '').trim().length > 0) return i;
  }
  return undefined;
}

function combineHeaderRows(top: readonly string[], sub: readonly string[]): string[] {
  const width = Math.max(top.length, sub.length);
  const names: string[] = [];
  for (let i = 0; i < width; i++) {
    const own = (sub[i] ?? '').trim();
    if (!own) {
      names.push(top[i] ?? '');
      continue;
    }
    const parent = parentColumn(top, i);
    const parentName = parent === undefined ? '' : (top[parent] ?? '').trim();
    names.push(parentName ? `${parentName} ${own}` : own);
  }
  return names;
}

function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    const text = cellText(cell.value);
    if (text.length === 0) return;
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = text;
  });
  return cells;
}

/** The text of a cell value: dates as ISO dates, numbers in full (never with an exponent). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result !== null && typeof result === 'object' && !(result instanceof Date)) return result.error;
    return cellText(result);
  }
  if ('error' in value) return value.error;
  if ('hyperlink' in value) {
    // A hyperlink's text may itself be rich text.
    const text: unknown = value.text;
    if (typeof text === 'string') return text;
    if (text !== null && typeof text === 'object' && 'richText' in text)
      return cellText(text as ExcelJS.CellRichTextValue);
    return value.hyperlink;
  }
  return '';
}

/**
 * A number as digits: identifiers typed into numeric cells (registration numbers, 15-digit 注册号)
 * must not become "1.10108e+14". Very large and very small values are expanded from JavaScript's
 * shortest round-trip form, so no digits are invented.
 */
export function numberText(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = `${lead}${fraction}`;
  const exponent = Number(exponentText);
  if (exponent >= 0) {
    const point = 1 + exponent;
    const whole = digits.length <= point ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point);
    const rest = digits.length > point ? `.${digits.slice(point)}` : '';
    return `${sign}${whole}${rest}`;
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/** Excel date-times have no time zone; exceljs hands them over as UTC. Midnight means a plain date. */
function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

async function readSignature(source: AsyncIterator<Buffer | string>, signal: AbortSignal | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < ZIP_LOCAL_FILE.length) {
    const next = await nextOrAbort(source, signal);
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'latin1') : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks, length);
}

function checkZipSignature(prefix: Buffer): void {
  const head = prefix.subarray(0, 4);
  if (head.equals(ZIP_LOCAL_FILE)) return;
  if (prefix.length === 0) throw new SourceFormatError('The export is empty: an XLSX workbook was expected');
  if (head.equals(ZIP_EMPTY_ARCHIVE)) throw new SourceFormatError('The XLSX workbook is an empty zip archive');
  if (head.equals(OLE_COMPOUND_FILE)) {
    throw new SourceFormatError(
      'The export is a legacy Excel 97-2003 (.xls) workbook, not XLSX; save or download it as .xlsx',
    );
  }
  const start = prefix.toString('latin1', 0, 16).replace(/[^\x20-\x7e]/g, '.');
  throw new SourceFormatError(
    `The export is not an XLSX workbook (no zip signature); it starts with "${start}"` +
      (/^\s*</.test(start) ? ', which looks like an HTML or XML page' : ''),
  );
}

async function* replay(prefix: Buffer, source: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  if (prefix.length > 0) yield prefix;
  for (;;) {
    const next = await source.next();
    if (next.done) return;
    yield typeof next.value === 'string' ? Buffer.from(next.value, 'latin1') : next.value;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    // unzipper reports a cut archive as FILE_ENDED; say what it means.
    return error.message === 'FILE_ENDED' ? 'the archive ends before its last entry' : error.message;
  }
  return String(error);
}
