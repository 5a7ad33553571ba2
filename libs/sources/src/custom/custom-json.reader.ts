import type { Readable } from 'node:stream';
import Parser from 'stream-json/Parser';
import { readJsonLines, type JsonLineItem } from '../opensanctions/json-lines.reader';
import { SourceFormatError } from '../source-adapter';
import { decodeText, type TextEncodingSetting } from '../tabular/decode';
import { numberText } from '../tabular/xlsx-rows';
import type { CustomSourceRow } from './custom-source.mapper';

/**
 * A JSON number as its text in the document: an 18-digit all-digit USCC or a 19-digit id published
 * as a number does not survive a round trip through a double.
 */
export class CustomJsonNumber {
  constructor(readonly text: string) {}
}

export type CustomJsonValue =
  string | number | boolean | null | CustomJsonNumber | CustomJsonValue[] | CustomJsonObject;
export interface CustomJsonObject {
  [key: string]: CustomJsonValue;
}

/** A token of stream-json's parser with values packed (no streamed chunks). */
interface JsonToken {
  name: string;
  value?: string | boolean | null;
}

type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array'; index: number };

/** A record bigger than this is not a registry entry; refusing it keeps one runaway value from exhausting memory. */
const MAX_RECORD_CHARS = 1024 * 1024;
/** Counted per token on top of its characters, so millions of empty values cannot slip under the cap. */
const TOKEN_OVERHEAD = 8;
const TOP_KEYS_SHOWN = 20;

export function isCustomJsonObject(value: CustomJsonValue | undefined): value is CustomJsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof CustomJsonNumber);
}

/** Builds one record from tokens; numbers stay text, objects have no prototype (a "__proto__" key is just a key). */
class JsonValueBuilder {
  private readonly stack: { container: CustomJsonValue[] | CustomJsonObject; key: string | undefined }[] = [];
  private chars = 0;
  value: CustomJsonValue = null;
  done = false;

  constructor(private readonly recordNumber: number) {}

  consume(token: JsonToken): void {
    this.chars += TOKEN_OVERHEAD + (typeof token.value === 'string' ? token.value.length : 0);
    if (this.chars > MAX_RECORD_CHARS) {
      throw new SourceFormatError(
        `record ${this.recordNumber} is larger than ${MAX_RECORD_CHARS} characters; refusing it (a record this size is not a registry entry)`,
      );
    }
    switch (token.name) {
      case 'startObject':
        this.stack.push({ container: Object.create(null) as CustomJsonObject, key: undefined });
        return;
      case 'startArray':
        this.stack.push({ container: [], key: undefined });
        return;
      case 'endObject':
      case 'endArray': {
        const finished = this.stack.pop();
        if (finished) this.put(finished.container);
        return;
      }
      case 'keyValue': {
        const top = this.stack[this.stack.length - 1];
        if (top) top.key = String(token.value);
        return;
      }
      case 'stringValue':
        this.put(String(token.value));
        return;
      case 'numberValue':
        this.put(new CustomJsonNumber(String(token.value)));
        return;
      case 'nullValue':
        this.put(null);
        return;
      case 'trueValue':
        this.put(true);
        return;
      case 'falseValue':
        this.put(false);
        return;
      default:
        return;
    }
  }

  private put(value: CustomJsonValue): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.value = value;
      this.done = true;
    } else if (Array.isArray(top.container)) {
      top.container.push(value);
    } else if (top.key !== undefined) {
      top.container[top.key] = value;
    }
  }
}

/**
 * Stream the items of the array at `recordPath` (dot-separated keys; '' for a top-level array) of a
 * JSON document. Only the current item is held. A path that is missing or not an array, and a
 * document that is malformed or cut short, are SourceFormatErrors (after the items read before the
 * problem): a truncated document must never pass for a shorter list.
 */
