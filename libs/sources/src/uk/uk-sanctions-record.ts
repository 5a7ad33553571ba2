/**
 * The UK Sanctions List (FCDO): the single UK list since OFSI's Consolidated List closed in January
 * 2026, published as CSV, XML and ODS at https://www.gov.uk/government/publications/the-uk-sanctions-list.
 * No sample of the real files is in the shared data; both parsers follow the published layouts and
 * match column and element names tolerantly (case, spacing, punctuation). This module turns one
 * designation, read from either format, into a list record.
 */
import type { EntityType, ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import type { ParseItem } from '../source-adapter';
import { isoCountryCode } from '../xml/country-codes';
import { IdentifierList } from '../xml/listed-identifiers';
import { parseDayFirstDate } from '../xml/listed-dates';
import { NameList } from '../xml/listed-names';
import { collapseWhitespace } from '../xml/xml-node';

export interface UkName {
  /** Name 1..Name 5 (given names) then Name 6 (family name, or the whole name of an entity or ship). */
  parts: (string | undefined)[];
  /** "Primary Name", "Primary name variation" or "Alias". */
  type?: string;
}

/** One designation as both formats carry it; values as published (cleaned of layout whitespace). */
export interface UkDesignation {
  uniqueId: string;
  /** Where the designation starts in the file (CSV line of its first row, XML line of its element). */
  line: number;
  /** "Individual", "Entity" or "Ship". */
  designationType?: string;
  names: UkName[];
  nonLatinNames: string[];
  regimes: string[];
  dateDesignated?: string;
  statementOfReasons?: string;
  otherInformation?: string;
  addressCountries: string[];
  businessRegistrationNumbers: string[];
  imoNumbers: string[];
  attributes: Record<string, string>;
}

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  individual: 'person',
  entity: 'organization',
  ship: 'vessel',
};

/** "Primary Name" (any case); "Primary name variation" and "Alias" are aliases. */
const isPrimary = (type: string | undefined): boolean => /^primary\s*name$/i.test(type?.trim() ?? '');

/** Cells that hold several numbers separate them with ';' or line breaks. */
function splitValues(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/[;\n]/)).flatMap((value) => collapseWhitespace(value) ?? []);
}

export function ukDesignationToItem(designation: UkDesignation, adapterId: string): ParseItem {
  const { uniqueId, line } = designation;
  const type = designation.designationType?.trim().toLowerCase();
  const entityType: EntityType = (type && ENTITY_TYPES[type]) || 'unknown';

  const names = new NameList();
  for (const name of designation.names) {
    const value = name.parts.filter((part) => part !== undefined && part.length > 0).join(' ');
    names.add(value, isPrimary(name.type) ? 'primary' : 'alias');
  }
  for (const name of designation.nonLatinNames) names.add(name, 'alias');
  if (names.size === 0) return { error: { row: line, message: `${adapterId}: designation ${uniqueId} has no name` } };

  const identifiers = new IdentifierList({ organization: entityType !== 'person' });
  // Sorted like everything else taken from several rows: FCDO promises no order for a designation's
  // rows, so the record must not depend on it.
  for (const number of splitValues(designation.businessRegistrationNumbers).sort())
    identifiers.add('registration', number);
  for (const number of splitValues(designation.imoNumbers).sort()) identifiers.add('imo', number);
  // Numbers FCDO has no column for (LEI, tax numbers) are sometimes stated in Other Information.
  if (entityType !== 'person') identifiers.addAll(identifiersInText(designation.otherInformation));

  const record: ListRecord = {
    key: uniqueId,
    entityType,
    // FCDO does not promise an order for a designation's alias rows; sorted, a reordering is no change.
    names: names.toArray({ sortAliases: true }),
    identifiers: identifiers.toArray(),
    authority: 'UK Foreign, Commonwealth & Development Office',
    attributes: designation.attributes,
  };
  const regimes = [...new Set(designation.regimes)].sort();
  if (regimes.length > 0) record.programs = regimes;
  // Of several address countries the lowest code, for the same reason; all stay in attributes.
  const country = designation.addressCountries
    .map((name) => isoCountryCode(name))
    .filter((code) => code !== undefined)
    .sort()[0];
  if (country) record.country = country;
  const listedOn = parseDayFirstDate(designation.dateDesignated);
  if (listedOn) record.listedOn = listedOn;
  const reason = designation.statementOfReasons ?? designation.otherInformation;
  if (reason) record.reason = reason;
  return { record };
}
