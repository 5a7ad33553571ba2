import { addAbortSignal, pipeline, Transform, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { toCslItem } from './csl-record.mapper';
import type { CslJsonSettings } from './csl.settings';

/**
 * The order in which the CSV export writes the parts of an address and of an identifier, so a JSON
 * record flattens to the same text as the CSV row and both formats give the same records.
 */
const OBJECT_FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {
  addresses: ['address', 'city', 'state', 'postal_code', 'country'],
  ids: ['type', 'number', 'country', 'issue_date', 'expiration_date'],
};

/**
 * Stream-parse the Consolidated Screening List as JSON (the trade.gov API shape
 * `{ "results": [ {...}, ... ], ... }`): only one record is assembled at a time. A document that
 * is not JSON, or stops before its end, cannot be trusted as a whole and fails the export.
 */
export async function* parseCslJson(
  input: Readable,
  context: ParseContext<CslJsonSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const path = settings.recordPath;
  let picked = false;
  // Notes whether the record path exists at all: a missing one would otherwise read as an empty list.
  const tap = new Transform({
    objectMode: true,
    transform(token: unknown, _encoding, callback) {
      picked = true;
      callback(null, token);
    },
  });
  // pipeline() destroys every stage when one fails, and the failure surfaces where records are read.
  // Packed values only: records are assembled whole, so streaming each string's pieces is wasted work.
  const done = (): void => undefined;
  const records =
    path.length > 0
      ? pipeline(input, parser({ streamValues: false }), pick({ filter: path }), tap, streamArray(), done)
      : pipeline(input, parser({ streamValues: false }), tap, streamArray(), done);
  addAbortSignal(signal, records);

  let count = 0;
  try {
    for await (const item of records as AsyncIterable<{ key: number; value: unknown }>) {
      signal.throwIfAborted();
      count++;
      const row = item.key + 1;
      if (item.value === null || typeof item.value !== 'object' || Array.isArray(item.value)) {
        yield { error: { row, message: `record ${row} is not a JSON object` } };
        continue;
      }
      yield toCslItem(row, flattenRecord(item.value as Record<string, unknown>));
    }
  } catch (error) {
    if (signal.aborted) throw error;
    const where = count > 0 ? `after record ${count}` : 'before the first record';
    throw new SourceFormatError(
      `The CSL JSON cannot be read ${where}: ${error instanceof Error ? error.message : String(error)} ` +
        `(the file is not JSON, has no array at "${path || '(top level)'}", or is cut short)`,
    );
  } finally {
    records.destroy();
  }
  if (!picked) {
    throw new SourceFormatError(`The CSL JSON has no "${path}" array: is the record path right?`);
  }
}

/** A JSON record as the CSV export's cells: arrays joined with "; ", objects' parts with ", ". */
export function flattenRecord(value: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) fields[key] = flattenValue(field, OBJECT_FIELD_ORDER[key]);
  return fields;
}

function flattenValue(value: unknown, order: readonly string[] | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value
      .map((item) => flattenValue(item, order))
      .filter((text) => text.length > 0)
      .join('; ');
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = order ? [...order, ...Object.keys(object).filter((k) => !order.includes(k))] : Object.keys(object);
    return keys
      .map((key) => flattenValue(object[key], undefined))
      .filter((text) => text.length > 0)
      .join(', ');
  }
  return '';
}
