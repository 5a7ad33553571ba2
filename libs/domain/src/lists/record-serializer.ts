import type { EntityIdentifier, EntityName, ListRecord } from './list-record';

/**
 * The one JSON text of a record that is stored and hashed. Fields are written in a fixed order
 * and attribute names sorted, so the same record always gives the same text (and content hash)
 * whatever order an adapter filled it in, or a registry ordered its columns. Hand-written rather
 * than a generic sorted stringify: it runs once per row of exports with millions of rows.
 */
export function serializeListRecord(record: ListRecord): string {
  let out = `{"key":${JSON.stringify(record.key)},"entityType":${JSON.stringify(record.entityType)}`;
  if (record.listKind !== undefined) out += `,"listKind":${JSON.stringify(record.listKind)}`;
  if (record.programs !== undefined) out += `,"programs":${JSON.stringify(record.programs)}`;
  out += `,"names":[${record.names.map(serializeName).join(',')}]`;
  out += `,"identifiers":[${record.identifiers.map(serializeIdentifier).join(',')}]`;
  if (record.country !== undefined) out += `,"country":${JSON.stringify(record.country)}`;
  if (record.listedOn !== undefined) out += `,"listedOn":${JSON.stringify(record.listedOn)}`;
  if (record.reason !== undefined) out += `,"reason":${JSON.stringify(record.reason)}`;
  if (record.authority !== undefined) out += `,"authority":${JSON.stringify(record.authority)}`;
  if (record.delisting !== undefined) {
    const d = record.delisting;
    const parts: string[] = [];
    if (d.on !== undefined) parts.push(`"on":${JSON.stringify(d.on)}`);
    if (d.reason !== undefined) parts.push(`"reason":${JSON.stringify(d.reason)}`);
    if (d.authority !== undefined) parts.push(`"authority":${JSON.stringify(d.authority)}`);
    out += `,"delisting":{${parts.join(',')}}`;
  }
  const names = Object.keys(record.attributes).sort();
  out += `,"attributes":{${names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(record.attributes[n])}`).join(',')}}`;
  return `${out}}`;
}

function serializeName(name: EntityName): string {
  return `{"value":${JSON.stringify(name.value)}${name.lang !== undefined ? `,"lang":${JSON.stringify(name.lang)}` : ''},"kind":${JSON.stringify(name.kind)}}`;
}

function serializeIdentifier(identifier: EntityIdentifier): string {
  return `{"scheme":${JSON.stringify(identifier.scheme)},"value":${JSON.stringify(identifier.value)}}`;
}

/** Separators of the identifiers column of staged rows: unit separator within a pair, record separator between. */
export const IDENTIFIER_PAIR_SEPARATOR = '\u001f';
export const IDENTIFIER_LIST_SEPARATOR = '\u001e';

/** "scheme<US>value<RS>scheme<US>value": what the diff inserts into list_entry_identifier, without parsing JSON. */
export function encodeIdentifiers(identifiers: readonly EntityIdentifier[]): string {
  let out = '';
  for (const { scheme, value } of identifiers) {
    if (!value) continue;
    if (out) out += IDENTIFIER_LIST_SEPARATOR;
    out += scheme + IDENTIFIER_PAIR_SEPARATOR + value;
  }
  return out;
}
