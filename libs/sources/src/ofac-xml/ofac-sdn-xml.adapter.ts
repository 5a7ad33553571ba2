import type { SourceAdapter } from '../source-adapter';
import { parseXmlSourceSettings } from '../xml/xml-settings';
import { OFAC_SDN_XML_ID, parseOfacSdnXml, type OfacSdnXmlSettings } from './ofac-sdn-xml.parser';

/** OFAC's classic SDN.XML, and the Consolidated (non-SDN) list XML in the same layout. */
export const ofacSdnXmlAdapter: SourceAdapter<OfacSdnXmlSettings> = {
  id: OFAC_SDN_XML_ID,
  description:
    'OFAC Specially Designated Nationals list, classic SDN.XML (sdnList/sdnEntry), keyed by uid; ' +
    'also reads the Consolidated (non-SDN) list XML, which has the same layout',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseXmlSourceSettings(settings, OFAC_SDN_XML_ID),
  parse: (input, context) => parseOfacSdnXml(input, context),
};
