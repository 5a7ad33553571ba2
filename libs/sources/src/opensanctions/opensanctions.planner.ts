import {
  defaultPlan,
  SourceFormatError,
  SourceSettingsError,
  type FetchPlan,
  type PlanContext,
} from '../source-adapter';
import { OPENSANCTIONS_FTM_ID, type OpenSanctionsSettings } from './opensanctions-settings';

/** The resource a dataset publishes its whole export as, one FtM entity per line. */
export const OPENSANCTIONS_ENTITIES_RESOURCE = 'entities.ftm.json';
/** Delta resources are named `delta-<version>`; the parser tells a delta plan by this prefix. */
export const OPENSANCTIONS_DELTA_PREFIX = 'delta-';

/** What the plan needs from a dataset's `index.json` (or its entry in the catalog). */
export interface OpenSanctionsDatasetIndex {
  name?: string;
  version?: string;
  /** The delta index: `{ versions: { "<version>": "<url of entities.delta.json>" } }`. */
  deltaUrl?: string;
  entitiesUrl: string;
}

export interface OpenSanctionsDeltaVersion {
  version: string;
  url: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Relative URLs in an index are relative to the index itself. */
function resolveUrl(url: string, base: string, what: string): string {
  try {
    return new URL(url, base).toString();
  } catch {
    throw new SourceFormatError(`${OPENSANCTIONS_FTM_ID}: ${what} "${url}" in ${base} is not a URL`);
  }
}

const VERSION_TIMESTAMP = /^\d+/;

/**
 * Order OpenSanctions versions (`20240528014702-pfh`) by their timestamp prefix; the random suffix
 * only breaks ties. A shorter timestamp is padded with zeros so a date-only version still sorts by
 * its date.
 */
export function compareOpenSanctionsVersions(a: string, b: string): number {
  let ta = VERSION_TIMESTAMP.exec(a)?.[0] ?? '';
  let tb = VERSION_TIMESTAMP.exec(b)?.[0] ?? '';
  const width = Math.max(ta.length, tb.length);
  ta = ta.padEnd(width, '0');
  tb = tb.padEnd(width, '0');
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Read a dataset's `index.json`, or find `dataset` in the catalog `index.json` (which lists every
 * dataset under `datasets` and has no `resources` of its own).
 */
export function readOpenSanctionsIndex(
  document: unknown,
  indexUrl: string,
  dataset: string | undefined,
): OpenSanctionsDatasetIndex {
  if (!isObject(document)) {
    throw new SourceFormatError(`${OPENSANCTIONS_FTM_ID}: ${indexUrl} is not an OpenSanctions index.json object`);
  }
  let entry: Record<string, unknown> = document;
  if (!Array.isArray(document.resources) && Array.isArray(document.datasets)) {
    const datasets = document.datasets.filter(isObject);
    if (!dataset) {
      throw new SourceSettingsError(
        `${OPENSANCTIONS_FTM_ID} settings: ${indexUrl} is the catalog of ${datasets.length} datasets; ` +
          'set "dataset" to the one to follow (e.g. "sanctions")',
      );
    }
    const found = datasets.find((d) => d.name === dataset);
    if (!found) {
      const some = datasets
        .map((d) => d.name)
        .filter((n): n is string => typeof n === 'string')
        .slice(0, 10);
      throw new SourceSettingsError(
        `${OPENSANCTIONS_FTM_ID} settings: dataset "${dataset}" is not in the catalog ${indexUrl} ` +
          `(${datasets.length} datasets, e.g. ${some.join(', ')})`,
      );
    }
    entry = found;
  } else if (dataset && typeof document.name === 'string' && document.name !== dataset) {
    throw new SourceSettingsError(
      `${OPENSANCTIONS_FTM_ID} settings: "dataset" is "${dataset}" but ${indexUrl} is the index of "${document.name}"`,
    );
  }

  const label = typeof entry.name === 'string' ? `dataset "${entry.name}"` : indexUrl;
  if (!Array.isArray(entry.resources)) {
    throw new SourceFormatError(`${OPENSANCTIONS_FTM_ID}: ${label} in ${indexUrl} lists no "resources"`);
  }
  const resource = entry.resources.filter(isObject).find((r) => r.name === OPENSANCTIONS_ENTITIES_RESOURCE);
  if (!resource || typeof resource.url !== 'string') {
    throw new SourceFormatError(
      `${OPENSANCTIONS_FTM_ID}: ${label} in ${indexUrl} publishes no ${OPENSANCTIONS_ENTITIES_RESOURCE}`,
    );
  }
  const index: OpenSanctionsDatasetIndex = { entitiesUrl: resolveUrl(resource.url, indexUrl, 'resource URL') };
  if (typeof entry.name === 'string') index.name = entry.name;
  if (typeof entry.version === 'string' && entry.version.length > 0) index.version = entry.version;
  if (typeof entry.delta_url === 'string' && entry.delta_url.length > 0) {
    index.deltaUrl = resolveUrl(entry.delta_url, indexUrl, 'delta_url');
  }
  return index;
}

/** The versions a delta index lists, oldest first. */
export function readOpenSanctionsDeltaIndex(document: unknown, deltaUrl: string): OpenSanctionsDeltaVersion[] {
  if (!isObject(document) || !isObject(document.versions)) {
    throw new SourceFormatError(`${OPENSANCTIONS_FTM_ID}: the delta index ${deltaUrl} has no "versions" object`);
  }
  const versions: OpenSanctionsDeltaVersion[] = [];
  for (const [version, url] of Object.entries(document.versions)) {
    if (typeof url !== 'string') {
      throw new SourceFormatError(
        `${OPENSANCTIONS_FTM_ID}: the delta index ${deltaUrl} gives version "${version}" no URL string`,
      );
    }
    versions.push({ version, url: resolveUrl(url, deltaUrl, `the URL of version ${version}`) });
  }
  return versions.sort((a, b) => compareOpenSanctionsVersions(a.version, b.version));
}

/**
 * What to download: the whole export the first time (or when deltas cannot bridge from the last
 * applied version), else the deltas of every newer version in order.
 */
export async function planOpenSanctions(context: PlanContext<OpenSanctionsSettings>): Promise<FetchPlan> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  if (!settings.indexUrl) return defaultPlan(context.url);

