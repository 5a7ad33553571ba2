import type { Readable } from 'node:stream';
import type { EntityName, EntityType, ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import type { ParseContext, ParseItem } from '../source-adapter';
import { ofacCountryCode } from './ofac-country.mapper';
import { readOfacCsv, type OfacCsvItem } from './ofac-csv.reader';
import type { OfacFileNames, OfacSettings, OfacSideResource } from './ofac.settings';

/** Columns of sdn.csv / cons_prim.csv, by OFAC's published names (the files have no header). */
export const OFAC_MAIN_COLUMNS = [
  'ent_num',
  'SDN_Name',
  'SDN_Type',
  'Program',
  'Title',
  'Call_Sign',
  'Vess_type',
  'Tonnage',
  'GRT',
  'Vess_flag',
  'Vess_owner',
  'Remarks',
] as const;
export const OFAC_ALT_COLUMNS = ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'] as const;
export const OFAC_ADD_COLUMNS = [
  'ent_num',
  'Add_num',
  'Address',
  'City/State/Province/Postal',
  'Country',
  'Add_remarks',
] as const;
export const OFAC_COMMENTS_COLUMNS = ['ent_num', 'remarks_extension'] as const;

export const OFAC_AUTHORITY = 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)';

interface OfacAlias {
  num: number;
  type?: string;
  name: string;
  remarks?: string;
}

interface OfacAddress {
  num: number;
  address?: string;
  cityStateProvincePostal?: string;
  country?: string;
  remarks?: string;
}

/** What the side files say about each entry, keyed by ent_num. */
interface OfacSideData {
  aliases: Map<string, OfacAlias[]>;
  addresses: Map<string, OfacAddress[]>;
  /** Continuations of Remarks that OFAC cut at its field length, in file order. */
  comments: Map<string, string[]>;
}

/**
 * Stream-parse an OFAC CSV list (SDN or Non-SDN Consolidated): the main file from `input`, joined
 * with the alias, address and comment files when the plan provides them. The side files are
 * small (a few MB for the SDN) and read into memory first, keyed by ent_num; the main file streams.
 */
export async function* parseOfacCsv(
  input: Readable,
  context: ParseContext<OfacSettings>,
  files: OfacFileNames,
): AsyncGenerator<ParseItem> {
  const { signal } = context;
  signal.throwIfAborted();
  const side: OfacSideData = { aliases: new Map(), addresses: new Map(), comments: new Map() };

  // A side file that is not in the plan was not provided: the main file alone is still the list.
  const provided = (name: OfacSideResource): boolean => context.resourceNames.includes(name);
  // The main stream waits unread while the side files load; it must not be left open if they fail
  // or the caller stops early.
  try {
    if (provided('alt')) {
      for await (const item of readOfacCsv(context.open('alt'), files.alt, OFAC_ALT_COLUMNS, signal)) {
        if ('error' in item) yield rowError(item);
        else addAlias(side.aliases, item);
      }
    }
    if (provided('add')) {
      for await (const item of readOfacCsv(context.open('add'), files.add, OFAC_ADD_COLUMNS, signal)) {
        if ('error' in item) yield rowError(item);
        else addAddress(side.addresses, item);
      }
    }
    if (provided('comments')) {
      for await (const item of readOfacCsv(context.open('comments'), files.comments, OFAC_COMMENTS_COLUMNS, signal)) {
        if ('error' in item) yield rowError(item);
        else if (item.cells[1] !== undefined) pushTo(side.comments, item.cells[0]!, item.cells[1]);
      }
    }
    for (const list of side.aliases.values()) list.sort((a, b) => a.num - b.num);
    for (const list of side.addresses.values()) list.sort((a, b) => a.num - b.num);

    for await (const item of readOfacCsv(input, files.main, OFAC_MAIN_COLUMNS, signal)) {
      if ('error' in item) yield rowError(item);
      else yield toOfacItem(item.row, item.cells, side, files.main);
    }
  } finally {
    if (!input.destroyed) input.destroy();
  }
}

