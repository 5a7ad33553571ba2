import {
  identityKey,
  looksLikeUscc,
  normalizeIdentifierValue,
  normalizeUscc,
  validateUscc,
  type EntityIdentifier,
  type EntityName,
  type EntityType,
  type IdentifierScheme,
  type ListRecord,
} from '@partnerwatch/domain';
import { presentValue } from '../cn-credit-lists/cn-credit-record.mapper';
import { identifiersInText } from '../common/identifiers-in-text';
import { parseRegistryDate } from '../common/registry-date';
import type { ParseItem } from '../source-adapter';
import { nameLanguageHint } from '../xml/listed-names';
import { customCountryCode, type CustomSourceSettings, type CustomValueSource } from './custom-source.settings';

/** One published row, object or element, read through the field names the settings use. */
export interface CustomSourceRow {
  /** The field's values, trimmed, empty ones left out: one for a cell, several for a JSON array or repeated elements. */
  values(field: string): string[];
  /** Whether the record has the field at all, even empty: tells a wrong mapping from an empty cell. */
  has(field: string): boolean;
  /** Every field as published, for the record's attributes. */
  attributes(): Record<string, string>;
}

/** Cells that hold several names or codes separate them with (full- or half-width) semicolons. */
const LIST_SEPARATOR = /\s*[;；]\s*/;
/** A USCC already in normal form: most codes are published that way, and the test is cheaper than normalising. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
/** JSON APIs (gsxt, Credit China) publish dates as epoch milliseconds; 12-13 digits is 1973-2286. */
const EPOCH_MILLIS = /^\d{12,13}$/;
const CHINA_OFFSET_MS = 8 * 3600_000;

const ENTITY_TYPE_WORDS: Readonly<Record<string, EntityType>> = {
  organization: 'organization',
  organisation: 'organization',
  entity: 'organization',
  company: 'organization',
  enterprise: 'organization',
  企业: 'organization',
  公司: 'organization',
  法人: 'organization',
  单位: 'organization',
  组织: 'organization',
  机构: 'organization',
  // A 个体工商户 is a registered business with its own USCC (prefix 92), listed like a company.
  个体工商户: 'organization',
  person: 'person',
  individual: 'person',
  'natural person': 'person',
  自然人: 'person',
  个人: 'person',
  vessel: 'vessel',
  ship: 'vessel',
  船舶: 'vessel',
  aircraft: 'aircraft',
  航空器: 'aircraft',
  飞机: 'aircraft',
};

/**
 * Map one row with the declarative mapping. A row without a name, with a date that is not a date,
 * or with every key field empty becomes a row error (the parse goes on); everything else the
 * registry published is kept in `attributes`.
 */
export function mapCustomRow(
  settings: CustomSourceSettings,
  row: CustomSourceRow,
  rowNumber: number,
  /** Appended to error messages to point into the file, e.g. " (line 17)". */
  where = '',
): ParseItem {
  const f = settings.fields;
  const problems: string[] = [];

  const names: EntityName[] = [];
  const addName = (raw: string, kind: EntityName['kind'], lang: string | undefined): void => {
    const value = collapse(raw);
    if (!value || names.some((n) => n.value === value)) return;
    names.push(lang ? { value, lang, kind } : { value, kind });
  };
  for (const field of f.name) {
    for (const value of presentValues(row, field)) {
      if (names.length === 0) addName(value, 'primary', f.nameLang ?? nameLanguageHint(value));
      else addName(value, 'alias', nameLanguageHint(value));
    }
  }
  if (names.length === 0) problems.push(`${f.name.join(', ')} ${f.name.length > 1 ? 'are' : 'is'} empty`);
  for (const field of f.aliases) {
    for (const value of presentValues(row, field)) {
      for (const alias of splitList(value)) addName(alias, 'alias', nameLanguageHint(alias));
    }
  }

  const identifiers: EntityIdentifier[] = [];
  const addIdentifier = (identifier: EntityIdentifier | undefined): void => {
    if (!identifier || identifier.value.length === 0) return;
    if (!identifiers.some((i) => i.scheme === identifier.scheme && i.value === identifier.value)) {
      identifiers.push(identifier);
    }
  };
  for (const mapping of f.identifiers) {
    if ('fromText' in mapping) {
      for (const text of presentValues(row, mapping.fromText)) identifiersInText(text).forEach(addIdentifier);
      continue;
    }
    for (const value of presentValues(row, mapping.field)) {
      for (const code of splitList(value)) addIdentifier(customIdentifier(mapping.scheme, code));
    }
  }

  const date = (fields: readonly string[]): string | undefined => {
    const found = firstValue(row, fields);
    if (!found) return undefined;
    const iso = parseCustomDate(found.value);
    if (!iso) problems.push(`${found.field} "${found.value}" is not a date`);
    return iso;
  };
  const listedOn = date(f.listedOn);
  const delistedOn = date(f.delistedOn);

  const keyParts = settings.key.map((field) => row.values(field).join('; '));
  if (keyParts.every((part) => part.length === 0)) {
    problems.push(
      `the key ${settings.key.length > 1 ? 'fields' : 'field'} ${settings.key.join(', ')} ${settings.key.length > 1 ? 'are' : 'is'} empty`,
    );
  }

  if (problems.length > 0) return { error: { row: rowNumber, message: problems.join('; ') + where } };

  const record: ListRecord = {
    key: identityKey(keyParts),
    entityType: entityTypeOf(row, f.entityType),
    names,
    identifiers,
    attributes: row.attributes(),
  };
  if (settings.listKind) record.listKind = settings.listKind;
  const programs = f.programs ? programsOf(row, f.programs) : [];
  if (programs.length > 0) record.programs = programs;
  const country = f.country ? countryOf(row, f.country) : undefined;
  if (country) record.country = country;
  if (listedOn) record.listedOn = listedOn;
  const reason = text(row, f.reason);
  if (reason) record.reason = reason;
  const authority = text(row, f.authority);
  if (authority) record.authority = authority;
  const delistingReason = text(row, f.delistingReason);
  const delistingAuthority = text(row, f.delistingAuthority);
  if (delistedOn || delistingReason || delistingAuthority) {
    record.delisting = {};
    if (delistedOn) record.delisting.on = delistedOn;
    if (delistingReason) record.delisting.reason = delistingReason;
    if (delistingAuthority) record.delisting.authority = delistingAuthority;
  }
  return { record };
}

