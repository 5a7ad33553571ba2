import type { SourceAdapter } from '../source-adapter';
import { parseXmlSourceSettings } from '../xml/xml-settings';
import { parseUnConsolidated, UN_CONSOLIDATED_ID, type UnConsolidatedSettings } from './un-consolidated.parser';

/** UN Security Council Consolidated List, XML (scsanctions.un.org/resources/xml/en/consolidated.xml). */
export const unConsolidatedAdapter: SourceAdapter<UnConsolidatedSettings> = {
  id: UN_CONSOLIDATED_ID,
  description:
    'UN Security Council Consolidated List (XML): individuals and entities keyed by REFERENCE_NUMBER, ' +
    'with aliases, original-script names, regimes (UN_LIST_TYPE) and listing dates',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseXmlSourceSettings(settings, UN_CONSOLIDATED_ID),
  parse: (input, context) => parseUnConsolidated(input, context),
};
