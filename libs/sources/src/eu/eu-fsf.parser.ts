/**
 * EU Financial Sanctions Files (FSF), "xmlFullSanctionsList_1_1": the consolidated list of persons,
 * groups and entities subject to EU financial sanctions. No sample of the real export is in the
 * shared data; this follows the published schema (namespace http://eu.europa.ec/fpi/fsd/export):
 *
 *   export@generationDate
 *     sanctionEntity@logicalId @euReferenceNumber @unitedNationId @designationDetails [@designationDate]
 *       remark*
 *       regulation@programme @publicationDate @entryIntoForceDate @numberTitle @regulationType (publicationUrl)
 *       subjectType@code @classificationCode            P = person, E = enterprise
 *       nameAlias@wholeName @firstName @middleName @lastName @nameLanguage @strong @function @title
 *       identification@identificationTypeCode @number @latinNumber @countryIso2Code (remark)
 *       address@countryIso2Code @city @street @zipCode ...
 *       citizenship@countryIso2Code, birthdate@birthdate ...
 *
 * Almost everything is an attribute; elements are matched by local name, so the default namespace
 * (or a prefix) makes no difference.
 */
import type { Readable } from 'node:stream';
import type { EntityType, ListRecord } from '@partnerwatch/domain';
import { identifiersInText } from '../common/identifiers-in-text';
import type { ParseContext, ParseItem } from '../source-adapter';
import { IdentifierList } from '../xml/listed-identifiers';
import { parseXmlDate } from '../xml/listed-dates';
import { NameList } from '../xml/listed-names';
import { attributeValue, childrenNamed, flattenNode, nodeText, type XmlNode } from '../xml/xml-node';
import { readXmlRecords, type XmlRecord } from '../xml/xml-records';
import type { XmlSourceSettings } from '../xml/xml-settings';

export const EU_FSF_ID = 'eu-fsf-xml';

export type EuFsfSettings = XmlSourceSettings;

/** identificationTypeCode values (lower case) and the domain scheme each is filed under; the rest are 'other'. */
const IDENTIFICATION_SCHEMES: Readonly<Record<string, string>> = {
  regnumber: 'registration',
  registrationnumber: 'registration',
  tax: 'tax',
  fiscalcode: 'tax',
  vat: 'tax',
  lei: 'lei',
  imo: 'imo',
};

/** "00" and "XX" stand for an unknown country in the FSF export. */
function isoCountry(value: string | undefined): string | undefined {
  const code = value?.toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) && code !== '00' && code !== 'XX' ? code : undefined;
}

function subjectType(node: XmlNode): EntityType {
  const subject = childrenNamed(node, 'subjectType')[0];
  const classification = attributeValue(subject, 'classificationCode')?.toUpperCase();
  const code = attributeValue(subject, 'code')?.toLowerCase();
  if (classification === 'P' || code === 'person') return 'person';
  if (classification === 'E' || code === 'enterprise' || code === 'entity') return 'organization';
  return 'unknown';
}

