import {
  IDENTIFIER_SCHEMES,
  isListKind,
  LIST_KINDS,
  type EntityType,
  type IdentifierScheme,
  type ListKind,
} from '@partnerwatch/domain';
import { SourceSettingsError } from '../source-adapter';
import { normalizeEncodingSetting, type TextEncodingSetting } from '../tabular/decode';
import { isoCountryCode } from '../xml/country-codes';

export const CUSTOM_SOURCE_ID = 'custom';

export const CUSTOM_FORMATS = ['csv', 'tsv', 'xlsx', 'json', 'jsonl', 'xml'] as const;
export type CustomFormat = (typeof CUSTOM_FORMATS)[number];

export const CUSTOM_ENTITY_TYPES: readonly EntityType[] = ['organization', 'person', 'vessel', 'aircraft', 'unknown'];

/** Where a text target comes from: source fields (the first with a value wins) or one constant for every record. */
export type CustomValueSource = { fields: string[] } | { value: string };

export type CustomIdentifierMapping = { scheme: IdentifierScheme; field: string } | { fromText: string };

export interface CustomFieldMapping {
  /** The first of these fields with a value is the primary name; values of the others become aliases. */
  name: string[];
  /** Every value of these fields is an alias (a cell holding several is split at semicolons). */
  aliases: string[];
  /** Language of the primary name; without it, the script decides ('zh' for Han characters). */
  nameLang?: string;
  identifiers: CustomIdentifierMapping[];
  listedOn: string[];
  delistedOn: string[];
  reason?: CustomValueSource;
  authority?: CustomValueSource;
  delistingReason?: CustomValueSource;
  delistingAuthority?: CustomValueSource;
  programs?: CustomValueSource;
  /** A constant is stored as its ISO 3166-1 alpha-2 code. */
  country?: CustomValueSource;
  entityType?: { fields: string[] } | { value: EntityType };
}

export interface CustomSourceSettings {
  format: CustomFormat;
  /** Text formats; 'gbk' is stored as 'gb18030', its superset. XLSX ignores it (always 'auto'). */
  encoding: TextEncodingSetting;
  /** XLSX: the worksheet's tab name; the first worksheet without it. */
  sheet?: string;
  /** CSV/TSV/XLSX: 1-based line (CSV) or worksheet row (XLSX) of the header; found automatically without it. */
  headerRow?: number;
  /** JSON: dot-separated keys to the record array ('' = the document is the array). XML: the record element's path. */
  recordPath?: string;
  fields: CustomFieldMapping;
  /** Source fields whose values make the entry key. */
  key: string[];
  /** Set on every record; the source's own list kind applies without it. */
  listKind?: ListKind;
}

/** A source field the settings name, with the setting that names it (for header checks and messages). */
export interface CustomFieldReference {
  field: string;
  setting: string;
}

const SETTINGS_KEYS = ['format', 'encoding', 'sheet', 'headerRow', 'recordPath', 'fields', 'key', 'listKind'] as const;
const FIELD_KEYS = [
  'name',
  'aliases',
  'nameLang',
  'identifiers',
  'listedOn',
  'reason',
  'authority',
  'country',
  'entityType',
  'delistedOn',
  'delistingReason',
  'delistingAuthority',
  'programs',
] as const;
const TEXT_TARGETS = ['reason', 'authority', 'delistingReason', 'delistingAuthority', 'programs', 'country'] as const;
const TABLE_FORMATS: readonly CustomFormat[] = ['csv', 'tsv', 'xlsx'];
const MAX_FIELD_LENGTH = 256;
/** Generous for any real export; a bound keeps a pasted blob from becoming thousands of lookups per row. */
const MAX_LIST_LENGTH = 50;
const MAX_HEADER_ROW = 1000;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** XML field: element names separated by '/', optionally ending in an attribute ('@id', 'ids/id/@type', 'ids/id@type'). */
const XML_FIELD = /^(?:(?:\.|[^\s/@]+)(?:\/(?:\.|[^\s/@]+))*)?(?:\/?@[^\s/@]+)?$/;
const XML_RECORD_PATH = /^(?:\/\/[^\s/@]+|\/?[^\s/@]+(?:\/[^\s/@]+)*)$/;

