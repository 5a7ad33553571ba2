import type { Readable } from 'node:stream';
import type { ParseContext, ParseItem } from '../source-adapter';
import { openCsvTable, type CsvTable } from './csv-rows';
import { decodeText } from './decode';
import type { TabularSettings } from './tabular-settings';
import { rowError } from '../common/list-fields';

/**
 * Decode a delimited-text export (UTF-8 or GB18030, BOM dropped) and read its header; the decoder
 * is stopped when the header cannot be read.
 */
export async function openDecodedCsvTable(
  input: NodeJS.ReadableStream | Readable,
  settings: Pick<TabularSettings, 'encoding' | 'delimiter'>,
  signal: AbortSignal,
): Promise<CsvTable> {
  const decoded = decodeText(input, settings.encoding, { signal });
  let table: CsvTable;
  try {
    table = await openCsvTable(decoded.stream, { delimiter: settings.delimiter ?? 'auto', signal });
  } catch (error) {
    decoded.stream.destroy();
    throw error;
  }
  return table;
}

export interface CsvListReader<C> {
  /** Map the header to the adapter's columns; throws a SourceFormatError when they are not there. */
  columns(header: readonly string[]): C;
  /** One data row (cells trimmed) to a record or a row error. */
  toItem(row: number, values: Readonly<Record<string, string>>, columns: C): ParseItem;
}

/**
 * The streaming loop every delimited-text list adapter shares: decode (UTF-8 or GB18030, BOM
 * dropped), read the header, check the columns before any row, then one item per data row. Rows
 * the CSV reader cannot use become row errors, a last row cut short marked `truncated`.
 */
export async function* readCsvList<C>(
  input: NodeJS.ReadableStream | Readable,
  context: Pick<ParseContext<TabularSettings>, 'settings' | 'signal'>,
  reader: CsvListReader<C>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const table = await openDecodedCsvTable(input, settings, signal);
  let columns: C;
  try {
    columns = reader.columns(table.header);
  } catch (error) {
    table.close();
    throw error;
  }
  for await (const item of table.rows) {
    signal.throwIfAborted();
    if ('error' in item) {
      yield rowError(item.row, item.error, 'truncated' in item && item.truncated === true);
      continue;
    }
    yield reader.toItem(item.row, item.values, columns);
  }
}
