import { SourceSettingsError, type FetchPlan, type SourceResource } from '../source-adapter';

/** The four files of one OFAC CSV list, by their published names. */
export interface OfacFileNames {
  main: string;
  alt: string;
  add: string;
  comments: string;
}

export const OFAC_SDN_FILE_NAMES: OfacFileNames = {
  main: 'sdn.csv',
  alt: 'alt.csv',
  add: 'add.csv',
  comments: 'sdn_comments.csv',
};

export const OFAC_CONSOLIDATED_FILE_NAMES: OfacFileNames = {
  main: 'cons_prim.csv',
  alt: 'cons_alt.csv',
  add: 'cons_add.csv',
  comments: 'cons_comments.csv',
};

/** Resource names of the side files in a plan; 'main' is the source's own URL. */
export const OFAC_SIDE_RESOURCES = ['alt', 'add', 'comments'] as const;
export type OfacSideResource = (typeof OFAC_SIDE_RESOURCES)[number];

export interface OfacSettings {
  /** Each side file's URL: undefined means the sibling next to the main URL, null means not fetched. */
  altUrl?: string | null;
  addUrl?: string | null;
  commentsUrl?: string | null;
}

const SETTING_BY_RESOURCE: Readonly<Record<OfacSideResource, keyof OfacSettings>> = {
  alt: 'altUrl',
  add: 'addUrl',
  comments: 'commentsUrl',
};
const KNOWN_KEYS: readonly string[] = Object.values(SETTING_BY_RESOURCE);

/**
 * Validate `{ altUrl?, addUrl?, commentsUrl? }`. Unknown keys are rejected so that a typo
 * ("altURL") fails loudly instead of silently fetching the default sibling.
 */
export function parseOfacSettings(settings: unknown, adapterId: string): OfacSettings {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${adapterId} settings must be a JSON object`);
  }
  const fields = settings as Record<string, unknown>;
  const result: OfacSettings = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`,
      );
    }
    if (value === undefined) continue;
    if (value === null) {
      result[key as keyof OfacSettings] = null;
      continue;
    }
    if (typeof value !== 'string' || !isHttpUrl(value.trim())) {
      throw new SourceSettingsError(
        `${adapterId} settings: "${key}" must be an http(s) URL, or null to leave that file out; got ${JSON.stringify(value)}`,
      );
    }
    result[key as keyof OfacSettings] = value.trim();
  }
  return result;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The sibling of the main file in the same folder. OFAC's Sanctions List Service publishes the
 * same files in upper case (SDN.CSV, ALT.CSV ...), so the sibling follows the main file's case.
 */
export function siblingUrl(mainUrl: string, fileName: string): string {
  let url: URL;
  try {
    url = new URL(mainUrl);
  } catch {
    throw new SourceSettingsError(`the source URL "${mainUrl}" is not a valid URL`);
  }
  const baseName = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  const upper = baseName.length > 0 && baseName === baseName.toUpperCase() && baseName !== baseName.toLowerCase();
  return new URL(upper ? fileName.toUpperCase() : fileName, url).toString();
}

/** The full plan: the main file and each side file that is not switched off. */
export function ofacPlan(mainUrl: string, settings: OfacSettings, files: OfacFileNames): FetchPlan {
  const resources: SourceResource[] = [{ name: 'main', url: mainUrl }];
  for (const name of OFAC_SIDE_RESOURCES) {
    const setting = settings[SETTING_BY_RESOURCE[name]];
    if (setting === null) continue;
    resources.push({ name, url: setting ?? siblingUrl(mainUrl, files[name]) });
  }
  return { mode: 'full', resources };
}
