import type { Readable } from 'node:stream';
import { readCsvRecords, type CsvRecord } from '../ofac/csv-records.reader';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { normalizeHeaderName } from '../tabular/csv-rows';
import { decodeText } from '../tabular/decode';
import { CSL_REQUIRED_COLUMNS, toCslItem } from './csl-record.mapper';
import type { CslCsvSettings } from './csl.settings';

/**
 * Stream-parse the Consolidated Screening List CSV export.
 *
 * - A cut last row (the file ends inside a quoted cell, or with fewer cells than the header and no
 *   line break) is reported as a truncated row error, so the snapshot is held back for approval.
 * - A copy of the header line among the data rows (seen in real copies of the export, where two
 *   downloads were joined) is skipped without an error: it holds no listing, and counting it as
 *   unreadable would only blur the error rate that quarantine decisions read.
 */
export async function* parseCslCsv(input: Readable, context: ParseContext<CslCsvSettings>): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const decoded = decodeText(input, settings.encoding, { signal });
  let header: string[] | undefined;
  try {
    for await (const record of readCsvRecords(decoded.stream, { signal })) {
      signal.throwIfAborted();
      if (!header) {
        header = checkedHeader(record);
        continue;
      }
      if (record.cutInQuotes || (!record.terminated && record.cells.length < header.length)) {
        yield {
          error: {
            row: record.row,
            message: `line ${record.row} is cut short (${record.problem ?? `${record.cells.length} of ${header.length} cells and no line break`}): the export is truncated`,
            truncated: true,
          },
        };
        continue;
      }
      if (isHeaderCopy(record, header)) continue;
      if (record.cells.length !== header.length) {
        yield {
          error: {
            row: record.row,
            message: `line ${record.row} has ${record.cells.length} cells, the header ${header.length}`,
          },
        };
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((column, index) => {
        fields[column] = record.cells[index] ?? '';
      });
      yield toCslItem(record.row, fields);
    }
  } finally {
    decoded.stream.destroy();
  }
  if (!header) throw new SourceFormatError('The CSL export is empty: no header line');
}

function checkedHeader(record: CsvRecord): string[] {
  const header = record.cells.map(normalizeHeaderName);
  const missing = CSL_REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new SourceFormatError(
      `The export lacks the Consolidated Screening List column(s) ${missing.join(', ')}; found columns: ` +
        `${header.slice(0, 30).join(', ') || '(none)'}`,
    );
  }
  return header;
}

function isHeaderCopy(record: CsvRecord, header: readonly string[]): boolean {
  return (
    record.cells.length === header.length &&
    record.cells.every((cell, index) => normalizeHeaderName(cell) === header[index])
  );
}
