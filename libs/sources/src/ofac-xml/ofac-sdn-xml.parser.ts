import type { Readable } from 'node:stream';
import type { EntityType, ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import type { ParseContext, ParseItem } from '../source-adapter';
import { isoCountryCode } from '../xml/country-codes';
import { IdentifierList } from '../xml/listed-identifiers';
import { NameList } from '../xml/listed-names';
import { childNamed, childrenNamed, childText, flattenNode, nodeText, type XmlNode } from '../xml/xml-node';
import { readXmlRecords, type XmlRecord } from '../xml/xml-records';
import type { XmlSourceSettings } from '../xml/xml-settings';

export const OFAC_SDN_XML_ID = 'ofac-sdn-xml';

export type OfacSdnXmlSettings = XmlSourceSettings;

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  individual: 'person',
  entity: 'organization',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

/**
 * `uid` inside an entry numbers OFAC's own rows (each aka, address, id): database bookkeeping,
 * not listing content. The entry's own uid is its key.
 */
const ADMINISTRATIVE_FIELDS: ReadonlySet<string> = new Set(['uid']);

/**
 * The domain scheme of an `idType`, or undefined when the "id" is not an identifier at all. OFAC
 * files remarks under idList too: labels ending in ':' or '-' ("Additional Sanctions Information -",
 * "For more information, please see:"), websites, e-mail addresses, flags, gender. Kept as
 * identifiers they would match unrelated parties on a URL or a word, so they stay in attributes only.
 */
export function ofacIdScheme(idType: string): string | undefined {
  const type = idType.trim();
  if (/[:-]$/.test(type)) return undefined;
  if (
    /^(?:website|email address|gender|former vessel flag|vessel flag|nationality of registration|nationality country|citizenship country|phone number|organization (?:established date|type)|target type|listing date|effective date|vessel year of build)\b/i.test(
      type,
    )
  ) {
    return undefined;
  }
  if (/unified social credit code|\buscc\b/i.test(type)) return 'uscc';
  if (/legal entity (?:number|identifier)|\blei\b/i.test(type)) return 'lei';
  if (/vessel registration identification|\bimo\b/i.test(type)) return 'imo';
  if (/\btax\b|\bv\.?a\.?t\b|\binn\b|\bnit\b|\brfc\b|\bcuit\b|taxpayer|fiscal/i.test(type)) return 'tax';
  if (
    /registration|registry|register|company number|business number|trade license|commercial|\bogrn\b|chamber of commerce/i.test(
      type,
    )
  ) {
    return 'registration';
  }
  return 'other';
}

/** "LAST, First" for a person, as OFAC writes names in its CSV and search tool; the last name alone otherwise. */
function ofacName(node: XmlNode): string | undefined {
  const last = childText(node, 'lastName');
  const first = childText(node, 'firstName');
  if (last && first) return `${last}, ${first}`;
  return last ?? first;
}

/** One sdnEntry as a record, or the reason it cannot be one. */
export function toOfacSdnItem(record: XmlRecord): ParseItem {
  const { node, line } = record;
  const key = childText(node, 'uid');
  if (!key) return { error: { row: line, message: 'sdnEntry has no uid' } };
  const sdnType = childText(node, 'sdnType');
  const entityType = (sdnType && ENTITY_TYPES[sdnType.toLowerCase()]) || 'unknown';

  const names = new NameList();
  names.add(ofacName(node), 'primary');
  for (const aka of childrenNamed(childNamed(node, 'akaList'), 'aka')) names.add(ofacName(aka), 'alias');
  if (names.size === 0) return { error: { row: line, message: `sdnEntry ${key}: no lastName` } };

  const identifiers = new IdentifierList({ organization: entityType !== 'person' });
  for (const id of childrenNamed(childNamed(node, 'idList'), 'id')) {
    const type = childText(id, 'idType');
    const number = childText(id, 'idNumber');
    const scheme = type === undefined ? undefined : ofacIdScheme(type);
    if (!type || !number || !scheme) continue;
    // Read as the statement OFAC's CSV remarks make of the same id ("Tax ID No. 7702070139 (Russia)"),
    // so an entry gets the same identifiers from SDN.XML as from sdn.csv; labels the shared reader
    // does not know fall back to the idType mapping here.
    const country = childText(id, 'idCountry');
    const stated = identifiersInText(`${type} ${number}${country ? ` (${country})` : ''}`);
    if (stated.length > 0) identifiers.addAll(stated);
    else identifiers.add(scheme, number, isoCountryCode(country));
  }
  identifiers.addAll(identifiersInText(childText(node, 'remarks')));

  const result: ListRecord = {
    key,
    entityType,
    names: names.toArray(),
    identifiers: identifiers.toArray(),
    authority: 'US Treasury OFAC',
    attributes: flattenNode(node, { exclude: ADMINISTRATIVE_FIELDS }),
  };
  const programs = childrenNamed(childNamed(node, 'programList'), 'program')
    .map(nodeText)
    .filter((program) => program !== undefined);
  if (programs.length > 0) result.programs = [...new Set(programs)];
  const country = entryCountry(node, entityType);
  if (country) result.country = country;
  return { record: result };
}

/** The first address country; for people without one, the first nationality or citizenship. */
function entryCountry(node: XmlNode, entityType: EntityType): string | undefined {
  for (const address of childrenNamed(childNamed(node, 'addressList'), 'address')) {
    const code = isoCountryCode(childText(address, 'country'));
    if (code) return code;
  }
  if (entityType !== 'person') return undefined;
  for (const list of ['nationalityList', 'citizenshipList']) {
    for (const item of childNamed(node, list)?.children ?? []) {
      const code = isoCountryCode(childText(item, 'country'));
      if (code) return code;
    }
  }
  return undefined;
}

/**
 * Stream-parse OFAC's classic SDN.XML (`sdnList/sdnEntry`); the Consolidated (non-SDN) list XML
 * has the same layout and parses the same way.
 */
export async function* parseOfacSdnXml(
  input: Readable | AsyncIterable<unknown>,
  context: ParseContext<OfacSdnXmlSettings>,
): AsyncGenerator<ParseItem> {
  const records = readXmlRecords(input, {
    records: ['//sdnEntry'],
    rootNames: ['sdnList'],
    label: 'OFAC SDN XML',
    encoding: context.settings.encoding,
    signal: context.signal,
  });
  for await (const record of records) yield toOfacSdnItem(record);
}
