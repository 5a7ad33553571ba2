import type { Readable } from 'node:stream';
import type { ListKind, ListRecord, RowError } from '@partnerwatch/domain';

/**
 * One parsed item: a record, the reason one row could not become a record (the parse goes on), or
 * in a delta plan the removal of an entry by key.
 */
export type ParseItem = { record: ListRecord } | { error: RowError } | { remove: string };

/** One file a poll downloads. The first resource of a plan is the main one. */
export interface SourceResource {
  /** Name the parser opens it by ('main' for the source's own URL). */
  name: string;
  url: string;
}

/**
 * What one poll downloads. Most sources are one full export at the source's URL; some need
 * several files (OFAC's sdn/alt/add/comments set) or publish deltas against a version
 * (OpenSanctions), which the adapter works out from a small index document.
 */
export interface FetchPlan {
  /** 'full': the resources are the whole list; 'delta': they change only the entries they name. */
  mode: 'full' | 'delta';
  resources: SourceResource[];
  /** Saved once the snapshot is applied and handed to the next plan (e.g. the last delta version). */
  cursor?: string;
}

export interface PlanContext<S> {
  url: string;
  settings: S;
  /** The cursor of the last applied snapshot, or null before the first. */
  cursor: string | null;
  signal: AbortSignal;
  /** Fetch a small JSON document (a catalog, a delta index) through the same guarded fetcher. */
  fetchJson(url: string): Promise<unknown>;
}

export interface ParseContext<S> {
  settings: S;
  signal: AbortSignal;
  /** The plan's resources by name; `open(name)` gives a new stream of that file each call. */
  resourceNames: readonly string[];
  open(name: string): Readable;
}

/** Turns one registry format's raw export bytes into domain records; no database, no queues. */
export interface SourceAdapter<S = unknown> {
  /** Stable id stored on the source row, e.g. 'cn-abnormal-operations'. */
  readonly id: string;
  readonly description: string;
  /** The list kind a source of this format usually has; records may override it (CSL). */
  readonly defaultListKind?: ListKind;
  /** Validate the source's settings JSON; throw SourceSettingsError with a clear message naming the field. */
  parseSettings(settings: unknown): S;
  /** What to download. Without it: the source's URL alone, as a full export. */
  plan?(context: PlanContext<S>): Promise<FetchPlan>;
  /** Stream-parse the main resource (others through context.open). Never holds the whole export in memory. */
  parse(input: Readable, context: ParseContext<S>): AsyncIterable<ParseItem>;
}

/** The whole export is unusable (wrong columns, undecodable, truncated): retrying the same bytes cannot help. */
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

/** The plan of a source whose adapter has none: its URL, one full export. */
export function defaultPlan(url: string): FetchPlan {
  return { mode: 'full', resources: [{ name: 'main', url }] };
}

/**
 * A parse context over resources already in memory or on disk, for tests, benchmarks and tools
 * that call an adapter directly.
 */
export function staticParseContext<S>(
  settings: S,
  resources: Record<string, () => Readable> = {},
  signal: AbortSignal = new AbortController().signal,
): ParseContext<S> {
  return {
    settings,
    signal,
    resourceNames: Object.keys(resources),
    open(name: string): Readable {
      const open = resources[name];
      if (!open) throw new SourceFormatError(`this source has no resource named "${name}"`);
      return open();
    },
  };
}
