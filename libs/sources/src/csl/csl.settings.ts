import { SourceSettingsError } from '../source-adapter';
import { normalizeEncodingSetting, type TextEncodingSetting } from '../tabular/decode';

export interface CslCsvSettings {
  /** trade.gov publishes UTF-8; 'auto' or 'gb18030' only for copies re-saved elsewhere. */
  encoding: TextEncodingSetting;
}

export interface CslJsonSettings {
  /**
   * Dot-separated path of the array of records in the document: 'results' for the trade.gov API
   * and its downloads; '' when the document itself is the array.
   */
  recordPath: string;
}

function settingsObject(settings: unknown, adapterId: string, known: readonly string[]): Record<string, unknown> {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${adapterId} settings must be a JSON object`);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
  }
  return fields;
}

/** Validate `{ encoding? }`; unknown keys are rejected so a typo fails loudly. */
export function parseCslCsvSettings(settings: unknown, adapterId: string): CslCsvSettings {
  const fields = settingsObject(settings, adapterId, ['encoding']);
  if (fields.encoding === undefined || fields.encoding === null) return { encoding: 'utf-8' };
  const encoding = typeof fields.encoding === 'string' ? normalizeEncodingSetting(fields.encoding) : undefined;
  if (!encoding) {
    throw new SourceSettingsError(
      `${adapterId} settings: "encoding" must be one of "utf-8", "auto", "gb18030", "gbk"; got ${JSON.stringify(fields.encoding)}`,
    );
  }
  return { encoding };
}

const RECORD_PATH = /^(?:[^.\s]+(?:\.[^.\s]+)*)?$/;

/** Validate `{ recordPath? }`, default 'results'. */
export function parseCslJsonSettings(settings: unknown, adapterId: string): CslJsonSettings {
  const fields = settingsObject(settings, adapterId, ['recordPath']);
  if (fields.recordPath === undefined || fields.recordPath === null) return { recordPath: 'results' };
  if (typeof fields.recordPath !== 'string' || !RECORD_PATH.test(fields.recordPath.trim())) {
    throw new SourceSettingsError(
      `${adapterId} settings: "recordPath" must be a dot-separated path such as "results" or "data.results" ` +
        `(or "" for a top-level array); got ${JSON.stringify(fields.recordPath)}`,
    );
  }
  return { recordPath: fields.recordPath.trim() };
}