  const index = readOpenSanctionsIndex(await context.fetchJson(settings.indexUrl), settings.indexUrl, settings.dataset);
  const full: FetchPlan = {
    mode: 'full',
    resources: [{ name: OPENSANCTIONS_ENTITIES_RESOURCE, url: index.entitiesUrl }],
  };
  if (index.version) full.cursor = index.version;

  const cursor = context.cursor;
  if (!cursor || !settings.useDeltas || !index.deltaUrl || !index.version) return full;
  // Nothing newer published (or a stale index): no need to read the delta index. The cursor never
  // moves backwards.
  if (compareOpenSanctionsVersions(index.version, cursor) <= 0) return { mode: 'delta', resources: [], cursor };

  signal.throwIfAborted();
  const versions = readOpenSanctionsDeltaIndex(await context.fetchJson(index.deltaUrl), index.deltaUrl);
  const oldest = versions[0];
  // The index keeps only recent versions: a cursor older than all of them means the deltas
  // between it and the oldest listed one are gone.
  if (!oldest || compareOpenSanctionsVersions(cursor, oldest.version) < 0) return full;
  const newer = versions.filter((v) => compareOpenSanctionsVersions(v.version, cursor) > 0);
  // Each delta is against the version before it in the index. A cursor the index does not list
  // is not one of those, so the first newer delta would not start from it.
  if (newer.length > 0 && !versions.some((v) => v.version === cursor)) return full;
  const newest = newer[newer.length - 1];
  if (!newest) return { mode: 'delta', resources: [], cursor };
  return {
    mode: 'delta',
    resources: newer.map((v) => ({ name: `${OPENSANCTIONS_DELTA_PREFIX}${v.version}`, url: v.url })),
    cursor: newest.version,
  };
}
