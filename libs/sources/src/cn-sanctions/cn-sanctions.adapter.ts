import type { SourceAdapter } from '../source-adapter';
import { parseTabularSettings } from '../tabular/tabular-settings';
import { CN_SANCTIONS_ID, parseCnSanctions, type CnSanctionsSettings } from './cn-sanctions.parser';

/**
 * China's own restrictive lists (MOFCOM Unreliable Entity List, export-control control and watch
 * lists, MFA and Taiwan Affairs Office countermeasures) as curated by OpenSanctions, with English
 * and Chinese names. Records carry their own list kind: export-control lists versus sanctions.
 */
export const cnSanctionsAdapter: SourceAdapter<CnSanctionsSettings> = {
  id: CN_SANCTIONS_ID,
  description:
    "China's sanctions, export-control and countermeasure lists (MOFCOM UEL, control and watch lists, MFA " +
    'countermeasures), OpenSanctions-curated CSV with English and Chinese names',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseTabularSettings(settings, CN_SANCTIONS_ID),
  parse: (input, context) => parseCnSanctions(input, context),
};
