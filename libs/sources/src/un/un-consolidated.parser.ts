import type { Readable } from 'node:stream';
import type { ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import type { ParseContext, ParseItem } from '../source-adapter';
import { isoCountryCode } from '../xml/country-codes';
import { IdentifierList } from '../xml/listed-identifiers';
import { parseXmlDate } from '../xml/listed-dates';
import { NameList } from '../xml/listed-names';
import { childrenNamed, childText, flattenNode, nodeText, type XmlNode } from '../xml/xml-node';
import { readXmlRecords, type XmlRecord } from '../xml/xml-records';
import type { XmlSourceSettings } from '../xml/xml-settings';

export const UN_CONSOLIDATED_ID = 'un-consolidated-xml';

export type UnConsolidatedSettings = XmlSourceSettings;

const RECORD_PATHS = ['CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL', 'CONSOLIDATED_LIST/ENTITIES/ENTITY'];

/**
 * Left out of `attributes`, and so of the content hash. DATAID and VERSIONNUM are the UN database's
 * own row id and revision counter, not part of what the listing says: an amendment changes the
 * listing's fields (and LAST_DAY_UPDATED, which is kept as the published amendment date), so
 * dropping them loses no change, while a re-keyed or re-versioned database export would otherwise
 * report every entry as modified. SORT_KEY and SORT_KEY_LAST_MOD are always empty ordering fields.
 * In the real 2018-08-24 -> 2018-10-29 diff no entry differs in these fields alone.
 */
export const UN_ADMINISTRATIVE_FIELDS: ReadonlySet<string> = new Set([
  'DATAID',
  'VERSIONNUM',
  'SORT_KEY',
  'SORT_KEY_LAST_MOD',
]);

const PERSON_NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];

/** The names of a record: the UN writes several alias spellings in one ALIAS_NAME separated by ';'. */
function unNames(node: XmlNode, individual: boolean): NameList {
  const names = new NameList();
  const primary = individual
    ? PERSON_NAME_PARTS.map((part) => childText(node, part))
        .filter((part) => part !== undefined)
        .join(' ')
    : childText(node, 'FIRST_NAME');
  names.add(primary, 'primary');
  names.add(childText(node, 'NAME_ORIGINAL_SCRIPT'), 'alias');
  for (const alias of childrenNamed(node, individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    for (const part of (childText(alias, 'ALIAS_NAME') ?? '').split(';')) names.add(part, 'alias');
  }
  return names;
}

/** The first address country the table knows; for a person without one, the first nationality. */
function unCountry(node: XmlNode, individual: boolean): string | undefined {
  for (const address of childrenNamed(node, individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
    const code = isoCountryCode(childText(address, 'COUNTRY'));
    if (code) return code;
  }
  if (!individual) return undefined;
  for (const nationality of childrenNamed(node, 'NATIONALITY')) {
    for (const value of childrenNamed(nationality, 'VALUE')) {
      const code = isoCountryCode(nodeText(value));
      if (code) return code;
    }
  }
  return undefined;
}

/** One INDIVIDUAL or ENTITY element as a record, or the reason it cannot be one. */
export function toUnConsolidatedItem(record: XmlRecord): ParseItem {
  const { node, line } = record;
  const individual = node.name === 'INDIVIDUAL';
  const key = childText(node, 'REFERENCE_NUMBER');
  if (!key) {
    const dataId = childText(node, 'DATAID');
    return {
      error: { row: line, message: `<${node.name}>${dataId ? ` (DATAID ${dataId})` : ''} has no REFERENCE_NUMBER` },
    };
  }
  const names = unNames(node, individual);
  if (names.size === 0) return { error: { row: line, message: `${key}: no name (FIRST_NAME is empty)` } };

  const identifiers = new IdentifierList({ organization: !individual });
  for (const document of childrenNamed(node, 'INDIVIDUAL_DOCUMENT')) {
    identifiers.add('other', childText(document, 'NUMBER'), isoCountryCode(childText(document, 'ISSUING_COUNTRY')));
  }
  // Entities have no document elements; a registration number, when the UN gives one, is in the comments.
  if (!individual) identifiers.addAll(identifiersInText(childText(node, 'COMMENTS1')));

  const result: ListRecord = {
    key,
    entityType: individual ? 'person' : 'organization',
    names: names.toArray(),
    identifiers: identifiers.toArray(),
    authority: 'UN Security Council',
    attributes: flattenNode(node, { exclude: UN_ADMINISTRATIVE_FIELDS }),
  };
  const program = childText(node, 'UN_LIST_TYPE');
  if (program) result.programs = [program];
  const country = unCountry(node, individual);
  if (country) result.country = country;
  // A date the list writes oddly stays in attributes; the listing itself is never dropped for it.
  const listedOn = parseXmlDate(childText(node, 'LISTED_ON'));
  if (listedOn) result.listedOn = listedOn;
  const reason = childText(node, 'COMMENTS1');
  if (reason) result.reason = reason;
  return { record: result };
}

/** Stream-parse the UN Security Council Consolidated List XML into records. */
export async function* parseUnConsolidated(
  input: Readable | AsyncIterable<unknown>,
  context: ParseContext<UnConsolidatedSettings>,
): AsyncGenerator<ParseItem> {
  const records = readXmlRecords(input, {
    records: RECORD_PATHS,
    rootNames: ['CONSOLIDATED_LIST'],
    label: 'UN consolidated list XML',
    encoding: context.settings.encoding,
    signal: context.signal,
  });
  for await (const record of records) yield toUnConsolidatedItem(record);
}