/**
 * A code under its configured scheme, normalised. A value in a `uscc` field without the USCC shape
 * (an old 15-digit 注册号 left in the column) is a registration number, never a USCC that cannot
 * match. A registration or tax number that is a USCC with a valid check character is filed as the
 * USCC it is: since 2015 the 纳税人识别号 and 注册号 of a Chinese company are its USCC.
 */
export function customIdentifier(scheme: IdentifierScheme, raw: string): EntityIdentifier | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (USCC_SHAPE.test(value)) {
    if (scheme === 'uscc' || ((scheme === 'registration' || scheme === 'tax') && validateUscc(value).ok)) {
      return { scheme: 'uscc', value };
    }
  }
  if (scheme === 'uscc') {
    return looksLikeUscc(value)
      ? { scheme: 'uscc', value: normalizeUscc(value) }
      : { scheme: 'registration', value: normalizeIdentifierValue('registration', value) };
  }
  if ((scheme === 'registration' || scheme === 'tax') && looksLikeUscc(value) && validateUscc(value).ok) {
    return { scheme: 'uscc', value: normalizeUscc(value) };
  }
  return { scheme, value: normalizeIdentifierValue(scheme, value) };
}

/** A registry date as an ISO date, or epoch milliseconds as the China local date they fall on. */
export function parseCustomDate(value: string): string | undefined {
  const iso = parseRegistryDate(value);
  if (iso || !EPOCH_MILLIS.test(value)) return iso;
  return parseRegistryDate(new Date(Number(value) + CHINA_OFFSET_MS).toISOString().slice(0, 10));
}

/** The parts of a cell holding several values; the common single value without a regex split. */
function splitList(value: string): string[] {
  return value.includes(';') || value.includes('；') ? value.split(LIST_SEPARATOR) : [value];
}

function presentValues(row: CustomSourceRow, field: string): string[] {
  const out: string[] = [];
  for (const raw of row.values(field)) {
    const value = presentValue(raw);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** The first of the fields with a value; several values of that field are joined. */
function firstValue(row: CustomSourceRow, fields: readonly string[]): { field: string; value: string } | undefined {
  for (const field of fields) {
    const values = presentValues(row, field);
    if (values.length > 0) return { field, value: values.join('; ') };
  }
  return undefined;
}

function text(row: CustomSourceRow, source: CustomValueSource | undefined): string | undefined {
  if (!source) return undefined;
  if ('value' in source) return source.value;
  return firstValue(row, source.fields)?.value;
}

function programsOf(row: CustomSourceRow, source: CustomValueSource): string[] {
  if ('value' in source) return [source.value];
  const programs: string[] = [];
  for (const field of source.fields) {
    for (const value of presentValues(row, field)) {
      for (const program of splitList(value)) {
        const clean = collapse(program);
        if (clean && !programs.includes(clean)) programs.push(clean);
      }
    }
  }
  return programs;
}

function countryOf(row: CustomSourceRow, source: CustomValueSource): string | undefined {
  if ('value' in source) return source.value;
  const found = firstValue(row, source.fields);
  return found ? customCountryCode(found.value) : undefined;
}

function entityTypeOf(row: CustomSourceRow, source: CustomSourceSettings['fields']['entityType']): EntityType {
  if (!source) return 'unknown';
  if ('value' in source) return source.value;
  const found = firstValue(row, source.fields);
  if (!found) return 'unknown';
  return ENTITY_TYPE_WORDS[collapse(found.value).toLowerCase()] ?? 'unknown';
}

/** Line breaks and runs of spaces (quoted cells and pretty-printed XML carry both) as single spaces. */
function collapse(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
