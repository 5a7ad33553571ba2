import { SourceSettingsError } from '../source-adapter';

export const OPENSANCTIONS_FTM_ID = 'opensanctions-ftm';

/** Settings of an OpenSanctions source, after validation (defaults filled in). */
export interface OpenSanctionsSettings {
  /** The dataset to pick when `indexUrl` is the catalog `index.json` listing every dataset. */
  dataset?: string;
  /**
   * A dataset's `index.json` (or the catalog): the adapter reads the version and the delta index
   * from it. Without it the source's URL is an `entities.ftm.json`, fetched whole every time.
   */
  indexUrl?: string;
  /** Only entities marked `target` are list entries; the rest are addresses, sanctions, links. */
  targetsOnly: boolean;
  /** Fetch the versions' deltas instead of the whole export once a version has been applied. */
  useDeltas: boolean;
}

const KNOWN_KEYS = ['dataset', 'indexUrl', 'targetsOnly', 'useDeltas'] as const;

/**
 * Validate `{ dataset?, indexUrl?, targetsOnly?, useDeltas? }`. Unknown keys are rejected so that a
 * typo ("useDelta") fails loudly instead of silently leaving the default in force.
 */
export function parseOpenSanctionsSettings(settings: unknown): OpenSanctionsSettings {
  const id = OPENSANCTIONS_FTM_ID;
  if (settings === undefined || settings === null) return { targetsOnly: true, useDeltas: true };
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${id} settings must be a JSON object, got ${describe(settings)}`);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new SourceSettingsError(`${id} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`);
    }
  }

  const flag = (name: 'targetsOnly' | 'useDeltas'): boolean => {
    const value = fields[name];
    if (value === undefined || value === null) return true;
    if (typeof value !== 'boolean') {
      throw new SourceSettingsError(`${id} settings: "${name}" must be true or false; got ${describe(value)}`);
    }
    return value;
  };
  const result: OpenSanctionsSettings = { targetsOnly: flag('targetsOnly'), useDeltas: flag('useDeltas') };

  if (fields.indexUrl !== undefined && fields.indexUrl !== null) {
    result.indexUrl = parseIndexUrl(fields.indexUrl);
  }
  if (fields.dataset !== undefined && fields.dataset !== null) {
    if (typeof fields.dataset !== 'string' || fields.dataset.trim().length === 0) {
      throw new SourceSettingsError(
        `${id} settings: "dataset" must be a dataset name such as "sanctions"; got ${describe(fields.dataset)}`,
      );
    }
    if (!result.indexUrl) {
      throw new SourceSettingsError(
        `${id} settings: "dataset" needs "indexUrl" (the catalog index.json to find the dataset in)`,
      );
    }
    result.dataset = fields.dataset.trim();
  }
  return result;
}

function parseIndexUrl(value: unknown): string {
  const problem = `${OPENSANCTIONS_FTM_ID} settings: "indexUrl" must be an http(s) URL of an index.json`;
  if (typeof value !== 'string') throw new SourceSettingsError(`${problem}; got ${describe(value)}`);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SourceSettingsError(`${problem}; got ${describe(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourceSettingsError(`${problem}; got ${describe(value)}`);
  }
  return url.toString();
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
