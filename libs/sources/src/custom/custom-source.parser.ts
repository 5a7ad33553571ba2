import type { Readable } from 'node:stream';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import {
  CustomJsonRow,
  isCustomJsonObject,
  readCustomJsonRecords,
  readCustomJsonLines,
  type CustomJsonObject,
  type CustomJsonValue,
} from './custom-json.reader';
import { mapCustomRow, type CustomSourceRow } from './custom-source.mapper';
import { customFieldReferences, type CustomFieldReference, type CustomSourceSettings } from './custom-source.settings';
import { CustomTableRow, openCustomCsv, openCustomXlsx } from './custom-table.reader';
import { CustomXmlRow, readCustomXmlRecords } from './custom-xml.reader';

/**
 * JSON and XML records have no header to check the mapping against: when this many records in a row
 * lack every name field, the name mapping is wrong, and the export is refused with the fields the
 * records do have instead of turning into thousands of "name is empty" row errors.
 */
const NAME_CHECK_RECORDS = 100;
const FIELDS_SHOWN = 30;

/**
 * Stream-parse an export described by a declarative source's settings. Tables are checked against
 * their header before any row is read; every row, object or element then becomes a record or a row
 * error with its 1-based row (CSV/TSV line, worksheet row, JSON record, JSON line, XML record).
 */
export async function* parseCustomSource(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<CustomSourceSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const refs = customFieldReferences(settings);
  // A stalled download must not hold an aborted poll: destroying the input ends the pending read
  // with the abort reason, whichever reader is waiting on it.
  const onAbort = (): void => {
    const destroyable = input as { destroy?: (error?: Error) => void };
    destroyable.destroy?.(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    switch (settings.format) {
      case 'csv':
      case 'tsv':
      case 'xlsx':
        yield* parseTable(input, settings, refs, signal);
        return;
      case 'json':
        yield* parseJson(input, settings, signal);
        return;
      case 'jsonl':
        yield* parseJsonLines(input, settings, refs, signal);
        return;
      case 'xml':
        yield* parseXml(input, settings, signal);
        return;
    }
  } catch (error) {
    // Whatever a reader made of the destroyed input, the poll was cancelled: say so.
    signal.throwIfAborted();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function* parseTable(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  refs: readonly CustomFieldReference[],
  signal: AbortSignal,
): AsyncGenerator<ParseItem> {
  const table =
    settings.format === 'xlsx'
      ? await openCustomXlsx(input, settings, refs, signal)
      : await openCustomCsv(input, settings, refs, signal);
  try {
    for await (const item of table.rows) {
      signal.throwIfAborted();
      if ('error' in item) {
        yield { error: { row: item.row, message: item.error, ...(item.truncated ? { truncated: true } : {}) } };
        continue;
      }
      yield mapCustomRow(settings, new CustomTableRow(item.values, table.columns), item.row);
    }
  } finally {
    table.close();
  }
}

async function* parseJson(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  signal: AbortSignal,
): AsyncGenerator<ParseItem> {
  const check = new NameFieldCheck(settings);
  let recordNumber = 0;
  for await (const value of readCustomJsonRecords(input, settings.recordPath ?? '', settings.encoding, signal)) {
    recordNumber++;
    yield mapJsonValue(settings, value, recordNumber, check, `record ${recordNumber}`);
  }
  check.finish();
}

async function* parseJsonLines(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  refs: readonly CustomFieldReference[],
  signal: AbortSignal,
): AsyncGenerator<ParseItem> {
  const check = new NameFieldCheck(settings);
  let lines = 0;
  for await (const item of readCustomJsonLines(input, settings.encoding, signal)) {
    signal.throwIfAborted();
    lines++;
    if ('error' in item) {
      yield { error: { row: item.line, message: item.error, ...(item.truncated ? { truncated: true } : {}) } };
      continue;
    }
    // JSON.parse output is plain JSON data, which is what CustomJsonValue describes.
    const value = item.value as CustomJsonValue;
    if (isCustomJsonObject(value)) {
      const row = new CustomJsonRow(value);
      const lost = refs.flatMap((ref) => {
        const text = row.imprecise(ref.field);
        return text === undefined ? [] : [`${ref.field} is a JSON number too long to read exactly (${text})`];
      });
      if (lost.length > 0) {
        check.see(row);
        yield {
          error: { row: item.line, message: `${lost.join('; ')}; the export must publish such codes as strings` },
        };
        continue;
      }
    }
    yield mapJsonValue(settings, value, item.line, check, `line ${item.line}`);
  }
  // Without a header, a JSON-lines file of nothing cannot be told from a failed download.
  if (lines === 0) throw new SourceFormatError('The export is empty: no JSON lines');
  check.finish();
}

function mapJsonValue(
  settings: CustomSourceSettings,
  value: CustomJsonValue,
  rowNumber: number,
  check: NameFieldCheck,
  label: string,
): ParseItem {
  if (!isCustomJsonObject(value)) {
    check.see(undefined);
    return { error: { row: rowNumber, message: `${label} is not a JSON object` } };
  }
  const row = new CustomJsonRow(value as CustomJsonObject);
  check.see(row);
  return mapCustomRow(settings, row, rowNumber);
}

async function* parseXml(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  signal: AbortSignal,
): AsyncGenerator<ParseItem> {
  const check = new NameFieldCheck(settings);
  let recordNumber = 0;
  for await (const record of readCustomXmlRecords(input, settings, signal)) {
    signal.throwIfAborted();
    recordNumber++;
    const row = new CustomXmlRow(record.node);
    check.see(row);
    yield mapCustomRow(settings, row, recordNumber, ` (the <${record.node.name}> at line ${record.line})`);
  }
  check.finish();
}

/** Refuses a JSON or XML export whose records never have the mapped name field (see NAME_CHECK_RECORDS). */
class NameFieldCheck {
  private seen = 0;
  private found = false;
  private firstFields: string[] | undefined;

  constructor(private readonly settings: CustomSourceSettings) {}

  see(row: CustomSourceRow | undefined): void {
    if (this.found) return;
    this.seen++;
    if (row) {
      this.firstFields ??= Object.keys(row.attributes()).slice(0, FIELDS_SHOWN);
      if (this.settings.fields.name.some((field) => row.has(field))) {
        this.found = true;
        return;
      }
    }
    if (this.seen >= NAME_CHECK_RECORDS) throw this.error();
  }

  /** At the end of a short export: it too must have the name field somewhere. */
  finish(): void {
    if (!this.found && this.seen > 0) throw this.error();
  }

  private error(): SourceFormatError {
    const names = this.settings.fields.name.map((field) => `"${field}"`).join(', ');
    const fields = this.firstFields?.length ? `; the first record has: ${this.firstFields.join(', ')}` : '';
    const which =
      this.seen >= NAME_CHECK_RECORDS ? `none of the first ${this.seen} records` : `none of the ${this.seen} records`;
    return new SourceFormatError(`The mapped name field ${names} (settings.fields.name) is in ${which}${fields}`);
  }
}