/**
 * Validate a declarative source's settings. Every problem names the setting's full path
 * (`settings.fields.identifiers[1].scheme`), and unknown keys are rejected with the known ones, so a
 * typo ("recordpath", "listedon") fails when the source is saved instead of mapping nothing at poll time.
 */
export function parseCustomSourceSettings(settings: unknown): CustomSourceSettings {
  const root = objectAt(settings, 'settings');
  rejectUnknownKeys(root, SETTINGS_KEYS, 'settings');

  const format = root.format;
  if (typeof format !== 'string' || !(CUSTOM_FORMATS as readonly string[]).includes(format)) {
    throw fail('settings.format', `must be one of ${CUSTOM_FORMATS.join(', ')}`, format);
  }
  const fmt = format as CustomFormat;
  const isTable = TABLE_FORMATS.includes(fmt);

  let encoding: TextEncodingSetting = 'auto';
  if (root.encoding !== undefined) {
    const parsed = typeof root.encoding === 'string' ? normalizeEncodingSetting(root.encoding) : undefined;
    if (!parsed) throw fail('settings.encoding', 'must be one of auto, utf-8, gb18030, gbk', root.encoding);
    // A workbook's text is always UTF-8 XML inside the zip; a specific encoding there is a misunderstanding.
    if (fmt === 'xlsx' && parsed !== 'auto') {
      throw new SourceSettingsError(
        'settings.encoding does not apply to xlsx (a workbook is always Unicode); leave it out',
      );
    }
    encoding = parsed;
  }

  const result: CustomSourceSettings = {
    format: fmt,
    encoding,
    fields: { name: [], aliases: [], identifiers: [], listedOn: [], delistedOn: [] },
    key: [],
  };

  if (root.sheet !== undefined) {
    if (fmt !== 'xlsx') throw new SourceSettingsError(`settings.sheet applies only to xlsx, not ${fmt}`);
    if (typeof root.sheet !== 'string' || root.sheet.trim() === '') {
      throw fail('settings.sheet', "must be the worksheet's tab name", root.sheet);
    }
    result.sheet = root.sheet.trim();
  }

  if (root.headerRow !== undefined) {
    if (!isTable) throw new SourceSettingsError(`settings.headerRow applies only to csv, tsv and xlsx, not ${fmt}`);
    const row = root.headerRow;
    if (typeof row !== 'number' || !Number.isInteger(row) || row < 1 || row > MAX_HEADER_ROW) {
      throw fail(
        'settings.headerRow',
        `must be a whole number from 1 to ${MAX_HEADER_ROW} (the 1-based row of the header)`,
        row,
      );
    }
    result.headerRow = row;
  }

  if (fmt === 'json' || fmt === 'xml') {
    if (root.recordPath === undefined) {
      throw new SourceSettingsError(
        fmt === 'json'
          ? 'settings.recordPath is required for json and xml: the dot-separated keys of the record array, e.g. "data.list" ("" for a top-level array)'
          : 'settings.recordPath is required for json and xml: the record element, e.g. "list/item" (from the root) or "item" (anywhere)',
      );
    }
    result.recordPath = recordPathFor(fmt, root.recordPath);
  } else if (root.recordPath !== undefined) {
    throw new SourceSettingsError(`settings.recordPath applies only to json and xml, not ${fmt}`);
  }

  result.fields = parseFields(root.fields, fmt);

  if (root.key !== undefined) {
    const key = typeof root.key === 'string' ? [root.key] : root.key;
    if (!Array.isArray(key) || key.length === 0) {
      throw fail('settings.key', 'must be a field name or a non-empty array of field names', root.key);
    }
    result.key = fieldList(key, 'settings.key', fmt);
  } else {
    result.key = defaultKeyFields(result.fields);
  }

  if (root.listKind !== undefined) {
    if (!isListKind(root.listKind))
      throw fail('settings.listKind', `must be one of ${LIST_KINDS.join(', ')}`, root.listKind);
    result.listKind = root.listKind;
  }
  return result;
}

