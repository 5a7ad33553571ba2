import type { Readable } from 'node:stream';
import type { ListRecord, RowError } from '@partnerwatch/domain';

/** One parsed row: a record, or the reason that row could not become one (the parse goes on). */
export type ParseItem = { record: ListRecord } | { error: RowError };

export interface ParseContext<S> {
  settings: S;
  signal: AbortSignal;
}

/** Turns one registry format's raw export bytes into domain records; no database, no queues. */
export interface SourceAdapter<S = unknown> {
  /** Stable id stored on the source row, e.g. 'cn-abnormal-operations'. */
  readonly id: string;
  readonly description: string;
  /** Validate the source's settings JSON; throw SourceSettingsError with a clear message naming the field. */
  parseSettings(settings: unknown): S;
  /** Stream-parse the raw export bytes into records. Never holds the whole file in memory. */
  parse(input: NodeJS.ReadableStream | Readable, context: ParseContext<S>): AsyncIterable<ParseItem>;
}

/** The whole export is unusable (wrong columns, undecodable): retrying the same bytes cannot help. */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
}

/** The source's settings JSON is invalid: a configuration mistake, not a registry problem. */
export class SourceSettingsError extends Error {
  override readonly name = 'SourceSettingsError';
}

export function isRecordItem(item: ParseItem): item is { record: ListRecord } {
  return 'record' in item;
}
