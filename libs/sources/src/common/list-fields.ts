/**
 * Field helpers shared by the adapters of published lists (World Bank, EBRD, BIS, China's curated
 * lists, DoD 1260H): column lookup, identity text, countries, entity types.
 */
import type { EntityType, RowError } from '@partnerwatch/domain';
import { SourceFormatError } from '../source-adapter';
import { normalizeHeaderName } from '../tabular/csv-rows';

/** A column an adapter reads: the names it goes by, first the current one. */
export interface ColumnSpec {
  names: readonly string[];
  required?: boolean;
}

/** Header names compare equal when they differ only in case, spaces, underscores or width. */
export function columnKey(name: string): string {
  return normalizeHeaderName(name)
    .toLowerCase()
    .replace(/[\s_]+/g, '');
}

/**
 * Map an export's header to the adapter's fields (the header name as it appears in the export, per
 * field). Throws a SourceFormatError naming the missing columns and the ones found: an export
 * without them is the wrong file or a changed format, not a list to diff.
 */
export function resolveColumns<F extends string>(
  header: readonly string[],
  spec: Readonly<Record<F, ColumnSpec>>,
  adapterId: string,
  expected: string,
): Partial<Record<F, string>> {
  const byKey = new Map<string, string>();
  for (const name of header) {
    const key = columnKey(name);
    if (!byKey.has(key)) byKey.set(key, name);
  }
  const columns: Partial<Record<F, string>> = {};
  const missing: string[] = [];
  for (const field of Object.keys(spec) as F[]) {
    const { names, required } = spec[field];
    const found = names.map((name) => byKey.get(columnKey(name))).find((name) => name !== undefined);
    if (found !== undefined) columns[field] = found;
    else if (required) missing.push(names[0] ?? field);
  }
  if (missing.length > 0) {
    throw new SourceFormatError(
      `${adapterId}: the export lacks the required column(s) ${missing.join(', ')}; found columns: ` +
        `${header.length > 0 ? header.join(', ') : '(none)'}. Is this ${expected}?`,
    );
  }
  return columns;
}

/** Reads one row's cell per field: the cell under the field's column, '' where the export lacks the column. */
export function fieldCells<F extends string>(
  values: Readonly<Record<string, string>>,
  columns: Readonly<Partial<Record<F, string>>>,
): (field: F) => string {
  return (field) => {
    const column = columns[field];
    return column === undefined ? '' : (values[column] ?? '');
  };
}

/** A row error for the snapshot's samples; `truncated` marks a last row cut short. */
export function rowError(row: number, message: string, truncated?: boolean): { error: RowError } {
  return { error: truncated ? { row, message, truncated: true } : { row, message } };
}

/** The row's non-empty cells keyed by the export's own column names: the evidence of what was published. */
export function publishedAttributes(values: Readonly<Record<string, string>>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const column in values) {
    const value = values[column];
    if (value) attributes[column] = value;
  }
  return attributes;
}

