import { CN_CREDIT_LISTS, type CnCreditList } from '../cn-credit-lists/cn-credit-list.profile';
import { SourceSettingsError } from '../source-adapter';

export interface CreditChinaJsonSettings {
  /** Which list the response holds: it decides the field mapping and the records' list kind. */
  list: CnCreditList;
  /** Path to the record array, split at dots ('data.list' → ['data', 'list']); [] is the root. */
  recordPath: string[];
}

const KNOWN_KEYS = ['list', 'recordPath'] as const;
export const DEFAULT_RECORD_PATH = 'data.list';

/** Validate `{ list, recordPath? }`; unknown keys fail loudly so a typo is not silently ignored. */
export function parseCreditChinaJsonSettings(settings: unknown, adapterId: string): CreditChinaJsonSettings {
  if (settings === undefined || settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(
      `${adapterId} settings must be a JSON object with "list" (one of ${CN_CREDIT_LISTS.join(', ')})`,
    );
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
  const list = fields.list;
  if (typeof list !== 'string' || !(CN_CREDIT_LISTS as readonly string[]).includes(list)) {
    throw new SourceSettingsError(
      `${adapterId} settings: "list" must be one of ${CN_CREDIT_LISTS.join(', ')}; got ${JSON.stringify(list) ?? 'nothing'}`,
    );
  }
  const rawPath = fields.recordPath ?? DEFAULT_RECORD_PATH;
  const segments = typeof rawPath === 'string' ? rawPath.trim().split('.') : undefined;
  const recordPath = segments?.length === 1 && segments[0] === '' ? [] : segments;
  if (!recordPath || recordPath.some((segment) => segment.trim() === '')) {
    throw new SourceSettingsError(
      `${adapterId} settings: "recordPath" must be dot-separated keys such as "data.list" ("" for a top-level array); got ${JSON.stringify(rawPath)}`,
    );
  }
  return { list: list as CnCreditList, recordPath: recordPath.map((segment) => segment.trim()) };
}
