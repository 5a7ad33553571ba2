import { Readable } from 'node:stream';
import { parseRegistryDate } from '../common/registry-date';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { openDecodedCsvTable } from '../tabular/csv-list.reader';
import { uniqueHeader } from '../tabular/table-cells';
import { readXlsxRows } from '../tabular/xlsx-rows';
import {
  fieldLabel,
  fieldMatcher,
  foldFieldName,
  type CnCreditListProfile,
  type RowReader,
} from './cn-credit-list.profile';
import { chinaToday, mapCnCreditRow, presentValue, type CnCreditRowResult } from './cn-credit-record.mapper';
import type { CnCreditTableFormat, CnCreditTableSettings } from './cn-credit-table.settings';
import { releaseIterator } from '../common/release-iterator';

/** One row of a table export as cells in column order, or why it could not be read. */
export type RawTableRow = { row: number; cells: string[] } | { row: number; error: string; truncated?: boolean };

export interface RawTableRows {
  rows: AsyncIterable<RawTableRow>;
  /** Release the input when the rows will not be read to the end. */
  close(): void;
}

/** What a parse counted besides its items: people left out are neither records nor errors. */
export interface CnCreditParseStats {
  naturalPersonsSkipped: number;
}

/** Where each field is in one export. */
export interface CnCreditTableLayout {
  header: string[];
  /** Field → column index. */
  columns: Map<string, number>;
  /** Columns left out of attributes: row numbers and people's ID numbers. */
  ignored: ReadonlySet<number>;
}

/**
 * Exports may open with a title row ("2024年第三季度严重违法失信名单") or notes before the header;
 * the header is looked for within this many rows.
 */
const HEADER_SEARCH_ROWS = 10;

/**
 * Row-position columns. Portals number rows newest first, so one new listing renumbers every row;
 * kept as attributes they would change every record's content hash and report the whole list as modified.
 */
const ROW_NUMBER_COLUMNS = new Set(['序号', '行号', '编号'].map(foldFieldName));

/** PK\x03\x04, the zip local file header an XLSX workbook starts with. */
const ZIP_LOCAL_FILE = 0x504b0304;
/** The OLE compound-file header of a legacy .xls workbook. */
const OLE_COMPOUND_FILE = 0xd0cf11e0;

/** Map an export's header to the profile's fields; `missing` names the required fields not found. */
export function resolveCnCreditColumns(
  profile: CnCreditListProfile,
  header: readonly string[],
): { layout: CnCreditTableLayout; missing: string[] } {
  const matcher = fieldMatcher(profile);
  const columns = new Map<string, number>();
  const ranks = new Map<string, number>();
  const ignored = new Set<number>();
  const privateFields = new Set(profile.privateFields ?? []);
  header.forEach((name, index) => {
    const folded = foldFieldName(name);
    if (ROW_NUMBER_COLUMNS.has(folded)) ignored.add(index);
    const field = matcher.fieldOf(folded);
    if (field === undefined) return;
    if (privateFields.has(field)) ignored.add(index);
    const rank = matcher.aliasRank(field, folded);
    // Several columns for one field: the one named by the earlier alias (the official header) wins.
    if (rank < (ranks.get(field) ?? Number.POSITIVE_INFINITY)) {
      ranks.set(field, rank);
      columns.set(field, index);
    }
  });
  const missing = profile.required
    .filter((group) => !group.some((field) => columns.has(field)))
    .map((group) => group.map((field) => fieldLabel(profile, field)).join(' or '));
  return { layout: { header: [...header], columns, ignored }, missing };
}

/**
 * Stream-parse one China credit list exported as CSV/TSV (UTF-8 or GB18030) or XLSX into records
 * and row errors. Natural persons are left out and counted in `stats`.
 */
export async function* parseCnCreditTable(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<CnCreditTableSettings>,
  profile: CnCreditListProfile,
  adapterId: string,
  stats?: CnCreditParseStats,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const { workbook, stream, abandon } = await sniffWorkbook(input);
  const format: CnCreditTableFormat =
    settings.format ?? (workbook ? 'xlsx' : settings.delimiter === '\t' ? 'tsv' : 'csv');
  if (format !== 'xlsx' && workbook) {
    abandon();
    throw new SourceFormatError(
      `${adapterId}: the export is an Excel workbook, not ${format.toUpperCase()}; set "format" to "xlsx" or leave it out`,
    );
  }
  // The XLSX reader explains bytes that are no workbook (an HTML page, a legacy .xls) itself.
  const source =
    format === 'xlsx' ? openXlsxRows(stream, settings.sheet, signal) : await openCsvRows(stream, settings, signal);
  try {
    const iterator = source.rows[Symbol.asyncIterator]();
    const layout = await findHeader(iterator, profile, adapterId);
    const today = chinaToday();
    const reader = new TableRowReader(profile, layout);
    for (;;) {
      const next = await iterator.next();
      signal.throwIfAborted();
      if (next.done) break;
      const raw = next.value;
      if ('error' in raw) {
        yield {
          error: raw.truncated
            ? { row: raw.row, message: raw.error, truncated: true }
            : { row: raw.row, message: raw.error },
        };
        continue;
      }
      if (raw.cells.every((cell) => cell.trim().length === 0)) continue;
      reader.cells = raw.cells;
      const result = mapCnCreditRow(profile, reader, raw.row, () => reader.attributes(), { today });
      const item = toParseItem(result, stats);
      if (item) yield item;
    }
  } finally {
    source.close();
  }
}

