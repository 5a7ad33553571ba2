import type { SourceAdapter } from '../source-adapter';
import { parseXmlSourceSettings } from '../xml/xml-settings';
import { EU_FSF_ID, parseEuFsf, type EuFsfSettings } from './eu-fsf.parser';

/** EU Financial Sanctions Files: the consolidated list of EU financial sanctions, full XML (schema 1.1). */
export const euFsfAdapter: SourceAdapter<EuFsfSettings> = {
  id: EU_FSF_ID,
  description:
    'EU Financial Sanctions Files (FSF) consolidated list, full XML (xmlFullSanctionsList_1_1): ' +
    'sanctionEntity elements keyed by logicalId, with name aliases, identifications and regulations',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseXmlSourceSettings(settings, EU_FSF_ID),
  parse: (input, context) => parseEuFsf(input, context),
};
