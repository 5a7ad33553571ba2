/**
 * A streaming RFC 4180 tokenizer tuned for large registry exports (millions of rows): it scans
 * each chunk with indexOf and charCodeAt and slices fields out, instead of a per-character state
 * machine. Forgiving the way registry exports need: ragged rows, stray quotes inside unquoted
 * fields and text after a closing quote are taken as written.
 */
export interface CsvRecord {
  cells: string[];
  /** 1-based line the record starts on. */
  line: number;
  /** The record is the last of the input and was cut short inside a quoted field. */
  unterminatedQuote?: boolean;
  /** The record is the last of the input and has no line break after it. */
  noFinalNewline?: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvRecordTooLargeError extends Error {
  override readonly name = 'CsvRecordTooLargeError';
}

export class CsvTokenizer {
  private buffer = '';
  private line = 1;
  private readonly delimiterCode: number;

  constructor(
    delimiter: string,
    /** A record longer than this means a quote that never closes. */
    private readonly maxRecordSize = 1024 * 1024,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Records completed by this chunk; an incomplete last record waits for the next chunk. */
  push(chunk: string): CsvRecord[] {
    this.buffer = this.buffer.length ? this.buffer + chunk : chunk;
    const records: CsvRecord[] = [];
    const consumed = this.scan(records, false);
    this.buffer = consumed < this.buffer.length ? this.buffer.slice(consumed) : '';
    if (this.buffer.length > this.maxRecordSize) {
      throw new CsvRecordTooLargeError(
        `a record starting on line ${this.line} is longer than ${this.maxRecordSize} characters: a quoted field never closes`,
      );
    }
    return records;
  }

  /** The last record, if the input did not end with a line break. */
  end(): CsvRecord[] {
    const records: CsvRecord[] = [];
    if (this.buffer.length) this.scan(records, true);
    this.buffer = '';
    return records;
  }

  /** Scan complete records from the buffer; returns how many characters were consumed. */
  private scan(out: CsvRecord[], final: boolean): number {
    const s = this.buffer;
    const n = s.length;
    const delim = this.delimiterCode;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      const startLine = this.line;
      let breaks = 0;
      const cells: string[] = [];
      let i = pos;
      let complete = false;
      let unterminated = false;
      for (;;) {
        // One field starting at i.
        if (i < n && s.charCodeAt(i) === QUOTE) {
          let value = '';
          let j = i + 1;
          let closed = false;
          for (;;) {
            const q = s.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(j, q + 1);
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) break; // an escaped quote may continue in the next chunk
            value += s.slice(j, q);
            j = q + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (!final) return start; // wait for more input
            value += s.slice(j);
            breaks += countBreaks(value);
            cells.push(value);
            unterminated = true;
            i = n;
            complete = true;
            break;
          }
          breaks += countBreaks(value);
          // Text after the closing quote up to the delimiter is kept, as registries write it.
          let k = j;
          while (k < n) {
            const c = s.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          if (k > j) value += s.slice(j, k);
          cells.push(value);
          i = k;
        } else {
          let k = i;
          while (k < n) {
            const c = s.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          cells.push(s.slice(i, k));
          i = k;
        }
        if (i >= n) {
          if (!final) return start;
          complete = true;
          break;
        }
        const c = s.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        // End of record: LF, CRLF or a lone CR.
        if (c === CR) {
          if (i + 1 >= n && !final) return start; // might be CR LF split across chunks
          i += i + 1 < n && s.charCodeAt(i + 1) === LF ? 2 : 1;
        } else i++;
        complete = true;
        breaks++;
        break;
      }
      if (!complete) return start;
      this.line = startLine + breaks;
      const record: CsvRecord = { cells, line: startLine };
      if (final && i >= n) {
        if (unterminated) record.unterminatedQuote = true;
        else if (!endsWithBreak(s)) record.noFinalNewline = true;
      }
      out.push(record);
      pos = i;
    }
    return pos;
  }
}

function countBreaks(value: string): number {
  if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return 0;
  let breaks = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === LF) breaks++;
    else if (c === CR) {
      breaks++;
      if (value.charCodeAt(i + 1) === LF) i++;
    }
  }
  return breaks;
}

function endsWithBreak(s: string): boolean {
  const c = s.charCodeAt(s.length - 1);
  return c === LF || c === CR;
}