/**
 * The identity a registry gives an entry when it publishes no id: its codes, the listing date and
 * the name. Free-text identifier fields are left out: remarks get reworded without the listing changing.
 */
function defaultKeyFields(fields: CustomFieldMapping): string[] {
  const key: string[] = [];
  const add = (field: string): void => {
    if (!key.includes(field)) key.push(field);
  };
  for (const identifier of fields.identifiers) if ('field' in identifier) add(identifier.field);
  for (const field of fields.listedOn) add(field);
  for (const field of fields.name) add(field);
  return key;
}

/** Every source field the settings name, in settings order, each once. */
export function customFieldReferences(settings: CustomSourceSettings): CustomFieldReference[] {
  const refs: CustomFieldReference[] = [];
  const add = (field: string, setting: string): void => {
    if (!refs.some((r) => r.field === field)) refs.push({ field, setting });
  };
  const f = settings.fields;
  const many = (fields: readonly string[], setting: string): void => {
    fields.forEach((field, i) => add(field, fields.length > 1 ? `${setting}[${i}]` : setting));
  };
  many(f.name, 'settings.fields.name');
  many(f.aliases, 'settings.fields.aliases');
  f.identifiers.forEach((identifier, i) => {
    if ('field' in identifier) add(identifier.field, `settings.fields.identifiers[${i}].field`);
    else add(identifier.fromText, `settings.fields.identifiers[${i}].fromText`);
  });
  many(f.listedOn, 'settings.fields.listedOn');
  many(f.delistedOn, 'settings.fields.delistedOn');
  for (const target of [...TEXT_TARGETS, 'entityType'] as const) {
    const source = f[target];
    if (source && 'fields' in source) many(source.fields, `settings.fields.${target}`);
  }
  settings.key.forEach((field, i) => add(field, `settings.key[${i}]`));
  return refs;
}

function parseFields(value: unknown, format: CustomFormat): CustomFieldMapping {
  if (value === undefined) {
    throw new SourceSettingsError('settings.fields is required: the mapping of record fields to source fields');
  }
  const raw = objectAt(value, 'settings.fields');
  rejectUnknownKeys(raw, FIELD_KEYS, 'settings.fields');

  if (raw.name === undefined || raw.name === null) {
    throw new SourceSettingsError('settings.fields.name is required: the source field (or fields) holding the name');
  }
  const fields: CustomFieldMapping = {
    name: fieldRefs(raw.name, 'settings.fields.name', format),
    aliases: raw.aliases === undefined ? [] : fieldRefs(raw.aliases, 'settings.fields.aliases', format),
    identifiers: raw.identifiers === undefined ? [] : identifierMappings(raw.identifiers, format),
    listedOn: raw.listedOn === undefined ? [] : fieldRefs(raw.listedOn, 'settings.fields.listedOn', format),
    delistedOn: raw.delistedOn === undefined ? [] : fieldRefs(raw.delistedOn, 'settings.fields.delistedOn', format),
  };

  if (raw.nameLang !== undefined) {
    if (typeof raw.nameLang !== 'string' || !LANGUAGE_TAG.test(raw.nameLang.trim())) {
      throw fail('settings.fields.nameLang', 'must be a language tag such as "zh" or "en"', raw.nameLang);
    }
    fields.nameLang = raw.nameLang.trim();
  }

  for (const target of TEXT_TARGETS) {
    if (raw[target] === undefined) continue;
    const source = valueSource(raw[target], `settings.fields.${target}`, format);
    if (target === 'country' && 'value' in source) {
      const code = customCountryCode(source.value);
      if (!code) {
        throw fail(
          'settings.fields.country.value',
          'must be an ISO 3166-1 alpha-2 code such as "CN" or a country name',
          source.value,
        );
      }
      fields.country = { value: code };
    } else {
      fields[target] = source;
    }
  }

  if (raw.entityType !== undefined) {
    const source = valueSource(raw.entityType, 'settings.fields.entityType', format);
    if ('value' in source) {
      const type = source.value.toLowerCase();
      if (!(CUSTOM_ENTITY_TYPES as readonly string[]).includes(type)) {
        throw fail(
          'settings.fields.entityType.value',
          `must be one of ${CUSTOM_ENTITY_TYPES.join(', ')}`,
          source.value,
        );
      }
      fields.entityType = { value: type as EntityType };
    } else {
      fields.entityType = source;
    }
  }
  return fields;
}

