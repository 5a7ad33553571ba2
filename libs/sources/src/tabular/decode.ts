import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { SourceFormatError } from '../source-adapter';

/** Encodings an adapter setting may name; 'gbk' is accepted by settings parsers and mapped to 'gb18030'. */
export type TextEncodingSetting = 'auto' | 'utf-8' | 'gb18030';
export type DetectedEncoding = 'utf-8' | 'gb18030';

export interface DecodedText {
  /** Text chunks (strings), leading byte order mark removed. */
  stream: Readable;
  /** Settles once the encoding is known: at once when explicit, after sniffing when 'auto'. */
  encoding: Promise<DetectedEncoding>;
}

export interface DecodeOptions {
  signal?: AbortSignal;
  /** How many bytes after the first non-ASCII byte to sniff before deciding; 64 KiB by default. */
  sampleBytes?: number;
}

const DEFAULT_SAMPLE_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

/** Map a settings value to a decoder name; GBK is a subset of GB18030, so one decoder serves both. */
export function normalizeEncodingSetting(value: string): TextEncodingSetting | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'auto') return 'auto';
  if (lower === 'utf-8' || lower === 'utf8') return 'utf-8';
  if (lower === 'gb18030' || lower === 'gbk' || lower === 'gb2312') return 'gb18030';
  return undefined;
}

/**
 * Decode an export's bytes to text without holding the file in memory.
 * 'auto': a UTF-8 BOM means UTF-8; otherwise the first non-ASCII bytes (up to `sampleBytes`) are
 * tried as strict UTF-8, and anything that fails is GB18030 (Chinese registries' usual export
 * encoding, a superset of GBK). ASCII before the first non-ASCII byte is the same in both, so it
 * passes through while the encoding is still undecided.
 */
export function decodeText(
  input: NodeJS.ReadableStream | Readable,
  encoding: TextEncodingSetting,
  options: DecodeOptions = {},
): DecodedText {
  let settle: { resolve: (e: DetectedEncoding) => void; reject: (e: unknown) => void } | undefined;
  const detected = new Promise<DetectedEncoding>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The stream reports the same failure; callers that never await the promise must not crash the process.
  detected.catch(() => undefined);
  let decided = false;
  const decide = (e: DetectedEncoding): void => {
    decided = true;
    settle?.resolve(e);
  };
  const fail = (error: unknown): void => {
    if (!decided) settle?.reject(error);
    decided = true;
  };

  const sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
  const chunks = decodeChunks(input, encoding, sampleBytes, decide, options.signal);
  const stream = Readable.from(stripLeadingBom(chunks, fail), { objectMode: true });
  if (encoding !== 'auto') decide(encoding);
  return { stream, encoding: detected };
}

async function* stripLeadingBom(
  source: AsyncGenerator<string>,
  fail: (error: unknown) => void,
): AsyncGenerator<string> {
  let first = true;
  try {
    for await (let text of source) {
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length > 0) yield text;
    }
  } catch (error) {
    fail(error);
    throw error;
  } finally {
    // Ended (or was abandoned) before the encoding was decided.
    fail(new Error('decoding stopped before the encoding was known'));
  }
}

async function* decodeChunks(
  input: NodeJS.ReadableStream | Readable,
  setting: TextEncodingSetting,
  sampleBytes: number,
  decide: (e: DetectedEncoding) => void,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  let decoder: ChunkDecoder | undefined = setting === 'auto' ? undefined : createDecoder(setting);
  /** Bytes seen before the current chunk, for error messages. */
  let offset = 0;
  /** Auto mode: bytes held back from the first non-ASCII byte until there is enough to decide on. */
  let sample: Buffer[] = [];
  let sampleLength = 0;
  let atStart = true;

  const decideFromSample = (ended: boolean): string => {
    const bytes = Buffer.concat(sample, sampleLength);
    sample = [];
    sampleLength = 0;
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    try {
      // stream: true keeps a multi-byte character cut at the sample's end for the next chunk.
      const text = utf8.decode(bytes, { stream: !ended });
      decoder = wrapUtf8(utf8);
      decide('utf-8');
      return text;
    } catch {
      decoder = createDecoder('gb18030');
      decide('gb18030');
      return decoder.write(bytes);
    }
  };

  for await (const raw of input) {
    signal?.throwIfAborted();
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const chunkOffset = offset;
    offset += chunk.length;
    if (decoder) {
      yield decodeOrFail(decoder, chunk, chunkOffset, setting);
      continue;
    }
    if (atStart) {
      atStart = false;
      // A BOM split across the first chunks is vanishingly rare; the sniffer decodes it as UTF-8 anyway.
      if (chunk.length >= 3 && chunk.subarray(0, 3).equals(UTF8_BOM)) {
        decoder = createDecoder('utf-8');
        decide('utf-8');
        yield decodeOrFail(decoder, chunk, chunkOffset, setting);
        continue;
      }
    }
    if (sampleLength === 0) {
      const firstHigh = chunk.findIndex((b) => b >= 0x80);
      if (firstHigh < 0) {
        yield chunk.toString('latin1');
        continue;
      }
      if (firstHigh > 0) yield chunk.toString('latin1', 0, firstHigh);
      sample.push(chunk.subarray(firstHigh));
      sampleLength = chunk.length - firstHigh;
    } else {
      sample.push(chunk);
      sampleLength += chunk.length;
    }
    if (sampleLength >= sampleBytes) yield decideFromSample(false);
  }

  if (!decoder) {
    if (sampleLength > 0) {
      yield decideFromSample(true);
    } else {
      // Pure ASCII (or empty): both encodings read it the same.
      decide('utf-8');
      return;
    }
  }
  try {
    yield (decoder as ChunkDecoder).end();
  } catch {
    throw new SourceFormatError(
      `The export ends inside a multi-byte UTF-8 character (byte ${offset}); the file is truncated or not UTF-8`,
    );
  }
}

function decodeOrFail(decoder: ChunkDecoder, chunk: Buffer, chunkOffset: number, setting: TextEncodingSetting): string {
  try {
    return decoder.write(chunk);
  } catch {
    const hint =
      setting === 'auto'
        ? 'the start of the file looked like UTF-8; set the source encoding to gb18030 if it is GBK/GB18030'
        : 'set the source encoding to auto or gb18030 if it is GBK/GB18030';
    throw new SourceFormatError(`The export is not valid UTF-8 in the bytes from offset ${chunkOffset}: ${hint}`);
  }
}

function createDecoder(encoding: DetectedEncoding): ChunkDecoder {
  if (encoding === 'utf-8') return wrapUtf8(new TextDecoder('utf-8', { fatal: true }));
  const gb = iconv.getDecoder('gb18030');
  return { write: (bytes) => gb.write(bytes), end: () => gb.end() ?? '' };
}

function wrapUtf8(decoder: TextDecoder): ChunkDecoder {
  return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}
