import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { SourceFormatError } from '../source-adapter';

/** 'auto' (byte order mark, else the XML declaration, else UTF-8) or an encoding label that overrides the declaration. */
export type XmlEncodingSetting = string;

/** The decoders this reader uses; every label maps to one of them. */
type XmlDecoderName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | `iconv:${string}`;

export interface XmlDecodeOptions {
  encoding?: XmlEncodingSetting;
  signal?: AbortSignal;
}

interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

/** How far into the file the XML declaration must have ended. */
const DECLARATION_WINDOW = 1024;

/**
 * ISO-8859-1 is read as Windows-1252, as browsers and the WHATWG Encoding Standard do: exports that
 * declare Latin-1 are in practice written on Windows, and their 0x80-0x9F bytes are curly quotes and
 * dashes, not C1 control characters.
 */
const LATIN1_LABELS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'latin-1',
  'l1',
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'ibm819',
  'cp819',
]);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'us-ascii', 'ascii']);
const UTF16_LABELS = new Set(['utf-16', 'utf16', 'utf-16le', 'utf-16be', 'ucs-2', 'unicode']);

/** The decoder for an encoding label, or undefined when it is not supported. */
function decoderForLabel(label: string): XmlDecoderName | undefined {
  const lower = label.trim().toLowerCase();
  if (UTF8_LABELS.has(lower)) return 'utf-8';
  if (LATIN1_LABELS.has(lower)) return 'windows-1252';
  if (lower === 'gbk' || lower === 'gb2312' || lower === 'gb18030') return 'iconv:gb18030';
  if (UTF16_LABELS.has(lower) || lower.startsWith('utf-32') || lower.startsWith('utf32')) return undefined;
  return iconv.encodingExists(lower) ? `iconv:${lower}` : undefined;
}

/** True when a source's `encoding` setting names something this reader can decode. */
export function isSupportedXmlEncoding(label: string): boolean {
  const lower = label.trim().toLowerCase();
  return lower === 'auto' || UTF16_LABELS.has(lower) || decoderForLabel(lower) !== undefined;
}

function createDecoder(name: XmlDecoderName): ChunkDecoder {
  if (name === 'utf-8' || name === 'utf-16le' || name === 'utf-16be') {
    // fatal: a byte sequence that is not valid in the encoding is an error, never a silent U+FFFD.
    const decoder = new TextDecoder(name, { fatal: true, ignoreBOM: true });
    return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
  }
  const decoder = iconv.getDecoder(name === 'windows-1252' ? 'windows-1252' : name.slice('iconv:'.length), {
    stripBOM: false,
  });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? '' };
}

interface Detected {
  decoder: XmlDecoderName;
  /** Bytes of byte order mark to skip. */
  skip: number;
  /** What decided it, for error messages. */
  because: string;
}

/**
 * Work out the encoding from the first bytes, as XML 1.0 Appendix F describes: a byte order mark
 * wins; UTF-16 without one shows as `<\0?\0`; otherwise the bytes are ASCII-compatible and the
 * declaration (if any) names the encoding; without one the document is UTF-8.
 */
