import {
  looksLikeUscc,
  normalizeIdentifierValue,
  normalizeUscc,
  type EntityIdentifier,
  type EntityName,
  type EntityType,
  type ListRecord,
} from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';

/**
 * One FollowTheMoney entity as OpenSanctions exports it (`entities.ftm.json`, one per line).
 * Property values are sets of strings in the FtM model; only `id`, `schema` and `properties` are
 * always there.
 */
export interface FtmEntity {
  id: string;
  schema: string;
  caption?: string;
  properties: Record<string, string[]>;
  datasets: string[];
  referents?: string[];
  first_seen?: string;
  last_seen?: string;
  last_change?: string;
  /** The entity is a list entry in its own right, not a helper (address, sanction, relation). */
  target?: boolean;
}

/** An FtM entity, or why the value is not one. */
export type FtmEntityResult = { entity: FtmEntity } | { problem: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

/** True for a space or control character at a value's edge. */
const isPadding = (code: number): boolean => code <= 0x20 || code === 0xa0 || code === 0x3000 || code === 0xfeff;

/**
 * A property's values: the published array itself when every value is a non-empty, trimmed string
 * (as OpenSanctions writes them), else a cleaned copy. Copying every array of every entity of a
 * multi-gigabyte export would cost more than the JSON parse.
 */
function propertyValues(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    let clean = true;
    for (const value of raw as unknown[]) {
      if (
        typeof value !== 'string' ||
        value.length === 0 ||
        isPadding(value.charCodeAt(0)) ||
        isPadding(value.charCodeAt(value.length - 1))
      ) {
        clean = false;
        break;
      }
    }
    if (clean) return raw as string[];
  }
  // Nested exports inline related entities as objects; the flat format holds strings only.
  return stringList(raw)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Narrow one parsed JSON line to an FtM entity. */
export function readFtmEntity(value: unknown): FtmEntityResult {
  if (!isObject(value)) return { problem: 'not an FtM entity: expected a JSON object' };
  if (typeof value.id !== 'string' || value.id.trim().length === 0) {
    return { problem: 'not an FtM entity: "id" is missing or empty' };
  }
  if (typeof value.schema !== 'string' || value.schema.length === 0) {
    return { problem: `FtM entity ${value.id}: "schema" is missing` };
  }
  if (value.properties !== undefined && !isObject(value.properties)) {
    return { problem: `FtM entity ${value.id}: "properties" is not an object` };
  }
  const properties: Record<string, string[]> = {};
  const published = value.properties ?? {};
  for (const name in published) {
    const values = propertyValues(published[name]);
    if (values.length > 0) properties[name] = values;
  }
  const entity: FtmEntity = {
    id: value.id.trim(),
    schema: value.schema,
    properties,
    datasets: stringList(value.datasets),
  };
  const caption = optionalString(value.caption)?.trim();
  if (caption) entity.caption = caption;
  if (Array.isArray(value.referents)) entity.referents = stringList(value.referents);
  const firstSeen = optionalString(value.first_seen);
  if (firstSeen) entity.first_seen = firstSeen;
  const lastSeen = optionalString(value.last_seen);
  if (lastSeen) entity.last_seen = lastSeen;
  const lastChange = optionalString(value.last_change);
  if (lastChange) entity.last_change = lastChange;
  if (typeof value.target === 'boolean') entity.target = value.target;
  return { entity };
}

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  Person: 'person',
  Company: 'organization',
  Organization: 'organization',
  LegalEntity: 'organization',
  PublicBody: 'organization',
  Vessel: 'vessel',
  Airplane: 'aircraft',
};

export function ftmEntityType(schema: string): EntityType {
  return ENTITY_TYPES[schema] ?? 'unknown';
}

/** FtM properties that carry identifiers, and the domain scheme each one is filed under. */
const IDENTIFIER_PROPERTIES: readonly (readonly [property: string, scheme: string])[] = [
  ['registrationNumber', 'registration'],
  ['taxNumber', 'tax'],
  ['leiCode', 'lei'],
  // Russian taxpayer number and primary state registration number.
  ['innCode', 'tax'],
  ['ogrnCode', 'registration'],
  ['vatCode', 'tax'],
  ['dunsCode', 'duns'],
  ['imoNumber', 'imo'],
  // No domain scheme of their own; 'other' still lets an exact value match.
  ['swiftBic', 'other'],
  ['idNumber', 'other'],
];

/**
 * Registration and tax numbers are where OpenSanctions puts a Chinese company's USCC. A person's
 * 18-character tax number is a resident identity number, which has the same alphabet and length but
 * is not a USCC, so only non-persons get the 'uscc' scheme.
 */
const USCC_CARRIERS = new Set(['registrationNumber', 'taxNumber']);

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
/**
 * Every block the three tests above can match (Hangul Jamo, CJK radicals to Hangul syllables,
 * compatibility ideographs and forms, half-width kana, and the surrogates of the supplementary
 * ideograph planes), as a plain character class: a cheap pre-check that clears Latin, Cyrillic
 * and Arabic names without the slower script-property scans.
 */
const MAYBE_CJK = /[\u1100-\u11ff\u2e80-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\ud82c\ud840-\ud8bf]/;

