import type { EntityIdentifier, EntityName, ListRecord } from './list-record';

/**
 * The one JSON text of a record that is stored and hashed. Fields are written in a fixed order
 * and attribute names sorted, so the same record always gives the same text (and content hash)
 * whatever order an adapter filled it in, or a registry ordered its columns. Hand-written rather
 * than a generic sorted stringify: it runs once per row of exports with millions of rows.
 */
/** Characters JSON must escape; most registry values have none, and skip JSON.stringify. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

function str(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Attribute names come in the same few sets row after row: sort each set once. */
const sortedNames = new Map<string, string[]>();

function sortedAttributeNames(attributes: Record<string, string>): string[] {
  const names = Object.keys(attributes);
  const signature = names.join('\u0000');
  let sorted = sortedNames.get(signature);
  if (!sorted) {
    sorted = [...names].sort();
    if (sortedNames.size > 1000) sortedNames.clear();
    sortedNames.set(signature, sorted);
  }
  return sorted;
}

export function serializeListRecord(record: ListRecord): string {
  let out = `{"key":${str(record.key)},"entityType":${str(record.entityType)}`;
  if (record.listKind !== undefined) out += `,"listKind":${str(record.listKind)}`;
  if (record.programs !== undefined) out += `,"programs":${JSON.stringify(record.programs)}`;
  out += `,"names":[${record.names.map(serializeName).join(',')}]`;
  out += `,"identifiers":[${record.identifiers.map(serializeIdentifier).join(',')}]`;
  if (record.country !== undefined) out += `,"country":${str(record.country)}`;
  if (record.listedOn !== undefined) out += `,"listedOn":${str(record.listedOn)}`;
  if (record.reason !== undefined) out += `,"reason":${str(record.reason)}`;
  if (record.authority !== undefined) out += `,"authority":${str(record.authority)}`;
  if (record.delisting !== undefined) {
    const d = record.delisting;
    const parts: string[] = [];
    if (d.on !== undefined) parts.push(`"on":${str(d.on)}`);
    if (d.reason !== undefined) parts.push(`"reason":${str(d.reason)}`);
    if (d.authority !== undefined) parts.push(`"authority":${str(d.authority)}`);
    out += `,"delisting":{${parts.join(',')}}`;
  }
  let attributes = '';
  for (const name of sortedAttributeNames(record.attributes)) {
    const value = record.attributes[name];
    if (value === undefined) continue;
    attributes += `${attributes ? ',' : ''}${str(name)}:${str(value)}`;
  }
  out += `,"attributes":{${attributes}}`;
  return `${out}}`;
}

function serializeName(name: EntityName): string {
  return `{"value":${str(name.value)}${name.lang !== undefined ? `,"lang":${str(name.lang)}` : ''},"kind":${str(name.kind)}}`;
}

function serializeIdentifier(identifier: EntityIdentifier): string {
  return `{"scheme":${str(identifier.scheme)},"value":${str(identifier.value)}}`;
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
