/**
 * UK Sanctions List, XML. Follows the published layout; no sample file was available:
 *
 *   Designations
 *     Designation
 *       LastUpdated, DateDesignated (dd/mm/yyyy), UniqueID, OFSIGroupID, UNReferenceNumber
 *       Names/Name (Name1..Name6, NameType "Primary Name" | "Alias", AliasStrength)
 *       NonLatinNames (NameNonLatinScript, NonLatinScriptType, NonLatinScriptLanguage)
 *       RegimeName, IndividualEntityShip ("Individual" | "Entity" | "Ship"), DesignationSource,
 *       SanctionsImposed, OtherInformation, UKStatementofReasons
 *       Addresses/Address (AddressLine1..6, AddressPostalCode, AddressCountry)
 *       EntityDetails/.../BusinessRegistrationNumbers/BusinessRegistrationNumber
 *       ShipDetails/.../IMONumbers/IMONumber, IndividualDetails/...
 *
 * Element names are compared case-insensitively and the nested values are found at any depth
 * inside the designation, so a wrapper element added or renamed by FCDO does not lose them.
 */
import type { Readable } from 'node:stream';
import type { ParseContext, ParseItem } from '../source-adapter';
import {
  childNamed,
  childrenNamed,
  childText,
  descendantsNamed,
  flattenNode,
  nodeText,
  type XmlNode,
} from '../xml/xml-node';
import { readXmlRecords, type XmlRecord } from '../xml/xml-records';
import type { XmlSourceSettings } from '../xml/xml-settings';
import { ukDesignationToItem, type UkDesignation, type UkName } from './uk-sanctions-record';

export const UK_SANCTIONS_XML_ID = 'uk-sanctions-xml';

export type UkSanctionsXmlSettings = XmlSourceSettings;

/** The cleaned texts of the elements with these names anywhere in the designation. */
function texts(node: XmlNode, ...names: string[]): string[] {
  return descendantsNamed(node, ...names)
    .map(nodeText)
    .filter((text) => text !== undefined);
}

function ukNames(node: XmlNode): UkName[] {
  const names = childrenNamed(childNamed(node, 'Names'), 'Name');
  return names.map((name) => {
    const type = childText(name, 'NameType');
    return {
      parts: ['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6'].map((part) => childText(name, part)),
      ...(type ? { type } : {}),
    };
  });
}

/** One Designation element in the shape both UK formats share, or undefined without a UniqueID. */
export function ukXmlDesignation(record: XmlRecord): UkDesignation | undefined {
  const { node, line } = record;
  const uniqueId = childText(node, 'UniqueID');
  if (!uniqueId) return undefined;
  const designation: UkDesignation = {
    uniqueId,
    line,
    names: ukNames(node),
    nonLatinNames: texts(node, 'NameNonLatinScript'),
    regimes: texts(node, 'RegimeName'),
    addressCountries: texts(node, 'AddressCountry'),
    businessRegistrationNumbers: texts(node, 'BusinessRegistrationNumber'),
    imoNumbers: texts(node, 'IMONumber'),
    attributes: flattenNode(node),
  };
  // Some layouts hold the value in the plural element itself.
  for (const [holderName, values] of [
    ['BusinessRegistrationNumbers', designation.businessRegistrationNumbers],
    ['IMONumbers', designation.imoNumbers],
  ] as const) {
    for (const holder of descendantsNamed(node, holderName)) {
      const text = holder.children.length === 0 ? nodeText(holder) : undefined;
      if (text) values.push(text);
    }
  }
  const designationType = childText(node, 'IndividualEntityShip', 'DesignationType', 'EntityType');
  if (designationType) designation.designationType = designationType;
  const dateDesignated = childText(node, 'DateDesignated');
  if (dateDesignated) designation.dateDesignated = dateDesignated;
  const statementOfReasons = childText(node, 'UKStatementofReasons');
  if (statementOfReasons) designation.statementOfReasons = statementOfReasons;
  const otherInformation = childText(node, 'OtherInformation');
  if (otherInformation) designation.otherInformation = otherInformation;
  return designation;
}

export function toUkSanctionsXmlItem(record: XmlRecord): ParseItem {
  const designation = ukXmlDesignation(record);
  if (!designation) return { error: { row: record.line, message: 'Designation has no UniqueID' } };
  return ukDesignationToItem(designation, UK_SANCTIONS_XML_ID);
}

/** Stream-parse the UK Sanctions List XML: one record per Designation. */
export async function* parseUkSanctionsXml(
  input: Readable | AsyncIterable<unknown>,
  context: ParseContext<UkSanctionsXmlSettings>,
): AsyncGenerator<ParseItem> {
  const records = readXmlRecords(input, {
    records: ['//Designation'],
    rootNames: ['Designations'],
    label: 'UK Sanctions List XML',
    encoding: context.settings.encoding,
    signal: context.signal,
  });
  for await (const record of records) yield toUkSanctionsXmlItem(record);
}
