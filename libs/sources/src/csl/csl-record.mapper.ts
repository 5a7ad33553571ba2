import { identityKey, type EntityName, type EntityType, type ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import { parseRegistryDate } from '../common/registry-date';
import type { ParseItem } from '../source-adapter';
import { cslList } from './csl-source.mapper';

/** The CSV export's columns (trade.gov), in order. The JSON API has the same fields, `id` for `_id`. */
export const CSL_COLUMNS = [
  '_id',
  'source',
  'entity_number',
  'type',
  'programs',
  'name',
  'title',
  'addresses',
  'federal_register_notice',
  'start_date',
  'end_date',
  'standard_order',
  'license_requirement',
  'license_policy',
  'call_sign',
  'vessel_type',
  'gross_tonnage',
  'gross_registered_tonnage',
  'vessel_flag',
  'vessel_owner',
  'remarks',
  'source_list_url',
  'alt_names',
  'citizenships',
  'dates_of_birth',
  'nationalities',
  'places_of_birth',
  'source_information_url',
  'ids',
] as const;

/** Columns without which a row cannot be listed or keyed. */
export const CSL_REQUIRED_COLUMNS = ['source', 'name'] as const;

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  individual: 'person',
  entity: 'organization',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

/** Several values in one cell are joined with ";" by the CSV export. */
export function splitCslValues(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split(';')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** An address ends with its ISO country code: "31 Jinrong Street, Xicheng District, Beijing, 100033, CN". */
const ADDRESS_COUNTRY = /(?:^|,\s*)([A-Z]{2})$/;

function country(fields: Readonly<Record<string, string>>): string | undefined {
  for (const address of splitCslValues(fields.addresses)) {
    const code = ADDRESS_COUNTRY.exec(address)?.[1];
    if (code) return code;
  }
  // Persons often have no address, only a nationality or citizenship (also ISO codes).
  for (const column of ['nationalities', 'citizenships']) {
    const code = splitCslValues(fields[column]).find((value) => /^[A-Z]{2}$/.test(value));
    if (code) return code;
  }
  return undefined;
}

/**
 * Turn one CSL row (CSV cells, or a JSON record flattened to the same strings) into a record.
 * `row` is the CSV line or the JSON record's 1-based position.
 */
export function toCslItem(row: number, fields: Readonly<Record<string, string>>): ParseItem {
  const source = fields.source?.trim() ?? '';
  const name = fields.name?.trim() ?? '';
  const problems: string[] = [];
  if (source.length === 0) problems.push('source is empty');
  if (name.length === 0) problems.push('name is empty');
  if (problems.length > 0) return { error: { row, message: problems.join('; ') } };
  // A start date that is not a date stays in the attributes; dropping the listing for it would
  // report a listed party as removed.
  const startDate = fields.start_date?.trim() ?? '';
  const listedOn = startDate.length > 0 ? parseRegistryDate(startDate) : undefined;

  const list = cslList(source);
  const id = (fields._id ?? fields.id ?? '').trim();
  // Treasury rows use OFAC's ent_num as their id, and one entity can be on two Treasury lists
  // (SSI and NS-MBS, SDN and PLC) with the same id: the list code keeps each listing apart.
  const key = `${list.code}:${id.length > 0 ? id : identityKey([source, fields.entity_number, name])}`;

  const names: EntityName[] = [{ value: name, kind: 'primary' }];
  for (const alias of splitCslValues(fields.alt_names)) {
    if (!names.some((n) => n.value === alias)) names.push({ value: alias, kind: 'alias' });
  }

  const attributes: Record<string, string> = {};
  for (const column in fields) {
    const value = fields[column]?.trim();
    if (value) attributes[column] = value;
  }

  const record: ListRecord = {
    key,
    entityType: ENTITY_TYPES[(fields.type ?? '').trim().toLowerCase()] ?? 'unknown',
    names,
    identifiers: identifiersInText(fields.ids),
    attributes,
  };
  if (list.listKind) record.listKind = list.listKind;
  const programs = splitCslValues(fields.programs);
  if (programs.length > 0) record.programs = programs;
  const code = country(fields);
  if (code) record.country = code;
  if (listedOn) record.listedOn = listedOn;
  if (list.authority) record.authority = list.authority;
  return { record };
}
