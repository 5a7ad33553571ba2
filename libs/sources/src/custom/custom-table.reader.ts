import type { Readable } from 'node:stream';
import { SourceFormatError } from '../source-adapter';
import { normalizeHeaderName, openCsvTable, type CsvDelimiter, type CsvTable } from '../tabular/csv-rows';
import { CsvTokenizer } from '../tabular/csv-tokenizer';
import { decodeText } from '../tabular/decode';
import { isBlankRow, rowValues, uniqueSheetHeader } from '../tabular/table-cells';
import { readXlsxRows, xlsxHeaderKey, type XlsxRow } from '../tabular/xlsx-rows';
import type { CustomSourceRow } from './custom-source.mapper';
import type { CustomFieldReference, CustomSourceSettings } from './custom-source.settings';
import { releaseIterator } from '../common/release-iterator';

/** One data row keyed by header name, or why it could not be read (a cut-short last row says `truncated`). */
export type CustomTableItem =
  { row: number; values: Record<string, string> } | { row: number; error: string; truncated?: boolean };

export interface CustomTable {
  header: string[];
  /** Mapped field → the header name it was found under. */
  columns: ReadonlyMap<string, string>;
  /** Data rows; `row` is the 1-based line (CSV/TSV) or worksheet row (XLSX). */
  rows: AsyncIterable<CustomTableItem>;
  close(): void;
}

/** Title lines ("江苏省经营异常名录（2024年第三季度）") and notes may sit above the header; it is looked for this far down. */
const HEADER_SEARCH_ROWS = 20;
/** The header must be found within this many characters of text. */
const MAX_HEADER_SEARCH_CHARS = 1024 * 1024;
/**
 * Row-position columns. Portals number rows newest first, so one new listing renumbers every row;
 * kept as attributes they would change every record's content hash and report the whole list as modified.
 */
const ROW_NUMBER_COLUMNS = new Set(['序号', '行号']);

/**
 * Find each mapped field in a header: exactly (after the usual header clean-up), else ignoring case,
 * spaces and underscores as the XLSX reader does ("Entity Name" for "entity_name").
 */
export function resolveCustomColumns(
  header: readonly string[],
  refs: readonly CustomFieldReference[],
): { columns: Map<string, string>; missing: CustomFieldReference[] } {
  const exact = new Map<string, string>();
  const loose = new Map<string, string>();
  for (const name of header) {
    const clean = normalizeHeaderName(name);
    if (!exact.has(clean)) exact.set(clean, name);
    const key = xlsxHeaderKey(name);
    if (!loose.has(key)) loose.set(key, name);
  }
  const columns = new Map<string, string>();
  const missing: CustomFieldReference[] = [];
  for (const ref of refs) {
    const column = exact.get(normalizeHeaderName(ref.field)) ?? loose.get(xlsxHeaderKey(ref.field));
    if (column === undefined) missing.push(ref);
    else columns.set(ref.field, column);
  }
  return { columns, missing };
}

function missingColumnsError(
  missing: readonly CustomFieldReference[],
  header: readonly string[],
  where: string,
): SourceFormatError {
  const named = missing.map((ref) => `"${ref.field}" (${ref.setting})`).join(', ');
  const found = header.filter((name) => name.length > 0 && !/^column \d+$/.test(name));
  return new SourceFormatError(
    `The export lacks the mapped column${missing.length > 1 ? 's' : ''} ${named}; the header (${where}) has: ` +
      `${found.join(', ') || '(no column names)'}`,
  );
}

/** A table row read through the settings' field names. */
export class CustomTableRow implements CustomSourceRow {
  constructor(
    private readonly row: Readonly<Record<string, string>>,
    private readonly columns: ReadonlyMap<string, string>,
  ) {}

  values(field: string): string[] {
    const column = this.columns.get(field);
    const value = column === undefined ? undefined : this.row[column]?.trim();
    return value ? [value] : [];
  }

  has(field: string): boolean {
    return this.columns.has(field);
  }

  attributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (const column in this.row) {
      const value = this.row[column];
      if (!value) continue;
      if (ROW_NUMBER_COLUMNS.has(column) && !this.isMapped(column)) continue;
      attributes[column] = value;
    }
    return attributes;
  }

  private isMapped(column: string): boolean {
    for (const mapped of this.columns.values()) if (mapped === column) return true;
    return false;
  }
}

/**
 * Open a CSV/TSV export: decode it, find the header (the configured line, else the first of the top
 * lines that holds every mapped column), check every mapped column is there, and stream the rows
 * below it with their line numbers in the file.
 */
export async function openCustomCsv(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  refs: readonly CustomFieldReference[],
  signal: AbortSignal,
): Promise<CustomTable> {
  const delimiter: CsvDelimiter = settings.format === 'tsv' ? '\t' : ',';
  const decoded = decodeText(input, settings.encoding, { signal });
  const source = (decoded.stream as AsyncIterable<string>)[Symbol.asyncIterator]();
  const release = (): void => {
    releaseIterator(source);
    decoded.stream.destroy();
  };

  const lines = new LineSplitter();
  const search = new HeaderSearch(delimiter, refs);
  let skip: number | undefined;
  let ended = false;
  try {
    // Read only as far as the header: a header found in the first chunk starts the rows at once.
    for (;;) {
      const final = ended || lines.text.length > MAX_HEADER_SEARCH_CHARS;
      const complete = lines.split(ended);
      if (settings.headerRow !== undefined) {
        if (complete.length >= settings.headerRow - 1) {
          skip = settings.headerRow - 1;
          break;
        }
        if (final) {
          throw new SourceFormatError(
            `settings.headerRow is ${settings.headerRow} but the export has only ${complete.length} lines` +
              (ended ? '' : ` in its first ${MAX_HEADER_SEARCH_CHARS} characters`),
          );
        }
      } else {
        skip = search.find(complete, final);
        if (skip !== undefined) break;
      }
      const next = await source.next();
      if (next.done) ended = true;
      else lines.text += next.value;
    }
  } catch (error) {
    release();
    throw error;
  }
  let prefix = lines.text;
  const start = skip === 0 ? 0 : lines.split(true)[skip - 1]!.end;
  const skipped = skip;

  async function* text(): AsyncGenerator<string> {
    try {
      if (start < prefix.length) yield prefix.slice(start);
      prefix = '';
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      release();
    }
  }

  let table: CsvTable;
  try {
    table = await openCsvTable(text(), { delimiter, signal });
  } catch (error) {
    release();
    throw error;
  }
  const headerLine = skip + 1;
  const { columns, missing } = resolveCustomColumns(table.header, refs);
  if (missing.length > 0) {
    table.close();
    throw missingColumnsError(missing, table.header, `line ${headerLine}`);
  }

  async function* rows(): AsyncGenerator<CustomTableItem> {
    for await (const item of table.rows) {
      // Line numbers count from where the table reader started: add the lines skipped above the header.
      yield { ...item, row: item.row + skipped };
    }
  }
  return { header: table.header, columns, rows: rows(), close: () => table.close() };
}

interface TextLine {
  text: string;
  /** Offset just after the line break. */
  end: number;
}

/** Splits the text read so far into lines, each line once however often it is asked. */
class LineSplitter {
  text = '';
  private readonly lines: TextLine[] = [];
  private start = 0;

  /** The complete lines (a lone CR at the end may be half of a CR LF still to come, unless the text ended). */
  split(ended: boolean): readonly TextLine[] {
    const pattern = /\r\n|\n|\r/g;
    pattern.lastIndex = this.start;
    for (let match = pattern.exec(this.text); match; match = pattern.exec(this.text)) {
      if (match[0] === '\r' && match.index === this.text.length - 1 && !ended) break;
      this.lines.push({ text: this.text.slice(this.start, match.index), end: match.index + match[0].length });
      this.start = match.index + match[0].length;
    }
    if (ended && this.start < this.text.length) {
      this.lines.push({ text: this.text.slice(this.start), end: this.text.length });
      this.start = this.text.length;
    }
    return this.lines;
  }
}

