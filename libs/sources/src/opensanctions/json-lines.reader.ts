/** One line of a JSON-lines file: its parsed value, or why it could not be read. */
export type JsonLineItem =
  | { line: number; value: unknown }
  | { line: number; error: string; /** The file's last line, cut short. */ truncated?: boolean };

export interface JsonLinesOptions {
  signal?: AbortSignal;
  /** A longer line is reported as an error and skipped, so one runaway line cannot exhaust memory. Default 64 MiB. */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Read a JSON-lines stream one line at a time, numbering lines from 1 and skipping blank ones.
 * A malformed line is an item with an error and the read goes on. When the last line has no
 * newline and does not parse, the file was most likely cut short, so its error says `truncated`.
 * Lines are split on the byte 0x0A, which never occurs inside a multi-byte UTF-8 character.
 */
export async function* readJsonLines(
  input: AsyncIterable<Buffer | string>,
  options: JsonLinesOptions = {},
): AsyncGenerator<JsonLineItem> {
  const { signal } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // fatal: a wrong encoding is reported on the line rather than turned into U+FFFD silently.
  const strict = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  /** The current line went over maxLineBytes and was reported: drop the rest of it. */
  let skipping = false;

  function parseLine(bytes: Buffer, lineNumber: number, last: boolean): JsonLineItem | undefined {
    let text = bytes.toString('utf8');
    // The lenient decode is much faster; only a line showing U+FFFD (rare in real text) is checked strictly.
    if (text.includes('\uFFFD')) {
      try {
        strict.decode(bytes);
      } catch {
        return { line: lineNumber, error: `line ${lineNumber} is not valid UTF-8` };
      }
    }
    if (lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim().length === 0) return undefined;
    try {
      return { line: lineNumber, value: JSON.parse(text) as unknown };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return last
        ? {
            line: lineNumber,
            error: `line ${lineNumber} (the last, with no newline) is cut short: ${reason}`,
            truncated: true,
          }
        : { line: lineNumber, error: `line ${lineNumber} is not valid JSON: ${reason}` };
    }
  }

  for await (const raw of input) {
    signal?.throwIfAborted();
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline >= 0) {
      line++;
      if (skipping) {
        skipping = false;
      } else {
        const piece = chunk.subarray(start, newline);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
        if (bytes.length > maxLineBytes) {
          yield { line, error: `line ${line} is longer than ${maxLineBytes} bytes` };
        } else {
          const item = parseLine(bytes, line, false);
          if (item) yield item;
        }
      }
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length && !skipping) {
      // Copied: a slice would keep the whole chunk alive while the line waits for its end.
      const rest = Buffer.from(chunk.subarray(start));
      pending.push(rest);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) {
        yield { line: line + 1, error: `line ${line + 1} is longer than ${maxLineBytes} bytes` };
        pending = [];
        pendingBytes = 0;
        skipping = true;
      }
    }
  }
  if (pendingBytes > 0 && !skipping) {
    line++;
    const item = parseLine(Buffer.concat(pending, pendingBytes), line, true);
    if (item) yield item;
  }
}