function rowError(item: Extract<OfacCsvItem, { error: string }>): ParseItem {
  return { error: { row: item.row, message: item.error, ...(item.truncated ? { truncated: true } : {}) } };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addAlias(aliases: Map<string, OfacAlias[]>, item: { cells: (string | undefined)[] }): void {
  const [entNum, altNum, type, name, remarks] = item.cells;
  // Rows without a name carry nothing to match on; the row check already rejected malformed ones.
  if (entNum === undefined || name === undefined) return;
  const alias: OfacAlias = { num: Number(altNum ?? 0), name };
  if (type !== undefined) alias.type = type;
  if (remarks !== undefined) alias.remarks = remarks;
  pushTo(aliases, entNum, alias);
}

function addAddress(addresses: Map<string, OfacAddress[]>, item: { cells: (string | undefined)[] }): void {
  const [entNum, addNum, address, cityStateProvincePostal, country, remarks] = item.cells;
  // OFAC gives every entry an address row, all `-0-` when it knows no address.
  if (entNum === undefined || (!address && !cityStateProvincePostal && !country && !remarks)) return;
  const entry: OfacAddress = { num: Number(addNum ?? 0) };
  if (address !== undefined) entry.address = address;
  if (cityStateProvincePostal !== undefined) entry.cityStateProvincePostal = cityStateProvincePostal;
  if (country !== undefined) entry.country = country;
  if (remarks !== undefined) entry.remarks = remarks;
  pushTo(addresses, entNum, entry);
}

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  individual: 'person',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

/** "DPRK3] [CYBER2": OFAC joins several programmes in one cell with "] [". */
export function splitOfacPrograms(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split(/\]\s*\[/)
    .map((program) => program.replace(/^\[|\]$/g, '').trim())
    .filter((program) => program.length > 0);
}

/** Turn one main-file row and what the side files say about it into a record, or a row error. */
function toOfacItem(row: number, cells: readonly (string | undefined)[], side: OfacSideData, file: string): ParseItem {
  const [entNum, sdnName, sdnType, program, , , , , , , , remarks] = cells;
  if (entNum === undefined || !/^\d+$/.test(entNum)) {
    return { error: { row, message: `${file} line ${row}: ent_num ${JSON.stringify(entNum ?? '')} is not a number` } };
  }
  if (sdnName === undefined) {
    return { error: { row, message: `${file} line ${row}: SDN_Name of ent_num ${entNum} is empty` } };
  }

  const names: EntityName[] = [{ value: sdnName, kind: 'primary' }];
  const aliases = side.aliases.get(entNum) ?? [];
  for (const alias of aliases) {
    if (!names.some((n) => n.value === alias.name)) names.push({ value: alias.name, kind: 'alias' });
  }

  // OFAC cuts Remarks at its field length and continues it in the comments file mid-word, so the
  // parts join with nothing between them.
  const extension = side.comments.get(entNum)?.join('');
  const fullRemarks = (remarks ?? '') + (extension ?? '');

  const attributes: Record<string, string> = {};
  OFAC_MAIN_COLUMNS.forEach((column, index) => {
    const value = cells[index];
    if (value !== undefined) attributes[column] = value;
  });
  if (extension) attributes.remarks_extension = extension;
  if (aliases.length > 0) attributes.aliases = aliases.map(formatAlias).join('; ');
  const addresses = side.addresses.get(entNum) ?? [];
  if (addresses.length > 0) attributes.addresses = addresses.map(formatAddress).join('; ');

  const record: ListRecord = {
    key: entNum,
    entityType: ENTITY_TYPES[(sdnType ?? '').toLowerCase()] ?? 'organization',
    names,
    identifiers: identifiersInText(fullRemarks),
    authority: OFAC_AUTHORITY,
    attributes,
  };
  const programs = splitOfacPrograms(program);
  if (programs.length > 0) record.programs = programs;
  // The first address (by OFAC's own numbering) that names a country OFAC spells in a known way.
  for (const address of addresses) {
    const code = ofacCountryCode(address.country);
    if (code) {
      record.country = code;
      break;
    }
  }
  return { record };
}

function formatAlias(alias: OfacAlias): string {
  const text = alias.type ? `${alias.type} ${alias.name}` : alias.name;
  return alias.remarks ? `${text} (${alias.remarks})` : text;
}

function formatAddress(address: OfacAddress): string {
  const text = [address.address, address.cityStateProvincePostal, address.country]
    .filter((part) => part !== undefined)
    .join(', ');
  return address.remarks ? `${text} (${address.remarks})` : text;
}