/** Looks for the header among the top non-blank lines: the first that holds every mapped column. */
class HeaderSearch {
  private checked = 0;
  private scanned = 0;
  private closest: { index: number; header: string[]; missing: CustomFieldReference[] } | undefined;

  constructor(
    private readonly delimiter: CsvDelimiter,
    private readonly refs: readonly CustomFieldReference[],
  ) {}

  /**
   * How many lines come before the header, or undefined while more lines are needed to tell.
   * `final`: no more lines will come; without a match the closest line is reported.
   */
  find(lines: readonly TextLine[], final: boolean): number | undefined {
    for (; this.checked < lines.length && this.scanned < HEADER_SEARCH_ROWS; this.checked++) {
      const index = this.checked;
      const line = lines[index]!.text;
      if (line.trim().length === 0) continue;
      this.scanned++;
      // Header lines hold no quoted line breaks in practice, so each line is tokenised on its own.
      const cells = new CsvTokenizer(this.delimiter).push(`${line}\n`)[0]?.cells ?? [];
      const header = cells.map(normalizeHeaderName);
      const { missing } = resolveCustomColumns(header, this.refs);
      if (missing.length === 0) return index;
      if (!this.closest || missing.length < this.closest.missing.length) this.closest = { index, header, missing };
    }
    if (!final && this.scanned < HEADER_SEARCH_ROWS) return undefined;
    // An empty export: the table reader reports it.
    if (!this.closest) return 0;
    throw missingColumnsError(
      this.closest.missing,
      this.closest.header,
      `line ${this.closest.index + 1}, the closest of the first ${this.scanned} lines`,
    );
  }
}

/**
 * Open a worksheet: find the header (the configured row, else the first of the top non-blank rows
 * that holds every mapped column), check every mapped column is there, and stream the rows below it.
 */
export async function openCustomXlsx(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  refs: readonly CustomFieldReference[],
  signal: AbortSignal,
): Promise<CustomTable> {
  const rows = readXlsxRows(input, { ...(settings.sheet !== undefined ? { sheet: settings.sheet } : {}), signal });
  const close = (): void => {
    releaseIterator(rows);
  };

  let header: string[] | undefined;
  let closest: { row: number; header: string[]; missing: CustomFieldReference[] } | undefined;
  let scanned = 0;
  try {
    for (;;) {
      const next = await rows.next();
      if (next.done) break;
      const current: XlsxRow = next.value;
      if (settings.headerRow !== undefined) {
        if (current.row < settings.headerRow) continue;
        if (current.row > settings.headerRow || isBlankRow(current.cells)) {
          throw new SourceFormatError(
            `settings.headerRow is ${settings.headerRow} but that row of the worksheet is empty`,
          );
        }
        header = uniqueSheetHeader(current.cells);
        const { missing } = resolveCustomColumns(header, refs);
        if (missing.length > 0) throw missingColumnsError(missing, header, `row ${current.row}`);
        break;
      }
      if (isBlankRow(current.cells)) continue;
      scanned++;
      const names = uniqueSheetHeader(current.cells);
      const { missing } = resolveCustomColumns(names, refs);
      if (missing.length === 0) {
        header = names;
        break;
      }
      if (!closest || missing.length < closest.missing.length) closest = { row: current.row, header: names, missing };
      if (scanned >= HEADER_SEARCH_ROWS) break;
    }
    if (!header) {
      if (settings.headerRow !== undefined) {
        throw new SourceFormatError(
          `settings.headerRow is ${settings.headerRow} but the worksheet ends before that row`,
        );
      }
      if (!closest) throw new SourceFormatError('The worksheet is empty: no header row');
      throw missingColumnsError(
        closest.missing,
        closest.header,
        `row ${closest.row}, the closest of the first ${scanned} non-blank rows`,
      );
    }
  } catch (error) {
    close();
    throw error;
  }

  const names = header;
  const { columns } = resolveCustomColumns(names, refs);
  async function* records(): AsyncGenerator<CustomTableItem> {
    try {
      for await (const row of rows) {
        if (!isBlankRow(row.cells)) yield { row: row.row, values: rowValues(names, row.cells) };
      }
    } finally {
      close();
    }
  }
  return { header: names, columns, rows: records(), close };
}
