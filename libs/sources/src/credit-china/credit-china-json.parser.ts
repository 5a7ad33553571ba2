import type { Readable } from 'node:stream';
import Parser from 'stream-json/Parser';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { decodeText } from '../tabular/decode';
import { CN_CREDIT_LIST_PROFILES } from '../cn-credit-lists/cn-credit-list.profiles';
import { JsonNumber, ObjectRowReader } from '../cn-credit-lists/cn-credit-object.reader';
import { chinaToday, mapCnCreditRow } from '../cn-credit-lists/cn-credit-record.mapper';
import { toParseItem, type CnCreditParseStats } from '../cn-credit-lists/cn-credit-table.parser';
import type { CreditChinaJsonSettings } from './credit-china-json.settings';

export const CREDIT_CHINA_JSON_ID = 'credit-china-json';

/** A token of stream-json's parser with values packed (no streamed chunks). */
interface JsonToken {
  name: string;
  value?: string | boolean | null;
}

type Container = unknown[] | Record<string, unknown>;

/** Builds one JSON value from tokens; numbers stay text (JsonNumber). */
class ValueAssembler {
  private readonly stack: { container: Container; key: string | undefined }[] = [];
  value: unknown = undefined;
  done = false;

  consume(token: JsonToken): void {
    switch (token.name) {
      case 'startObject':
        this.stack.push({ container: {}, key: undefined });
        return;
      case 'startArray':
        this.stack.push({ container: [], key: undefined });
        return;
      case 'endObject':
      case 'endArray': {
        const finished = this.stack.pop();
        this.put(finished?.container);
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
        this.put(new JsonNumber(String(token.value)));
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

  private put(value: unknown): void {
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

/** Where the walker is: one frame per open object or array. */
type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array'; index: number };

/** Top-level fields that say whether the lookup worked, folded to lower case. */
const STATUS_KEYS = new Set(['status', 'code', 'success']);
const MESSAGE_KEYS = new Set(['message', 'msg', 'errmsg', 'error']);

/**
 * Whether a status or code means success: Credit China answers status 200, other services code 0
 * or "success"; 40001 (captcha), 403 or 429 (blocked) and the like are failures.
 */
function isSuccessStatus(value: unknown): boolean {
  const text = (value instanceof JsonNumber ? value.text : String(value)).trim().toLowerCase();
  return ['0', '200', 'success', 'ok', 'true'].includes(text);
}

function scalarText(value: unknown): string {
  return value instanceof JsonNumber ? value.text : String(value);
}

/**
 * Stream-parse a Credit China style lookup response, `{status, message?, data: {total, list: [...]}}`,
 * into records of the configured list. Only the current list item is held in memory. A failure
 * status, or no array at `recordPath`, is a SourceFormatError carrying the server's message.
 */
export async function* parseCreditChinaJson(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<CreditChinaJsonSettings>,
  stats?: CnCreditParseStats,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const profile = CN_CREDIT_LIST_PROFILES[settings.list];
  const target = settings.recordPath;
  const today = chinaToday();

  // JSON should be UTF-8; decoding first also drops a BOM and copes with a GBK-encoded response.
  const decoded = decodeText(input, 'auto', { signal });
  const parser = new Parser({ packValues: true, streamValues: false });
  decoded.stream.on('error', (error: Error) => parser.destroy(error));
  decoded.stream.pipe(parser);

  const frames: Frame[] = [];
  /** Path segments of the open frames (the key or index each sits under; the root has none). */
  const segments: (string | number)[] = [];
  let recordDepth = -1;
  let found: 'array' | 'other' | undefined;
  let status: unknown;
  let message: string | undefined;
  let assembler: ValueAssembler | undefined;
  let recordIndex = 0;

  const failure = (): SourceFormatError | undefined => {
    if (status === undefined || isSuccessStatus(status)) return undefined;
    const said = message ? `: ${message}` : '';
    return new SourceFormatError(`${CREDIT_CHINA_JSON_ID}: the lookup failed with status ${scalarText(status)}${said}`);
  };
  /** Whether the value about to start sits at `recordPath`. */
  const atTarget = (): boolean => {
    const top = frames[frames.length - 1];
    if (top === undefined) return target.length === 0;
    const here = top.kind === 'object' ? top.key : top.index;
    if (here === undefined || segments.length + 1 !== target.length) return false;
    for (let i = 0; i < segments.length; i++) if (String(segments[i]) !== target[i]) return false;
    return String(here) === target[target.length - 1];
  };
  const advance = (): void => {
    const top = frames[frames.length - 1];
    if (top?.kind === 'array') top.index++;
  };
  const emit = (value: unknown): ParseItem | undefined => {
    recordIndex++;
    // A response that says it failed is rejected whole (below, with its message): no records from it.
    if (failure()) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { error: { row: recordIndex, message: `list item ${recordIndex} is not an object` } };
    }
    const item = value as Record<string, unknown>;
    // The current Credit China API wraps each record: {table_name, entity: {...}, columnList, sencesMap}.
    const entity = item.entity;
    const wrapped = entity !== null && typeof entity === 'object' && !Array.isArray(entity);
    const record = wrapped ? (entity as Record<string, unknown>) : item;
    const labels =
      wrapped && item.sencesMap !== null && typeof item.sencesMap === 'object'
        ? (item.sencesMap as Record<string, unknown>)
        : undefined;
    const reader = new ObjectRowReader(profile, record, { labels });
    const result = mapCnCreditRow(profile, reader, recordIndex, () => reader.attributes(), {
      today,
      tagListKind: true,
    });
    return toParseItem(result, stats);
  };

  try {
    for await (const token of parser as AsyncIterable<JsonToken>) {
      if (assembler) {
        assembler.consume(token);
        if (assembler.done) {
          const value = assembler.value;
          assembler = undefined;
          advance();
          const item = emit(value);
          if (item) yield item;
          signal.throwIfAborted();
        }
        continue;
      }
      const inRecords = recordDepth >= 0 && frames.length === recordDepth;
      switch (token.name) {
        case 'keyValue': {
          const top = frames[frames.length - 1];
          if (top?.kind === 'object') top.key = String(token.value);
          break;
        }
        case 'startObject':
        case 'startArray': {
          if (inRecords) {
            assembler = new ValueAssembler();
            assembler.consume(token);
            break;
          }
          if (atTarget()) {
            found = token.name === 'startArray' ? 'array' : 'other';
          }
          const top = frames[frames.length - 1];
          if (top) segments.push(top.kind === 'object' ? (top.key ?? '') : top.index);
          frames.push(token.name === 'startObject' ? { kind: 'object', key: undefined } : { kind: 'array', index: 0 });
          if (found === 'array' && recordDepth < 0) recordDepth = frames.length;
          break;
        }
        case 'endObject':
        case 'endArray': {
          if (frames.length === recordDepth) recordDepth = -2;
          frames.pop();
          segments.pop();
          advance();
          // The top-level object is complete: its status and message are known.
          const failed = frames.length === 0 ? failure() : undefined;
          if (failed) throw failed;
          break;
        }
        default: {
          // A scalar value.
          const value = token.name === 'numberValue' ? new JsonNumber(String(token.value)) : token.value;
          if (inRecords) {
            advance();
            const item = emit(value);
            if (item) yield item;
            break;
          }
          if (atTarget()) found = 'other';
          const top = frames[frames.length - 1];
          if (frames.length === 1 && top?.kind === 'object' && top.key !== undefined) {
            const key = top.key.toLowerCase();
            if (STATUS_KEYS.has(key) && status === undefined) status = value;
            else if (MESSAGE_KEYS.has(key) && value !== null && message === undefined) message = scalarText(value);
          }
          advance();
        }
      }
    }
  } catch (error) {
    if (signal.aborted || error instanceof SourceFormatError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    throw new SourceFormatError(
      `${CREDIT_CHINA_JSON_ID}: the response is not valid JSON (${text}); it may be truncated`,
    );
  } finally {
    decoded.stream.destroy();
    parser.destroy();
  }

  const failed = failure();
  if (failed) throw failed;
  if (found !== 'array') {
    const path = target.join('.') || '(the root)';
    const what = found === 'other' ? 'is not an array' : 'is missing';
    const said = message ? `; the server said: ${message}` : '';
    throw new SourceFormatError(`${CREDIT_CHINA_JSON_ID}: the record list at "${path}" ${what}${said}`);
  }
}