/** The result as a parse item; natural persons are counted, not yielded. */
export function toParseItem(result: CnCreditRowResult, stats: CnCreditParseStats | undefined): ParseItem | undefined {
  if ('skipped' in result) {
    if (stats) stats.naturalPersonsSkipped++;
    return undefined;
  }
  return result;
}

async function findHeader(
  rows: AsyncIterator<RawTableRow>,
  profile: CnCreditListProfile,
  adapterId: string,
): Promise<CnCreditTableLayout> {
  /** The candidate row that came closest, for the message: a title line above the header is not it. */
  let closest: { header: string[]; missing: string[] } | undefined;
  for (let seen = 0; seen < HEADER_SEARCH_ROWS;) {
    const next = await rows.next();
    if (next.done) break;
    const raw = next.value;
    if ('error' in raw) continue;
    if (raw.cells.every((cell) => cell.trim().length === 0)) continue;
    seen++;
    const header = uniqueHeader(raw.cells);
    const { layout, missing } = resolveCnCreditColumns(profile, header);
    if (missing.length === 0) return layout;
    if (!closest || missing.length < closest.missing.length) closest = { header, missing };
  }
  if (!closest) throw new SourceFormatError(`${adapterId}: the export is empty: no header row`);
  throw new SourceFormatError(
    `${adapterId}: the export lacks the required column(s) ${closest.missing.join(', ')}; ` +
      `found columns: ${closest.header.join(', ')}. Is this a ${profile.title} export, and is its encoding right?`,
  );
}

/** Reads the current row's cells by field; one instance serves every row of an export. */
class TableRowReader implements RowReader {
  cells: string[] = [];

  constructor(
    private readonly profile: CnCreditListProfile,
    private readonly layout: CnCreditTableLayout,
  ) {}

  get(field: string): string | undefined {
    const index = this.layout.columns.get(field);
    return index === undefined ? undefined : presentValue(this.cells[index]);
  }

  date(field: string): { raw?: string; iso?: string } {
    const raw = this.get(field);
    return raw === undefined ? {} : { raw, iso: parseRegistryDate(raw) };
  }

  label(field: string): string {
    const index = this.layout.columns.get(field);
    return (index === undefined ? undefined : this.layout.header[index]) ?? fieldLabel(this.profile, field);
  }

  has(field: string): boolean {
    return this.layout.columns.has(field);
  }

  /** The row's published cells keyed by header; cells past the header are 'column N'. */
  attributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    const { header, ignored } = this.layout;
    for (let i = 0; i < this.cells.length; i++) {
      const value = this.cells[i]?.trim();
      if (value && !ignored.has(i)) attributes[header[i] ?? `column ${i + 1}`] = value;
    }
    return attributes;
  }
}

/** Delimited text as rows of cells: the CSV reader's first line, then its data rows. */
async function openCsvRows(
  input: Readable,
  settings: CnCreditTableSettings,
  signal: AbortSignal,
): Promise<RawTableRows> {
  const table = await openDecodedCsvTable(input, settings, signal);
  const header = table.header;
  async function* rows(): AsyncGenerator<RawTableRow> {
    // The CSV reader takes the first line as the header; it may be a title, so it is offered as a row.
    yield { row: 1, cells: header };
    for await (const item of table.rows) {
      if ('error' in item) {
        yield item;
        continue;
      }
      // Back to cells in column order: the header search may pick a later row as the header.
      const cells: string[] = [];
      for (let i = 0; ; i++) {
        const value = item.values[header[i] ?? `column ${i + 1}`];
        if (value === undefined) break;
        cells.push(value);
      }
      yield { row: item.row, cells };
    }
  }
  return { rows: rows(), close: () => table.close() };
}

/** A worksheet of an XLSX workbook as rows of cells (tabular/xlsx-rows). */
function openXlsxRows(input: Readable, sheet: string | undefined, signal: AbortSignal): RawTableRows {
  const rows = readXlsxRows(input, { sheet, signal });
  return {
    rows,
    close: () => {
      releaseIterator(rows);
    },
  };
}

/**
 * Peek at the first bytes for a workbook: the zip signature of XLSX, or the compound-file signature
 * of a legacy .xls (which the XLSX reader names as such). The stream is replayed whole.
 */
async function sniffWorkbook(
  input: NodeJS.ReadableStream | Readable,
): Promise<{ workbook: boolean; stream: Readable; abandon(): void }> {
  const iterator = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < 4) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    head.push(chunk);
    length += chunk.length;
  }
  const prefix = Buffer.concat(head, length);
  const signature = prefix.length >= 4 ? prefix.readUInt32BE(0) : 0;
  const workbook = signature === ZIP_LOCAL_FILE || signature === OLE_COMPOUND_FILE;
  async function* replay(): AsyncGenerator<Buffer | string> {
    try {
      if (prefix.length > 0) yield prefix;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  const stream = Readable.from(replay(), { objectMode: false });
  const abandon = (): void => {
    stream.destroy();
    // The replay may never have started, so its finally would not release the input.
    releaseIterator(iterator);
  };
  return { workbook, stream, abandon };
}