/** A country as an ISO 3166-1 alpha-2 code ('CN', 'cn', 'China', '中国'), or undefined when it names none we know. */
export function customCountryCode(value: string): string | undefined {
  const trimmed = value.trim();
  return CHINESE_COUNTRY_NAMES[trimmed] ?? isoCountryCode(trimmed);
}

/**
 * Country names in Chinese exports. Only names that occur in China's own registries' country
 * columns; an unknown name stays in the record's attributes rather than being guessed.
 */
const CHINESE_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  中国: 'CN',
  中华人民共和国: 'CN',
  中国大陆: 'CN',
  中国内地: 'CN',
  中国香港: 'HK',
  香港: 'HK',
  中国澳门: 'MO',
  澳门: 'MO',
  中国台湾: 'TW',
  台湾: 'TW',
};

function identifierMappings(value: unknown, format: CustomFormat): CustomIdentifierMapping[] {
  const setting = 'settings.fields.identifiers';
  if (!Array.isArray(value)) {
    throw fail(setting, 'must be an array of { "scheme": ..., "field": ... } or { "fromText": ... }', value);
  }
  if (value.length > MAX_LIST_LENGTH)
    throw new SourceSettingsError(`${setting} has more than ${MAX_LIST_LENGTH} entries`);
  return value.map((entry: unknown, i): CustomIdentifierMapping => {
    const path = `${setting}[${i}]`;
    const item = objectAt(entry, path);
    rejectUnknownKeys(item, ['scheme', 'field', 'fromText'], path);
    if (item.fromText !== undefined) {
      if (item.scheme !== undefined || item.field !== undefined) {
        throw new SourceSettingsError(
          `${path} must have either "fromText" (identifiers stated in free text) or "scheme" and "field", not both`,
        );
      }
      return { fromText: fieldRef(item.fromText, `${path}.fromText`, format) };
    }
    if (item.scheme === undefined) {
      throw new SourceSettingsError(
        `${path}.scheme is required (one of ${IDENTIFIER_SCHEMES.join(', ')}), or use "fromText"`,
      );
    }
    if (typeof item.scheme !== 'string' || !(IDENTIFIER_SCHEMES as readonly string[]).includes(item.scheme)) {
      throw fail(`${path}.scheme`, `must be one of ${IDENTIFIER_SCHEMES.join(', ')}`, item.scheme);
    }
    if (item.field === undefined)
      throw new SourceSettingsError(`${path}.field is required: the source field holding the code`);
    return { scheme: item.scheme as IdentifierScheme, field: fieldRef(item.field, `${path}.field`, format) };
  });
}

/** A text target: a field, an array of fallback fields, or `{ "value": constant }`. */
function valueSource(value: unknown, setting: string, format: CustomFormat): CustomValueSource {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const item = value as Record<string, unknown>;
    rejectUnknownKeys(item, ['value'], setting);
    if (typeof item.value !== 'string' || item.value.trim() === '') {
      throw fail(`${setting}.value`, 'must be a non-empty string', item.value);
    }
    return { value: item.value.trim() };
  }
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw fail(setting, 'must be a field name, an array of field names, or { "value": constant }', value);
  }
  return { fields: fieldRefs(value, setting, format) };
}

/** A field name or a non-empty array of them. */
function fieldRefs(value: unknown, setting: string, format: CustomFormat): string[] {
  if (typeof value === 'string') return [fieldRef(value, setting, format)];
  if (!Array.isArray(value) || value.length === 0) {
    throw fail(setting, 'must be a field name or a non-empty array of field names', value);
  }
  return fieldList(value, setting, format);
}