/** A language hint for CJK names, which screening compares without transliteration. */
export function detectNameLanguage(name: string): string | undefined {
  if (!MAYBE_CJK.test(name)) return undefined;
  // Kana and Hangul decide first: Japanese and Korean names may contain Han characters as well.
  if (KANA.test(name)) return 'ja';
  if (HANGUL.test(name)) return 'ko';
  if (HAN.test(name)) return 'zh';
  return undefined;
}

/** Name-like properties after `name`; all are aliases. `weakAlias` holds short or partial names. */
const ALIAS_PROPERTIES = ['alias', 'previousName', 'weakAlias'] as const;

// FtM property values are sets whose order is not stable between exports: everything built from
// them is sorted, or an unchanged entity would hash differently and be reported as modified.
const sorted = (values: readonly string[]): string[] => [...values].sort();

function names(entity: FtmEntity): EntityName[] {
  const nameValues = entity.properties.name ?? [];
  // The caption is the publisher's display name, chosen from the names; it is stable where the
  // order of `name` is not.
  const primary = entity.caption ?? nameValues[0];
  const result: EntityName[] = [];
  const seen = new Set<string>();
  const add = (value: string, kind: EntityName['kind']): void => {
    if (seen.has(value)) return;
    seen.add(value);
    const lang = detectNameLanguage(value);
    result.push(lang ? { value, lang, kind } : { value, kind });
  };
  if (primary) add(primary, 'primary');
  for (const value of sorted(nameValues)) add(value, 'alias');
  for (const property of ALIAS_PROPERTIES) {
    for (const value of sorted(entity.properties[property] ?? [])) add(value, 'alias');
  }
  return result;
}

function identifiers(entity: FtmEntity): EntityIdentifier[] {
  const isPerson = entity.schema === 'Person';
  const result: EntityIdentifier[] = [];
  const seen = new Set<string>();
  for (const [property, scheme] of IDENTIFIER_PROPERTIES) {
    for (const raw of entity.properties[property] ?? []) {
      const identifier: EntityIdentifier =
        !isPerson && USCC_CARRIERS.has(property) && looksLikeUscc(raw)
          ? { scheme: 'uscc', value: normalizeUscc(raw) }
          : { scheme, value: normalizeIdentifierValue(scheme, raw) };
      if (identifier.value.length === 0) continue;
      const id = `${identifier.scheme}\u001f${identifier.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      result.push(identifier);
    }
  }
  return result.sort((a, b) => (a.scheme === b.scheme ? compare(a.value, b.value) : compare(a.scheme, b.scheme)));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function country(entity: FtmEntity): string | undefined {
  for (const property of ['country', 'jurisdiction', 'nationality']) {
    const values = entity.properties[property];
    // Several countries are kept in attributes; the typed field takes the lowest code for stability.
    if (values && values.length > 0) return sorted(values)[0]!.toUpperCase();
  }
  return undefined;
}

function programs(entity: FtmEntity): string[] | undefined {
  for (const property of ['programId', 'program', 'topics']) {
    const values = entity.properties[property];
    if (values && values.length > 0) return sorted([...new Set(values)]);
  }
  return undefined;
}

/** The earliest full date among the values (FtM dates may be partial: '2022' or '2022-06'). */
function earliestDate(values: readonly string[] | undefined): string | undefined {
  let earliest: string | undefined;
  for (const value of values ?? []) {
    const date = value.length >= 10 ? parseRegistryDate(value.slice(0, 10)) : undefined;
    if (date && (earliest === undefined || date < earliest)) earliest = date;
  }
  return earliest;
}

function listedOn(entity: FtmEntity): string | undefined {
  // The authority's own dates first; first_seen is only when OpenSanctions first saw the entry.
  return (
    earliestDate(entity.properties.createdAt) ??
    earliestDate(entity.properties.startDate) ??
    earliestDate(entity.first_seen ? [entity.first_seen] : undefined)
  );
}

function joined(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? sorted(values).join('; ') : undefined;
}

/**
 * The properties as published, arrays joined with '; ', plus schema and datasets. Export-run
 * fields (last_seen, referents) are left out: last_seen moves on every run and would make every
 * entry look modified.
 */
function attributes(entity: FtmEntity): Record<string, string> {
  const result: Record<string, string> = {};
  for (const property of Object.keys(entity.properties).sort()) {
    const value = joined(entity.properties[property]);
    if (value !== undefined) result[property] = value;
  }
  result.schema = entity.schema;
  const datasets = joined(entity.datasets);
  if (datasets !== undefined) result.datasets = datasets;
  return result;
}

/** An FtM entity as a list record, or why it cannot be one (no name). */
export function ftmEntityToRecord(entity: FtmEntity): { record: ListRecord } | { problem: string } {
  const entityNames = names(entity);
  if (entityNames.length === 0) return { problem: `FtM entity ${entity.id} (${entity.schema}) has no name` };
  const record: ListRecord = {
    key: entity.id,
    entityType: ftmEntityType(entity.schema),
    names: entityNames,
    identifiers: identifiers(entity),
    attributes: attributes(entity),
  };
  const entityPrograms = programs(entity);
  if (entityPrograms) record.programs = entityPrograms;
  const entityCountry = country(entity);
  if (entityCountry) record.country = entityCountry;
  const date = listedOn(entity);
  if (date) record.listedOn = date;
  const reason = joined(entity.properties.notes) ?? joined(entity.properties.summary);
  if (reason) record.reason = reason;
  const authority = joined(entity.datasets);
  if (authority) record.authority = authority;
  return { record };
}