function detect(head: Buffer, setting: string): Detected {
  const b = (i: number): number | undefined => head[i];
  if (b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf)
    return { decoder: 'utf-8', skip: 3, because: 'its byte order mark' };
  if ((b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) || (b(0) === 0 && b(1) === 0 && b(2) === 0xfe)) {
    throw new SourceFormatError('The export is UTF-32, which is not supported; expected UTF-8, UTF-16 or Latin-1');
  }
  if (b(0) === 0xff && b(1) === 0xfe) return { decoder: 'utf-16le', skip: 2, because: 'its byte order mark' };
  if (b(0) === 0xfe && b(1) === 0xff) return { decoder: 'utf-16be', skip: 2, because: 'its byte order mark' };
  if (b(0) === 0x3c && b(1) === 0 && b(2) === 0x3f && b(3) === 0) {
    return { decoder: 'utf-16le', skip: 0, because: 'its first bytes' };
  }
  if (b(0) === 0 && b(1) === 0x3c && b(2) === 0 && b(3) === 0x3f) {
    return { decoder: 'utf-16be', skip: 0, because: 'its first bytes' };
  }

  const lower = setting.trim().toLowerCase();
  if (lower !== 'auto') {
    const decoder = decoderForLabel(lower);
    // The bytes are not UTF-16 (checked above), whatever the setting says; UTF-8 is what they can be.
    if (decoder) return { decoder, skip: 0, because: `the source setting "${setting}"` };
    if (UTF16_LABELS.has(lower)) return { decoder: 'utf-8', skip: 0, because: 'its bytes (not UTF-16)' };
    throw new SourceFormatError(`The source's encoding setting "${setting}" is not supported`);
  }

  const declared = declaredEncoding(head);
  if (declared === undefined) return { decoder: 'utf-8', skip: 0, because: 'the XML default (no declared encoding)' };
  const decoder = decoderForLabel(declared);
  if (decoder) return { decoder, skip: 0, because: `its declaration (encoding="${declared}")` };
  // A declaration of UTF-16 on bytes that are plainly ASCII-compatible is a common export mistake;
  // the bytes can only be UTF-8 (strict decoding still catches anything else).
  if (UTF16_LABELS.has(declared.toLowerCase())) {
    return { decoder: 'utf-8', skip: 0, because: `its bytes (it declares "${declared}" but has no byte order mark)` };
  }
  throw new SourceFormatError(
    `The export declares encoding="${declared}", which is not supported; set the source's encoding setting if the declaration is wrong`,
  );
}

/** The encoding named by the XML declaration at the start of `head`, read as ASCII. */
function declaredEncoding(head: Buffer): string | undefined {
  const start = head.toString('latin1', 0, Math.min(head.length, DECLARATION_WINDOW));
  if (!start.startsWith('<?xml')) return undefined;
  const end = start.indexOf('?>');
  const declaration = end < 0 ? start : start.slice(0, end);
  return /\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/.exec(declaration)?.[1];
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new SourceFormatError('The export stream yielded something other than bytes');
}

/**
 * Decode an XML export's bytes to text chunks without holding the file: the encoding is settled
 * from the first bytes (at most 1 KiB is held back for that) and everything after streams through.
 */
export async function* decodeXmlText(
  input: AsyncIterable<unknown>,
  options: XmlDecodeOptions = {},
): AsyncGenerator<string> {
  const signal = options.signal;
  const setting = options.encoding ?? 'auto';
  signal?.throwIfAborted();
  let head: Buffer[] = [];
  let headLength = 0;
  let decoder: ChunkDecoder | undefined;
  let detected: Detected | undefined;
  let offset = 0;

  const decode = (bytes: Buffer, at: number): string => {
    try {
      return (decoder as ChunkDecoder).write(bytes);
    } catch {
      throw invalidBytes(detected as Detected, at);
    }
  };
  const start = (): string => {
    const bytes = Buffer.concat(head, headLength);
    head = [];
    detected = detect(bytes, setting);
    decoder = createDecoder(detected.decoder);
    return decode(bytes.subarray(detected.skip), 0);
  };

  for await (const chunk of input) {
    signal?.throwIfAborted();
    const bytes = toBuffer(chunk);
    const at = offset;
    offset += bytes.length;
    if (decoder) {
      const text = decode(bytes, at);
      if (text.length > 0) yield text;
      continue;
    }
    head.push(bytes);
    headLength += bytes.length;
    // Enough to see a byte order mark and the whole declaration (or that there is none).
    if (headLength >= DECLARATION_WINDOW || (headLength >= 4 && Buffer.concat(head, headLength).includes(0x3e))) {
      const text = start();
      if (text.length > 0) yield text;
    }
  }
  if (!decoder) {
    if (headLength === 0) return;
    const text = start();
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = (decoder as ChunkDecoder).end();
  } catch {
    throw new SourceFormatError(
      `The export ends inside a multi-byte character (byte ${offset}); the file is truncated or not ${(detected as Detected).decoder}`,
    );
  }
  if (rest.length > 0) yield rest;
}

function invalidBytes(detected: Detected, chunkOffset: number): SourceFormatError {
  return new SourceFormatError(
    `The export is not valid ${detected.decoder} in the bytes from offset ${chunkOffset} ` +
      `(the encoding was taken from ${detected.because}); set the source's encoding setting if that is wrong`,
  );
}