function fieldList(values: readonly unknown[], setting: string, format: CustomFormat): string[] {
  if (values.length > MAX_LIST_LENGTH)
    throw new SourceSettingsError(`${setting} has more than ${MAX_LIST_LENGTH} fields`);
  const out: string[] = [];
  values.forEach((value, i) => {
    const field = fieldRef(value, `${setting}[${i}]`, format);
    if (out.includes(field)) throw new SourceSettingsError(`${setting}[${i}] repeats the field "${field}"`);
    out.push(field);
  });
  return out;
}

function fieldRef(value: unknown, setting: string, format: CustomFormat): string {
  const what =
    format === 'xml'
      ? 'a child element or attribute path such as "name", "@id" or "ids/id"'
      : format === 'json' || format === 'jsonl'
        ? 'a key or dot-separated key path such as "entname" or "entity.name"'
        : 'a column name from the header';
  if (typeof value !== 'string' || value.trim() === '') throw fail(setting, `must be ${what}`, value);
  const field = value.trim();
  if (field.length > MAX_FIELD_LENGTH)
    throw new SourceSettingsError(`${setting} is longer than ${MAX_FIELD_LENGTH} characters`);
  const valid =
    format === 'xml'
      ? XML_FIELD.test(field)
      : format === 'json' || format === 'jsonl'
        ? !field.split('.').includes('')
        : true;
  if (!valid) throw fail(setting, `must be ${what}`, value);
  return field;
}

function recordPathFor(format: 'json' | 'xml', value: unknown): string {
  if (typeof value !== 'string') {
    throw fail(
      'settings.recordPath',
      format === 'json' ? 'must be a dot-separated key path ("" for a top-level array)' : 'must be an element path',
      value,
    );
  }
  const path = value.trim();
  if (format === 'json') {
    if (path !== '' && path.split('.').some((segment) => segment.trim() === '')) {
      throw fail(
        'settings.recordPath',
        'must be dot-separated keys such as "data.list" ("" for a top-level array)',
        value,
      );
    }
    return path;
  }
  if (!XML_RECORD_PATH.test(path)) {
    throw fail(
      'settings.recordPath',
      'must be an element path such as "list/item" (from the root) or an element name such as "item"',
      value,
    );
  }
  return path;
}

function objectAt(value: unknown, setting: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw fail(setting, 'must be a JSON object', value);
  return value as Record<string, unknown>;
}

function rejectUnknownKeys(value: Record<string, unknown>, known: readonly string[], setting: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new SourceSettingsError(`${setting}: unknown key "${key}" (known keys: ${known.join(', ')})`);
    }
  }
}

function fail(setting: string, requirement: string, got: unknown): SourceSettingsError {
  return new SourceSettingsError(`${setting} ${requirement}; got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** The accepted settings in a few lines, for the API documentation of sources with adapter "custom". */
export function describeCustomSettingsSchema(): string {
  return [
    'Declarative source ("custom"): describe any export and how its fields map to list records.',
    `format (required): ${CUSTOM_FORMATS.join(' | ')}.`,
    'encoding: auto (default) | utf-8 | gb18030 | gbk; text formats only.',
    'sheet: xlsx worksheet name (default: the first). headerRow: csv/tsv/xlsx 1-based header row (default: the first of the top 20 rows holding every mapped column).',
    'recordPath (json, xml; required there): json dot-separated keys of the record array ("data.list", "" for a top-level array); xml record element path ("list/item" from the root, or "item" anywhere).',
    'fields.name (required): source field or array of fields (first with a value is the primary name, the others become aliases).',
    'fields.aliases, fields.listedOn, fields.delistedOn: field or array of fields. fields.nameLang: language tag of the primary name.',
    `fields.identifiers: array of { "scheme": ${IDENTIFIER_SCHEMES.join(' | ')}, "field": ... } or { "fromText": field } (labelled codes in free text).`,
    'fields.reason, authority, delistingReason, delistingAuthority, programs, country, entityType: field, array of fields, or { "value": constant }.',
    'Field names: column headers (csv/tsv/xlsx), dot-separated key paths (json/jsonl), child element or attribute paths such as "name", "@id", "ids/id" (xml).',
    'key: fields whose values identify an entry (default: identifier fields, listedOn and name).',
    `listKind: ${LIST_KINDS.join(' | ')}; set on every record (default: the source's list kind).`,
  ].join('\n');
}
