import { parseRegistryDate } from '../common/registry-date';
import {
  fieldLabel,
  fieldMatcher,
  foldFieldName,
  type CnCreditListProfile,
  type RowReader,
} from './cn-credit-list.profile';
import { presentValue } from './cn-credit-record.mapper';

/**
 * A JSON number kept as its text: 18-digit codes and millisecond timestamps published as numbers
 * would lose digits as doubles.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

const EPOCH_DIGITS = /^\d{10}(?:\d{3})?$/;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** A published value as text for `get` and attributes; undefined for null and nested values. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.text;
  return undefined;
}

/** Epoch seconds or milliseconds as the date in China, where the registry recorded it. */
function epochDate(digits: string): string | undefined {
  const ms = digits.length === 13 ? Number(digits) : Number(digits) * 1000;
  const date = new Date(ms + CHINA_OFFSET_MS);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

export interface ObjectRowReaderOptions {
  /** Labels for the record's keys (Credit China's `sencesMap`), matched like headers. */
  labels?: Readonly<Record<string, unknown>>;
  /** Match keys by their labels only: for services whose key names mean other things elsewhere. */
  labelsOnly?: boolean;
  /** Fields read from elsewhere (the company a per-supplier response is about); they win over keys. */
  fixed?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads one JSON record (a Credit China list item, a gsxt or QCC object) by profile field. Keys
 * are matched like table headers; when the service sends labels for its keys (Credit China's
 * `sencesMap`), a key whose name is unknown is matched by its label too.
 */
export class ObjectRowReader implements RowReader {
  private readonly keys = new Map<string, string>();
  /** Keys whose values are people's ID numbers, by name or label: never kept. */
  private readonly privateKeys = new Set<string>();
  private readonly fixed: Readonly<Record<string, string | undefined>>;

  constructor(
    private readonly profile: CnCreditListProfile,
    private readonly record: Readonly<Record<string, unknown>>,
    options: ObjectRowReaderOptions = {},
  ) {
    this.fixed = options.fixed ?? {};
    const { labels, labelsOnly } = options;
    const matcher = fieldMatcher(profile);
    const privateFields = new Set(profile.privateFields ?? []);
    const ranks = new Map<string, number>();
    for (const key of Object.keys(record)) {
      let folded = labelsOnly ? '' : foldFieldName(key);
      let field = labelsOnly ? undefined : matcher.fieldOf(folded);
      const label = labels?.[key];
      if (field === undefined && typeof label === 'string') {
        folded = foldFieldName(label);
        field = matcher.fieldOf(folded);
      }
      if (field === undefined) continue;
      if (privateFields.has(field)) this.privateKeys.add(key);
      const rank = matcher.aliasRank(field, folded);
      if (rank < (ranks.get(field) ?? Number.POSITIVE_INFINITY)) {
        ranks.set(field, rank);
        this.keys.set(field, key);
      }
    }
  }

  get(field: string): string | undefined {
    if (field in this.fixed) return presentValue(this.fixed[field]);
    const key = this.keys.get(field);
    return key === undefined ? undefined : presentValue(scalarText(this.record[key]));
  }

  date(field: string): { raw?: string; iso?: string } {
    if (field in this.fixed) {
      const raw = this.get(field);
      return raw === undefined ? {} : { raw, iso: parseRegistryDate(raw) };
    }
    const key = this.keys.get(field);
    if (key === undefined) return {};
    const value = this.record[key];
    // gsxt serialises Java dates as {"time": <ms>, ...}.
    if (value !== null && typeof value === 'object' && !(value instanceof JsonNumber)) {
      const time = scalarText((value as Record<string, unknown>).time);
      if (time === undefined) return {};
      return { raw: time, iso: EPOCH_DIGITS.test(time) ? epochDate(time) : undefined };
    }
    const raw = presentValue(scalarText(value));
    if (raw === undefined) return {};
    if (typeof value !== 'string' && EPOCH_DIGITS.test(raw)) return { raw, iso: epochDate(raw) };
    return { raw, iso: parseRegistryDate(raw) };
  }

  label(field: string): string {
    return this.keys.get(field) ?? fieldLabel(this.profile, field);
  }

  has(field: string): boolean {
    return field in this.fixed || this.keys.has(field);
  }

  /** The record's own fields as published, people's ID numbers left out; nested values as JSON. */
  attributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.record)) {
      if (value === null || value === undefined || this.privateKeys.has(key)) continue;
      const text =
        scalarText(value) ?? JSON.stringify(value, (_k, v: unknown) => (v instanceof JsonNumber ? v.text : v));
      const trimmed = text.trim();
      if (trimmed.length > 0) attributes[key] = trimmed;
    }
    return attributes;
  }
}