/** Text with line breaks and runs of spaces (quoted cells carry both) as single spaces. */
export function cleanText(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The form of a field that goes into an entry key: registries fix spacing and letter case without
 * meaning a different listing, so neither may change the key.
 */
export function keyText(value: string | undefined): string {
  return cleanText((value ?? '').normalize('NFKC')).toUpperCase();
}

/** Split a multi-valued cell ("Teal Drones;iDrone"), dropping blanks and repeats. */
export function splitValues(value: string | undefined, separator = ';'): string[] {
  const seen = new Set<string>();
  for (const part of (value ?? '').split(separator)) {
    const text = cleanText(part);
    if (text) seen.add(text);
  }
  return [...seen];
}

const HAN = /\p{Script=Han}/u;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

// ---------------------------------------------------------------------------------------------
// Entity types

const PERSON_TITLE = /^(?:mr|mrs|ms|miss|mme|mlle|dr|prof|sir|sheikh)\b\.?\s/i;
const HAN_ORGANIZATION = /(?:公司|集团|企业|厂|研究所|研究院|大学|学院|协会|银行|中心|商行|事务所)/;
/**
 * Legal forms and words that only organisations' names carry. Lists without a type column mix
 * firms and people; a name without any of these stays 'unknown' rather than being guessed a person.
 */
const ORGANIZATION_WORDS = new Set(
  (
    'LTD LIMITED INC INCORPORATED LLC LLP LP PLC CO COMPANY COMPANIES CORP CORPORATION GMBH AG KG SA SAS SARL SRL ' +
    'SPA SL BV NV AB OY OYJ AS ASA APS JSC PJSC OJSC CJSC OOO ZAO OAO TOO PTY PVT PT TBK BHD BERHAD SDN LTDA EIRL ' +
    'KK SE SNC CV DOO SAC SRO KFT ZRT FZE FZCO FZC DMCC WLL EST GROUP HOLDING HOLDINGS INTERNATIONAL INDUSTRIES ' +
    'INDUSTRY INDUSTRIAL ENTERPRISE ENTERPRISES TRADING TRADERS TECHNOLOGY TECHNOLOGIES ENGINEERING CONSTRUCTION ' +
    'CONSTRUCTIONS CONSTRUCTORA CONSTRUTORA SERVICES SOLUTIONS SYSTEMS AIRLINES AIRLINE AIRWAYS AVIATION BANK ' +
    'UNIVERSITY INSTITUTE FOUNDATION ASSOCIATION AGENCY COOPERATIVE CONSULTING CONSULTANTS CONSULTANCY ' +
    'ELECTRONICS LABORATORIES LABORATORY LOGISTICS SHIPPING MANUFACTURING FACTORY PARTNERS CONSORTIUM ' +
    'CORPORATIVO EMPRESA COMERCIAL INGENIERIA ANSTALT'
  ).split(' '),
);

/** 'person' for a titled name, 'organization' for one with a legal form or business word, else 'unknown'. */
export function guessEntityType(name: string): EntityType {
  const text = name.normalize('NFKC').trim();
  if (PERSON_TITLE.test(text)) return 'person';
  if (HAN_ORGANIZATION.test(text) || /\bM\/S\b/i.test(text)) return 'organization';
  // "S.A.", "L.L.C." and "A.S." are compared without their dots.
  for (const word of text
    .toUpperCase()
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)) {
    if (ORGANIZATION_WORDS.has(word)) return 'organization';
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Countries

/**
 * Country names as lists write them that differ from the English short names Intl knows: formal
 * names, "X, Republic of" forms (the World Bank's), older names, and misspellings seen in real
 * exports. Keys are in countryKey form.
 */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  uk: 'GB',
  'great britain': 'GB',
  'united kingdom of great britain and northern ireland': 'GB',
  england: 'GB',
  usa: 'US',
  'u s a': 'US',
  'united states of america': 'US',
  prc: 'CN',
  'p r china': 'CN',
  'peoples republic of china': 'CN',
  'china peoples republic of': 'CN',
  'taiwan china': 'TW',
  'hong kong sar china': 'HK',
  'macao sar china': 'MO',
  uae: 'AE',
  'russian federation': 'RU',
  'viet nam': 'VN',
  turkey: 'TR',
  turkiye: 'TR',
  'czech republic': 'CZ',
  'slovak republic': 'SK',
  'kyrgyz republic': 'KG',
  'kyrgz republic': 'KG',
  'lao pdr': 'LA',
  'lao peoples democratic republic': 'LA',
  'republic of korea': 'KR',
  'korea republic of': 'KR',
  'south korea': 'KR',
  'korea democratic peoples republic of': 'KP',
  'democratic peoples republic of korea': 'KP',
  'north korea': 'KP',
  'iran islamic republic of': 'IR',
  'islamic republic of iran': 'IR',
  'iraq islamic republic of': 'IQ',
  'egypt arab republic of': 'EG',
  'arab republic of egypt': 'EG',
  'syrian arab republic': 'SY',
  'yemen republic of': 'YE',
  'republic of yemen': 'YE',
  'venezuela republica bolivariana de': 'VE',
  'venezuela rb': 'VE',
  'bolivarian republic of venezuela': 'VE',
  'plurinational state of bolivia': 'BO',
  congo: 'CG',
  'congo republic of': 'CG',
  'republic of congo': 'CG',
  'republic of the congo': 'CG',
  'congo democratic republic of': 'CD',
  'congo democratic republic of the': 'CD',
  'democratic republic of congo': 'CD',
  'democratic republic of the congo': 'CD',
  'congo dem rep': 'CD',
  'gambia the': 'GM',
  'bahamas the': 'BS',
  'micronesia federated states of': 'FM',
  'ecuatorial guinea': 'GQ',
  'sri lanca': 'LK',
  'kingdom of saudi arabia': 'SA',
  'state of kuwait': 'KW',
  'republic of azerbaijan': 'AZ',
  'republic of kosovo': 'XK',
  'virgin islands british': 'VG',
  'west bank and gaza': 'PS',
  burma: 'MM',
  myanmar: 'MM',
  'ivory coast': 'CI',
  macedonia: 'MK',
  swaziland: 'SZ',
};

/** Region codes Intl names that are not countries. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);

function countryKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/^saint /, 'st ');
}

let countryIndex: { byName: Map<string, string>; codes: Set<string> } | undefined;

/** English country names from the runtime's ICU data, plus the aliases; built once. */
function countries(): { byName: Map<string, string>; codes: Set<string> } {
  if (countryIndex) return countryIndex;
  const byName = new Map<string, string>();
  const codes = new Set<string>();
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      let name: string | undefined;
      try {
        name = display.of(code);
      } catch {
        continue;
      }
      if (!name || name === code || NOT_COUNTRIES.has(code)) continue;
      codes.add(code);
      byName.set(countryKey(name), code);
      // "Myanmar (Burma)", "Congo - Kinshasa": the part before the qualifier is a name too, unless taken.
      const short = countryKey(name.replace(/\s*\(.*\)$|\s+-\s+.*$/, ''));
      if (short && !byName.has(short)) byName.set(short, code);
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) byName.set(alias, code);
  countryIndex = { byName, codes };
  return countryIndex;
}

/**
 * The ISO 3166-1 alpha-2 code for a country cell (a code, an English name, a formal or World Bank
 * style name), or undefined when it is empty or not recognised; the published text stays in the
 * record's attributes either way. A cell listing the same country on several lines (EBRD:
 * "Indonesia\n\nIndonesia") is that country; one listing different countries has none.
 */
export function countryCode(value: string | undefined): string | undefined {
  const whole = singleCountryCode(cleanText(value));
  if (whole || !value || !/[\r\n;]/.test(value)) return whole;
  const codes = new Set(
    value
      .split(/[\r\n;]+/)
      .map(cleanText)
      .filter(Boolean)
      .map(singleCountryCode),
  );
  const [code] = codes;
  return codes.size === 1 ? code : undefined;
}

function singleCountryCode(text: string): string | undefined {
  if (!text) return undefined;
  const { byName, codes } = countries();
  if (/^[A-Za-z]{2}$/.test(text)) {
    const code = text.toUpperCase();
    if (codes.has(code)) return code;
  }
  return byName.get(countryKey(text));
}
