import { SourceSettingsError } from '../source-adapter';
import { parseTabularSettings, type TabularSettings } from '../tabular/tabular-settings';

export type CnCreditTableFormat = 'csv' | 'tsv' | 'xlsx';

/** Settings of the China credit-list table adapters. */
export interface CnCreditTableSettings extends TabularSettings {
  /** Undefined: sniffed (a zip signature means XLSX, anything else delimited text). */
  format?: CnCreditTableFormat;
  /** XLSX only: the worksheet to read; undefined means the first. */
  sheet?: string;
}

const KNOWN_KEYS = ['encoding', 'delimiter', 'format', 'sheet'] as const;
const FORMATS: readonly CnCreditTableFormat[] = ['csv', 'tsv', 'xlsx'];

/**
 * Validate `{ encoding?, delimiter?, format?, sheet? }`. Unknown keys and settings that contradict
 * each other (a sheet for a CSV, a comma for a TSV) fail loudly rather than being ignored.
 */
export function parseCnCreditTableSettings(settings: unknown, adapterId: string): CnCreditTableSettings {
  if (settings === undefined || settings === null) return { encoding: 'auto' };
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    // The shared parser words the error for non-objects.
    return parseTabularSettings(settings, adapterId);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
  const { format: rawFormat, sheet: rawSheet, ...text } = fields;
  const result: CnCreditTableSettings = parseTabularSettings(text, adapterId);

  if (rawFormat !== undefined && rawFormat !== null && rawFormat !== 'auto') {
    const format = typeof rawFormat === 'string' ? rawFormat.trim().toLowerCase() : undefined;
    if (!format || !(FORMATS as readonly string[]).includes(format)) {
      throw new SourceSettingsError(
        `${adapterId} settings: "format" must be one of "csv", "tsv", "xlsx", or left out to detect it; got ${JSON.stringify(rawFormat)}`,
      );
    }
    result.format = format as CnCreditTableFormat;
  }
  if (result.format === 'tsv') {
    if (result.delimiter === ',') {
      throw new SourceSettingsError(`${adapterId} settings: "format" "tsv" contradicts "delimiter" ","`);
    }
    result.delimiter = '\t';
  }
  if (result.format === 'xlsx' && result.delimiter !== undefined) {
    throw new SourceSettingsError(`${adapterId} settings: "delimiter" applies to CSV/TSV, not to "format" "xlsx"`);
  }

  if (rawSheet !== undefined && rawSheet !== null) {
    if (typeof rawSheet !== 'string' || rawSheet.trim().length === 0) {
      throw new SourceSettingsError(
        `${adapterId} settings: "sheet" must be a worksheet name; got ${JSON.stringify(rawSheet)}`,
      );
    }
    if (result.format === 'csv' || result.format === 'tsv') {
      throw new SourceSettingsError(
        `${adapterId} settings: "sheet" applies to XLSX, not to "format" "${result.format}"`,
      );
    }
    result.sheet = rawSheet.trim();
  }
  return result;
}