export async function* readCustomJsonRecords(
  input: NodeJS.ReadableStream | Readable,
  recordPath: string,
  encoding: TextEncodingSetting,
  signal: AbortSignal,
): AsyncGenerator<CustomJsonValue> {
  signal.throwIfAborted();
  const target = recordPath === '' ? [] : recordPath.split('.').map((segment) => segment.trim());
  // JSON should be UTF-8; decoding first also drops a BOM and copes with a GBK-encoded export.
  const decoded = decodeText(input, encoding, { signal });
  const parser = new Parser({ packValues: true, streamValues: false });
  decoded.stream.on('error', (error: Error) => parser.destroy(error));
  /** Any text but white space: tells an empty download from one that is not JSON. */
  let sawText = false;
  const watchText = (chunk: string): void => {
    if (/\S/.test(chunk)) {
      sawText = true;
      decoded.stream.off('data', watchText);
    }
  };
  decoded.stream.on('data', watchText);
  decoded.stream.pipe(parser);
  // A stalled download must not hold an aborted parse: destroying the parser ends the pending read.
  const onAbort = (): void => {
    parser.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const frames: Frame[] = [];
  /** The key or index each open container sits under (the root container has none). */
  const segments: string[] = [];
  const topKeys: string[] = [];
  let found: 'array' | 'other' | undefined;
  let recordDepth = -1;
  let builder: JsonValueBuilder | undefined;
  let recordNumber = 0;
  let yielded = 0;

  const atTarget = (): boolean => {
    const top = frames[frames.length - 1];
    if (!top) return target.length === 0;
    const here = top.kind === 'object' ? top.key : String(top.index);
    if (here === undefined || segments.length + 1 !== target.length) return false;
    for (let i = 0; i < segments.length; i++) if (segments[i] !== target[i]) return false;
    return here === target[target.length - 1];
  };
  const advance = (): void => {
    const top = frames[frames.length - 1];
    if (top?.kind === 'array') top.index++;
  };

  try {
    for await (const token of parser as AsyncIterable<JsonToken>) {
      if (builder) {
        builder.consume(token);
        if (builder.done) {
          const value = builder.value;
          builder = undefined;
          advance();
          yielded++;
          yield value;
          signal.throwIfAborted();
        }
        continue;
      }
      const inRecords = recordDepth >= 0 && frames.length === recordDepth;
      switch (token.name) {
        case 'keyValue': {
          const top = frames[frames.length - 1];
          if (top?.kind === 'object') top.key = String(token.value);
          if (frames.length === 1 && topKeys.length < TOP_KEYS_SHOWN) topKeys.push(String(token.value));
          break;
        }
        case 'startObject':
        case 'startArray': {
          if (inRecords) {
            recordNumber++;
            builder = new JsonValueBuilder(recordNumber);
            builder.consume(token);
            break;
          }
          const isTarget = found === undefined && atTarget();
          if (isTarget) found = token.name === 'startArray' ? 'array' : 'other';
          const top = frames[frames.length - 1];
          if (top) segments.push(top.kind === 'object' ? (top.key ?? '') : String(top.index));
          frames.push(token.name === 'startObject' ? { kind: 'object', key: undefined } : { kind: 'array', index: 0 });
          if (isTarget && found === 'array') recordDepth = frames.length;
          break;
        }
        case 'endObject':
        case 'endArray': {
          // The record array is closed; nothing after it is a record, though the rest is still read to its end.
          if (frames.length === recordDepth) recordDepth = -2;
          frames.pop();
          segments.pop();
          advance();
          break;
        }
        default: {
          if (inRecords) {
            // A scalar where a record object should be: the caller reports it as a row error.
            recordNumber++;
            advance();
            yielded++;
            yield token.name === 'numberValue' ? new CustomJsonNumber(String(token.value)) : (token.value ?? null);
            break;
          }
          if (found === undefined && atTarget()) found = 'other';
          advance();
        }
      }
    }
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof SourceFormatError) throw error;
    if (!sawText) throw new SourceFormatError('The export is empty: no JSON document');
    const text = error instanceof Error ? error.message : String(error);
    throw new SourceFormatError(
      `The JSON document cannot be parsed (${text}); it is malformed or truncated (${yielded} records were read before the problem)`,
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
    decoded.stream.destroy();
    parser.destroy();
  }

  if (found !== 'array') {
    const keys = topKeys.length > 0 ? `; the document's top-level keys: ${topKeys.join(', ')}` : '';
    if (target.length === 0) {
      throw new SourceFormatError(
        `The JSON document is not a top-level array; set settings.recordPath to the keys of the record array${keys}`,
      );
    }
    const what = found === 'other' ? 'is not an array' : 'is missing';
    throw new SourceFormatError(`The record array at settings.recordPath "${recordPath}" ${what}${keys}`);
  }
}

/**
 * JSON lines, one record per line, decoded first so a GBK export reads as well as a UTF-8 one. Line
 * numbers, malformed lines and a cut-short last line (`truncated`) come from the shared reader.
 */
export function readCustomJsonLines(
  input: NodeJS.ReadableStream | Readable,
  encoding: TextEncodingSetting,
  signal: AbortSignal,
): AsyncGenerator<JsonLineItem> {
  const decoded = decodeText(input, encoding, { signal });
  return readJsonLines(decoded.stream as AsyncIterable<string>, { signal });
}

/** A JSON object read through dot-separated key paths. */
export class CustomJsonRow implements CustomSourceRow {
  constructor(private readonly object: CustomJsonObject) {}

  values(field: string): string[] {
    const out: string[] = [];
    for (const value of this.lookup(field)) {
      if (Array.isArray(value)) {
        for (const item of value) {
          const text = scalarText(item)?.trim();
          if (text) out.push(text);
        }
      } else {
        const text = scalarText(value)?.trim();
        if (text) out.push(text);
      }
    }
    return out;
  }

  has(field: string): boolean {
    return this.lookup(field).length > 0;
  }

  /**
   * Whether the field holds an integer JSON.parse could not keep exactly (JSON lines are parsed
   * with it): a code published as a long number has lost its last digits, and a wrong code must
   * not match anyone.
   */
  imprecise(field: string): string | undefined {
    for (const value of this.lookup(field)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === 'number' && Number.isInteger(item) && !Number.isSafeInteger(item)) return numberText(item);
      }
    }
    return undefined;
  }

  /** The published fields: nested objects one level down as dotted keys, deeper values as JSON text. */
  attributes(): Record<string, string> {
    const out: Record<string, string> = {};
    const put = (key: string, value: CustomJsonValue): void => {
      const text = attributeText(value);
      if (text) out[key] = text;
    };
    for (const [key, value] of Object.entries(this.object)) {
      if (isCustomJsonObject(value)) {
        for (const [child, nested] of Object.entries(value)) put(`${key}.${child}`, nested);
      } else {
        put(key, value);
      }
    }
    return out;
  }

  /** The values at the path: a literal key first ("cf.xdr" as one key), else key by key; an array step fans out. */
  private lookup(field: string): CustomJsonValue[] {
    if (Object.prototype.hasOwnProperty.call(this.object, field)) return [this.object[field] ?? null];
    return lookupPath(this.object, field.split('.'), 0);
  }
}

