import type { Readable } from 'node:stream';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { ftmEntityToRecord, readFtmEntity, type FtmEntity } from './ftm-entity.mapper';
import { readJsonLines, type JsonLineItem } from './json-lines.reader';
import { OPENSANCTIONS_FTM_ID, type OpenSanctionsSettings } from './opensanctions-settings';
import { OPENSANCTIONS_DELTA_PREFIX } from './opensanctions.planner';

export type FtmDeltaOp = 'ADD' | 'MOD' | 'DEL';
const DELTA_OPS: readonly string[] = ['ADD', 'MOD', 'DEL'] satisfies FtmDeltaOp[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineError(item: Extract<JsonLineItem, { error: string }>, file: string | undefined): ParseItem {
  const message = file ? `${file}: ${item.error}` : item.error;
  return { error: item.truncated ? { row: item.line, message, truncated: true } : { row: item.line, message } };
}

/** One entity as a parse item; undefined for a helper entity that is not a list entry. */
function entityItem(
  entity: FtmEntity,
  settings: OpenSanctionsSettings,
  row: number,
  file?: string,
): ParseItem | undefined {
  if (settings.targetsOnly && entity.target !== true) return undefined;
  const mapped = ftmEntityToRecord(entity);
  if ('record' in mapped) return mapped;
  return {
    error: { row, message: file ? `${file}: line ${row}: ${mapped.problem}` : `line ${row}: ${mapped.problem}` },
  };
}

/** A whole `entities.ftm.json`: one FtM entity per line. */
async function* parseEntities(
  input: Readable,
  context: ParseContext<OpenSanctionsSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  let lines = 0;
  for await (const line of readJsonLines(input, { signal })) {
    lines++;
    if ('error' in line) {
      yield lineError(line, undefined);
      continue;
    }
    const read = readFtmEntity(line.value);
    if ('problem' in read) {
      const hint = isObject(line.value) && 'op' in line.value ? ' (a delta operation in a full export?)' : '';
      yield { error: { row: line.line, message: `line ${line.line}: ${read.problem}${hint}` } };
      continue;
    }
    const item = entityItem(read.entity, settings, line.line);
    if (item) yield item;
  }
  // As a full export, an empty file would remove every entry: it is a failed download, not a list.
  if (lines === 0) throw new SourceFormatError(`${OPENSANCTIONS_FTM_ID}: the export is empty: no entities`);
}

/**
 * One `entities.delta.json`: lines of `{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`. A DEL carries
 * only the entity's id.
 */
async function* parseDeltaFile(
  input: Readable,
  file: string,
  context: ParseContext<OpenSanctionsSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  for await (const line of readJsonLines(input, { signal })) {
    if ('error' in line) {
      yield lineError(line, file);
      continue;
    }
    const row = line.line;
    const value = line.value;
    const fail = (problem: string): ParseItem => ({ error: { row, message: `${file}: line ${row}: ${problem}` } });
    if (!isObject(value) || typeof value.op !== 'string' || !isObject(value.entity)) {
      yield fail('not a delta operation: expected {"op": ..., "entity": {...}}');
      continue;
    }
    if (!DELTA_OPS.includes(value.op)) {
      yield fail(`unknown delta operation "${value.op}" (expected ADD, MOD or DEL)`);
      continue;
    }
    if (value.op === 'DEL') {
      const id = value.entity.id;
      if (typeof id !== 'string' || id.trim().length === 0) yield fail('DEL without an entity id');
      else yield { remove: id.trim() };
      continue;
    }
    const read = readFtmEntity(value.entity);
    if ('problem' in read) {
      yield fail(read.problem);
      continue;
    }
    // An entity that is (no longer) a target is not a list entry: if it was one, it is now removed.
    // Removing a key that was never an entry changes nothing.
    const item = entityItem(read.entity, settings, row, file) ?? { remove: read.entity.id };
    yield item;
  }
}

/**
 * Parse an OpenSanctions source: the whole `entities.ftm.json`, or in a delta plan every
 * `delta-<version>` resource in plan order (oldest first). Items are yielded in file order; when a
 * key appears more than once the pipeline keeps its last item, so later operations win.
 */
export async function* parseOpenSanctions(
  input: Readable,
  context: ParseContext<OpenSanctionsSettings>,
): AsyncGenerator<ParseItem> {
  context.signal.throwIfAborted();
  const names = context.resourceNames;
  const deltas = names.filter((name) => name.startsWith(OPENSANCTIONS_DELTA_PREFIX));
  if (deltas.length === 0) {
    yield* parseEntities(input, context);
    return;
  }
  if (deltas.length !== names.length) {
    input.destroy();
    throw new SourceFormatError(
      `${OPENSANCTIONS_FTM_ID}: a plan mixes delta and full resources (${names.join(', ')}); it must be one or the other`,
    );
  }
  // `input` is the first resource; the others are opened one at a time so only one is read at once.
  for (const [position, name] of deltas.entries()) {
    const stream = position === 0 ? input : context.open(name);
    yield* parseDeltaFile(stream, name, context);
  }
}
