import type { Delisting, ListKind } from '@partnerwatch/domain';

/**
 * The lists a China credit profile describes. Each is also the list kind its records carry, so the
 * Credit China JSON adapter's `list` setting and a record's list kind are the same word.
 */
export const CN_CREDIT_LISTS = [
  'abnormal_operations',
  'serious_illegal_dishonest',
  'court_defaulter',
  'tax_violation',
  'admin_penalty',
  'redlist',
] as const satisfies readonly ListKind[];
export type CnCreditList = (typeof CN_CREDIT_LISTS)[number];

/** A header or JSON key a field may be published under; a RegExp is tested against the folded name. */
export type FieldAlias = string | RegExp;

/** How a column that carries the subject's code is filed when the code has no USCC shape. */
export interface IdentifierField {
  field: string;
  /** The scheme of a code without the USCC shape: an old 注册号 or 组织机构代码, or a 纳税人识别号. */
  otherwise: 'registration' | 'tax';
  /**
   * True when the column mixes companies' codes with people's ID numbers (失信被执行人 证件号码):
   * only such a column identifies a natural person by its value's shape.
   */
  mayHoldPersonalId?: boolean;
}

/** Reads one published row, whatever its format (a table row, a JSON object). */
export interface RowReader {
  /** The field's value, trimmed; undefined when absent, empty or a placeholder ("-", "无"). */
  get(field: string): string | undefined;
  /** The field as an ISO date: `raw` is what was published, `iso` undefined when it is not a date. */
  date(field: string): { raw?: string; iso?: string };
  /** The column or key the field was read from, for messages; the profile's label when absent. */
  label(field: string): string;
  /** Whether the export has the field at all (a column, a key), empty or not. */
  has(field: string): boolean;
}

/** What a profile's `listing` hook works with besides the row. */
export interface ListingContext {
  /** Today in China (UTC+8), YYYY-MM-DD: publication periods end on the registry's local date. */
  today: string;
  /** The subject's name as published. */
  name: string;
  /** The first identifier's normalised value, when the row has one. */
  identifier: string | undefined;
  /** Problems found so far; a hook adds its own and the row becomes a row error. */
  problems: string[];
  /** The field's ISO date; adds a problem when it holds something that is not a date. */
  date(field: string): string | undefined;
}

/** The list-specific part of a record, worked out by the profile. */
export interface ListingFacts {
  /** Identity fields for `identityKey`: never fields that change when the listing is updated or lifted. */
  keyParts: readonly (string | undefined)[];
  listedOn?: string;
  reason?: string;
  authority?: string;
  delisting?: Delisting;
  /** Extra attributes under fixed names, so consumers find them whatever the export called the column. */
  attributes?: Record<string, string>;
}

/**
 * One China credit list as registries and Credit China publish it: its fields with the official
 * Chinese headers and their variants (including Credit China's and gsxt's JSON field names), which
 * columns an export must have, how the subject is identified and how listing and removal read.
 * The same profile maps CSV/TSV/XLSX rows and JSON records, so every format yields the same records.
 */
export interface CnCreditListProfile {
  list: CnCreditList;
  listKind: ListKind;
  /** The list's Chinese name, for messages. */
  title: string;
  /** Field → aliases, official header first (it is the field's label). Matched after `foldFieldName`. */
  fields: Readonly<Record<string, readonly FieldAlias[]>>;
  /** Each entry: the export must have at least one of these fields. */
  required: readonly (readonly string[])[];
  /** The subject's name. */
  nameField: string;
  /** Columns that identify the subject, in order of preference (the first found is the key's). */
  identifiers: readonly IdentifierField[];
  /** Fields whose values name a natural person outright (行政相对人类别 "自然人", 性别, 年龄, isperson). */
  personHints?: {
    subjectType?: string;
    sex?: string;
    age?: string;
    isPerson?: string;
    /** The subject's own ID-number column (行政相对人证件号码): a person's ID number there means a person. */
    personalId?: string;
  };
  /** Fields never kept in attributes: ID numbers of people (法定代表人证件号码 and the like). */
  privateFields?: readonly string[];
  listing(row: RowReader, context: ListingContext): ListingFacts;
}

/**
 * Header and key names folded for comparison: NFKC (full-width brackets and letters), no
 * whitespace, underscores, dashes or required-column stars, lower case. So "作出决定机关（列入）" and
 * "作出决定机关(列入)", or cf_xdr_mc, CF_XDR_MC and cfXdrMc, are one name.
 */
export function foldFieldName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\uFEFF\u200B-\u200D_\-*:]/g, '')
    .toLowerCase();
}

/** Field → folded string aliases, and the pattern aliases, precomputed once per profile. */
export interface FieldMatcher {
  /** The field a folded name stands for, or undefined. */
  fieldOf(folded: string): string | undefined;
  /** Fields in priority order of their aliases, for resolving several names to one field. */
  aliasRank(field: string, folded: string): number;
}

const matchers = new WeakMap<CnCreditListProfile, FieldMatcher>();

/**
 * Which field each folded name stands for. A name listed for two fields belongs to the first
 * field in the profile's order, so profiles list the more specific fields first.
 */
export function fieldMatcher(profile: CnCreditListProfile): FieldMatcher {
  const cached = matchers.get(profile);
  if (cached) return cached;
  const exact = new Map<string, { field: string; rank: number }>();
  const patterns: { field: string; rank: number; pattern: RegExp }[] = [];
  for (const [field, aliases] of Object.entries(profile.fields)) {
    aliases.forEach((alias, rank) => {
      if (typeof alias === 'string') {
        const folded = foldFieldName(alias);
        if (!exact.has(folded)) exact.set(folded, { field, rank });
      } else {
        patterns.push({ field, rank, pattern: alias });
      }
    });
  }
  const find = (folded: string): { field: string; rank: number } | undefined =>
    exact.get(folded) ?? patterns.find((p) => p.pattern.test(folded));
  const matcher: FieldMatcher = {
    fieldOf: (folded) => find(folded)?.field,
    aliasRank: (field, folded) => {
      const hit = find(folded);
      return hit && hit.field === field ? hit.rank : Number.POSITIVE_INFINITY;
    },
  };
  matchers.set(profile, matcher);
  return matcher;
}

/** The field's label: its official header (the first string alias). */
export function fieldLabel(profile: CnCreditListProfile, field: string): string {
  const first = profile.fields[field]?.find((alias): alias is string => typeof alias === 'string');
  return first ?? field;
}
