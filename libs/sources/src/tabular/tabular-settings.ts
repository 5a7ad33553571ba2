import { SourceSettingsError } from '../source-adapter';
import type { CsvDelimiter } from './csv-rows';
import { normalizeEncodingSetting, type TextEncodingSetting } from './decode';

/** Settings every delimited-text source shares. */
export interface TabularSettings {
  /** 'gbk' in the settings JSON is stored as 'gb18030', its superset. */
  encoding: TextEncodingSetting;
  /** Undefined: detected from the header line. */
  delimiter?: CsvDelimiter;
}

const KNOWN_KEYS = ['encoding', 'delimiter'] as const;

/**
 * Validate `{ encoding?, delimiter? }`. Unknown keys are rejected so a typo ("encodeing") fails
 * loudly instead of silently falling back to the default.
 */
export function parseTabularSettings(settings: unknown, adapterId: string): TabularSettings {
  if (settings === undefined || settings === null) return { encoding: 'auto' };
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${adapterId} settings must be a JSON object, got ${describe(settings)}`);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }

  let encoding: TextEncodingSetting = 'auto';
  if (fields.encoding !== undefined && fields.encoding !== null) {
    const parsed = typeof fields.encoding === 'string' ? normalizeEncodingSetting(fields.encoding) : undefined;
    if (!parsed) {
      throw new SourceSettingsError(
        `${adapterId} settings: "encoding" must be one of "auto", "utf-8", "gb18030", "gbk"; got ${describe(fields.encoding)}`,
      );
    }
    encoding = parsed;
  }

  const result: TabularSettings = { encoding };
  if (fields.delimiter !== undefined && fields.delimiter !== null && fields.delimiter !== 'auto') {
    const delimiter = parseDelimiter(fields.delimiter);
    if (!delimiter) {
      throw new SourceSettingsError(
        `${adapterId} settings: "delimiter" must be "," or "\\t" (tab), or left out to detect it; got ${describe(fields.delimiter)}`,
      );
    }
    result.delimiter = delimiter;
  }
  return result;
}

function parseDelimiter(value: unknown): CsvDelimiter | undefined {
  if (value === ',' || value === 'comma') return ',';
  // A literal backslash-t is what people type when they mean a tab in a JSON form field.
  if (value === '\t' || value === '\\t' || value === 'tab') return '\t';
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