function aliasName(alias: XmlNode): string | undefined {
  const whole = attributeValue(alias, 'wholeName');
  if (whole) return whole;
  const parts = ['firstName', 'middleName', 'lastName'].map((a) => attributeValue(alias, a)).filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * The FSF marks no name as the primary one. The first "strong" alias in the regulation's own
 * language is the name the regulation lists the entity under; else the first strong alias; else the
 * first alias. nameLanguage is an ISO 639-1 code when it is set ("EN", "RU", "ZH").
 */
function euNames(node: XmlNode): NameList {
  const aliases = childrenNamed(node, 'nameAlias');
  const strong = aliases.filter((a) => attributeValue(a, 'strong')?.toLowerCase() !== 'false');
  const primary = strong.find((a) => !attributeValue(a, 'nameLanguage')) ?? strong[0] ?? aliases[0];
  const names = new NameList();
  const add = (alias: XmlNode, kind: 'primary' | 'alias'): void => {
    const language = attributeValue(alias, 'nameLanguage')?.toLowerCase();
    names.add(aliasName(alias), kind, language && /^[a-z]{2,3}$/.test(language) ? language : undefined);
  };
  if (primary) add(primary, 'primary');
  for (const alias of aliases) if (alias !== primary) add(alias, 'alias');
  return names;
}

/** The date the listing took effect: designationDate, else the earliest regulation's entry into force. */
function euListedOn(node: XmlNode): string | undefined {
  const designated = parseXmlDate(attributeValue(node, 'designationDate'));
  if (designated) return designated;
  let earliest: string | undefined;
  for (const regulation of childrenNamed(node, 'regulation')) {
    const date =
      parseXmlDate(attributeValue(regulation, 'entryIntoForceDate')) ??
      parseXmlDate(attributeValue(regulation, 'publicationDate'));
    if (date && (earliest === undefined || date < earliest)) earliest = date;
  }
  return earliest;
}

/** One sanctionEntity as a record, or the reason it cannot be one. */
export function toEuFsfItem(record: XmlRecord): ParseItem {
  const { node, line } = record;
  const key = attributeValue(node, 'logicalId');
  if (!key) {
    const reference = attributeValue(node, 'euReferenceNumber');
    return {
      error: { row: line, message: `sanctionEntity${reference ? ` ${reference}` : ''} has no logicalId` },
    };
  }
  const entityType = subjectType(node);
  const names = euNames(node);
  if (names.size === 0) return { error: { row: line, message: `sanctionEntity ${key}: no nameAlias with a name` } };

  const identifiers = new IdentifierList({ organization: entityType !== 'person' });
  for (const identification of childrenNamed(node, 'identification')) {
    const type = attributeValue(identification, 'identificationTypeCode')?.toLowerCase() ?? '';
    const number = attributeValue(identification, 'number') ?? attributeValue(identification, 'latinNumber');
    identifiers.add(
      IDENTIFICATION_SCHEMES[type] ?? 'other',
      number,
      isoCountry(attributeValue(identification, 'countryIso2Code')),
    );
  }

  const remarks = childrenNamed(node, 'remark')
    .map(nodeText)
    .filter((remark) => remark !== undefined);
  // Some entities' registration numbers are stated only in a remark.
  if (entityType !== 'person') for (const remark of remarks) identifiers.addAll(identifiersInText(remark));

  const result: ListRecord = {
    key,
    entityType,
    names: names.toArray(),
    identifiers: identifiers.toArray(),
    authority: 'European Union',
    attributes: flattenNode(node),
  };
  const programs = childrenNamed(node, 'regulation')
    .map((regulation) => attributeValue(regulation, 'programme'))
    .filter((programme) => programme !== undefined);
  if (programs.length > 0) result.programs = [...new Set(programs)];
  const country =
    childrenNamed(node, 'address')
      .map((address) => isoCountry(attributeValue(address, 'countryIso2Code')))
      .find(Boolean) ??
    childrenNamed(node, 'citizenship')
      .map((citizenship) => isoCountry(attributeValue(citizenship, 'countryIso2Code')))
      .find(Boolean);
  if (country) result.country = country;
  const listedOn = euListedOn(node);
  if (listedOn) result.listedOn = listedOn;
  const reason = remarks.length > 0 ? remarks.join(' ') : attributeValue(node, 'designationDetails');
  if (reason) result.reason = reason;
  return { record: result };
}

/** Stream-parse the EU Financial Sanctions Files full XML into records. */
export async function* parseEuFsf(
  input: Readable | AsyncIterable<unknown>,
  context: ParseContext<EuFsfSettings>,
): AsyncGenerator<ParseItem> {
  const records = readXmlRecords(input, {
    records: ['export/sanctionEntity'],
    rootNames: ['export'],
    label: 'EU Financial Sanctions Files XML',
    encoding: context.settings.encoding,
    signal: context.signal,
  });
  for await (const record of records) yield toEuFsfItem(record);
}
