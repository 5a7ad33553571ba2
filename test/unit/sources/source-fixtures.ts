import { Readable } from 'node:stream';
import { usccCheckCharacter, type ListRecord, type RowError } from '@partnerwatch/domain';
import type { ParseItem } from '@partnerwatch/sources';

/** A valid USCC built from its first 17 characters. */
export function uscc(first17: string): string {
  const check = usccCheckCharacter(first17);
  if (!check) throw new Error(`bad USCC prefix ${first17}`);
  return first17 + check;
}

/** The bytes as a stream of `size`-byte chunks, to exercise characters cut at chunk boundaries. */
export function chunked(bytes: Buffer, size = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function readText(stream: AsyncIterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** A delimited table; cells holding the delimiter, quotes or line breaks are quoted. */
export function table(rows: readonly (readonly string[])[], delimiter = ',', eol = '\n'): string {
  const cell = (value: string): string =>
    value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return rows.map((row) => row.map(cell).join(delimiter)).join(eol) + eol;
}

export function records(items: ParseItem[]): ListRecord[] {
  return items.flatMap((item) => ('record' in item ? [item.record] : []));
}

export function errors(items: ParseItem[]): RowError[] {
  return items.flatMap((item) => ('error' in item ? [item.error] : []));
}
