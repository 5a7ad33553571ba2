import {
  identityKey,
  normalizeIdentifierValue,
  normalizeUscc,
  validateUscc,
  type EntityIdentifier,
  type ListRecord,
  type RowError,
} from '@partnerwatch/domain';
import type { CnCreditListProfile, ListingContext, RowReader } from './cn-credit-list.profile';

/** One published row mapped: a record, why it could not become one, or a natural person left out. */
export type CnCreditRowResult =
  { record: ListRecord } | { error: RowError } | { skipped: 'natural_person'; row: number };

export interface CnCreditMapOptions {
  /** Today in China (UTC+8), YYYY-MM-DD; see `chinaToday`. */
  today: string;
  /**
   * Set `listKind` on each record. Adapters whose id already says the list leave it off; the
   * Credit China JSON adapter and the QCC mapper serve several lists, so they set it.
   */
  tagListKind?: boolean;
}

/** Same test as the domain's looksLikeUscc, for codes that need no normalising. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
/** Cells registries fill in when there is no value. */
const PLACEHOLDER = /^(?:[-－—–_/\\\s]*|无|暂无|空|null|none|n\/a|undefined)$/i;
/** A PRC resident ID number (GB 11643): area, birth date 18xx-20xx, sequence, check. */
const RESIDENT_ID = /^\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
/** Registries mask people's ID numbers ("3728271963****8934"); companies' codes are never masked. */
const MASKED_ID = /^(?=.*\*)(?=(?:.*\d){4})[\dX*]{15,18}$/;
const PERSON_SUBJECT = /自然人|个人/;
const TRUTHY = /^(?:1|true|是|y|yes)$/i;

/** The value, or undefined when it is empty or a placeholder. */
export function presentValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0) return undefined;
  return trimmed.length <= 9 && PLACEHOLDER.test(trimmed) ? undefined : trimmed;
}

/** Today's date in China, where listings take effect and publication periods end. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * True when the code is a natural person's ID number: a resident ID with a real birth date, or a
 * masked one. A code with the USCC shape and a valid check character is a company's, even in the
 * rare case that its digits also read as a birth date.
 */
export function looksLikePersonalId(raw: string): boolean {
  const code = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (MASKED_ID.test(code)) return true;
  if (!RESIDENT_ID.test(code)) return false;
  return !validateUscc(code).ok;
}

/**
 * File a published code: anything with the USCC shape is a USCC, even when its check character
 * fails (some real early codes do; that is a warning, never a reason to drop the code); anything
 * else keeps the column's own scheme (an old 15-digit 注册号, a 组织机构代码, a 纳税人识别号).
 */
export function identifierFromCode(raw: string, otherwise: 'registration' | 'tax'): EntityIdentifier {
  if (USCC_SHAPE.test(raw)) return { scheme: 'uscc', value: raw };
  const normalized = normalizeUscc(raw);
  if (USCC_SHAPE.test(normalized)) return { scheme: 'uscc', value: normalized };
  return { scheme: otherwise, value: normalizeIdentifierValue(otherwise, raw) };
}

function isNaturalPerson(profile: CnCreditListProfile, row: RowReader): boolean {
  const hints = profile.personHints;
  if (hints) {
    const subjectType = hints.subjectType ? row.get(hints.subjectType) : undefined;
    if (subjectType && PERSON_SUBJECT.test(subjectType)) return true;
    const isPerson = hints.isPerson ? row.get(hints.isPerson) : undefined;
    if (isPerson && TRUTHY.test(isPerson)) return true;
    // Defaulter lists publish sex and age for people only; companies get "" and "0".
    const sex = hints.sex ? row.get(hints.sex) : undefined;
    if (sex && /[男女]|^(?:m|f|male|female)$/i.test(sex)) return true;
    const age = hints.age ? Number(row.get(hints.age)) : 0;
    if (Number.isFinite(age) && age > 0) return true;
    const personalId = hints.personalId ? row.get(hints.personalId) : undefined;
    if (personalId && looksLikePersonalId(personalId)) return true;
  }
  for (const { field, mayHoldPersonalId } of profile.identifiers) {
    if (!mayHoldPersonalId) continue;
    const value = row.get(field);
    if (value && looksLikePersonalId(value)) return true;
  }
  return false;
}

/**
 * Map one published row to a record with the profile. Natural persons are left out (we watch
 * companies; people's records are not ours to keep), rows without a name or an identifier become
 * row errors, and everything the registry published is kept in `attributes`.
 */
export function mapCnCreditRow(
  profile: CnCreditListProfile,
  row: RowReader,
  rowNumber: number,
  attributes: () => Record<string, string>,
  options: CnCreditMapOptions,
): CnCreditRowResult {
  if (isNaturalPerson(profile, row)) return { skipped: 'natural_person', row: rowNumber };

  const problems: string[] = [];
  const name = row.get(profile.nameField);
  if (!name) problems.push(`${row.label(profile.nameField)} is empty`);

  const identifiers: EntityIdentifier[] = [];
  for (const { field, otherwise } of profile.identifiers) {
    const raw = row.get(field);
    if (!raw) continue;
    const identifier = identifierFromCode(raw, otherwise);
    if (!identifiers.some((i) => i.scheme === identifier.scheme && i.value === identifier.value)) {
      identifiers.push(identifier);
    }
  }
  if (identifiers.length === 0) {
    const published = profile.identifiers.filter(({ field }) => row.has(field));
    const fields = published.length > 0 ? published : profile.identifiers;
    const labels = [...new Set(fields.map(({ field }) => row.label(field)))];
    problems.push(`no identifier: ${labels.join(', ')} ${labels.length > 1 ? 'are' : 'is'} empty`);
  }

  const context: ListingContext = {
    today: options.today,
    name: name ?? '',
    identifier: identifiers[0]?.value,
    problems,
    date(field) {
      const { raw, iso } = row.date(field);
      if (raw !== undefined && iso === undefined) problems.push(`${row.label(field)} "${raw}" is not a date`);
      return iso;
    },
  };
  const facts = profile.listing(row, context);
  if (problems.length > 0 || !name) return { error: { row: rowNumber, message: problems.join('; ') } };

  const record: ListRecord = {
    key: identityKey(facts.keyParts),
    entityType: 'organization',
    names: [{ value: name, lang: 'zh', kind: 'primary' }],
    identifiers,
    country: 'CN',
    attributes: facts.attributes ? { ...attributes(), ...facts.attributes } : attributes(),
  };
  if (options.tagListKind) record.listKind = profile.listKind;
  if (facts.listedOn) record.listedOn = facts.listedOn;
  if (facts.reason) record.reason = facts.reason;
  if (facts.authority) record.authority = facts.authority;
  if (facts.delisting) record.delisting = facts.delisting;
  return { record };
}