function lookupPath(value: CustomJsonValue | undefined, segments: readonly string[], at: number): CustomJsonValue[] {
  if (value === undefined) return [];
  if (at === segments.length) return [value];
  const segment = segments[at]!;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(segment)) return lookupPath(value[Number(segment)], segments, at + 1);
    return value.flatMap((item) => lookupPath(item, segments, at));
  }
  if (isCustomJsonObject(value) && Object.prototype.hasOwnProperty.call(value, segment)) {
    return lookupPath(value[segment], segments, at + 1);
  }
  return [];
}

function scalarText(value: CustomJsonValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof CustomJsonNumber) return value.text;
  return undefined;
}

/** An attribute value: scalars as text, a list of scalars joined with "; ", anything deeper as JSON. */
function attributeText(value: CustomJsonValue): string | undefined {
  const scalar = scalarText(value);
  if (scalar !== undefined) return scalar.trim() || undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.every((item) => !isCustomJsonObject(item) && !Array.isArray(item))) {
      const texts = value.map((item) => scalarText(item)?.trim()).filter((text): text is string => !!text);
      return texts.length > 0 ? texts.join('; ') : undefined;
    }
    return jsonText(value);
  }
  return isCustomJsonObject(value) && Object.keys(value).length > 0 ? jsonText(value) : undefined;
}

/** JSON text with numbers exactly as published. */
function jsonText(value: CustomJsonValue): string {
  if (value instanceof CustomJsonNumber) return value.text;
  if (typeof value === 'number') return numberText(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
    .join(',')}}`;
}
