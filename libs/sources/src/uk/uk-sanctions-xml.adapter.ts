import type { SourceAdapter } from '../source-adapter';
import { parseXmlSourceSettings } from '../xml/xml-settings';
import { parseUkSanctionsXml, UK_SANCTIONS_XML_ID, type UkSanctionsXmlSettings } from './uk-sanctions-xml.parser';

/** UK Sanctions List (FCDO), XML: one record per Designation. */
export const ukSanctionsXmlAdapter: SourceAdapter<UkSanctionsXmlSettings> = {
  id: UK_SANCTIONS_XML_ID,
  description:
    'UK Sanctions List (FCDO; replaced the OFSI Consolidated List in January 2026), XML: ' +
    'Designations/Designation keyed by UniqueID',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseXmlSourceSettings(settings, UK_SANCTIONS_XML_ID),
  parse: (input, context) => parseUkSanctionsXml(input, context),
};
