import type { SourceAdapter } from '../source-adapter';
import { parseOpenSanctions } from './opensanctions.parser';
import { planOpenSanctions } from './opensanctions.planner';
import { OPENSANCTIONS_FTM_ID, parseOpenSanctionsSettings, type OpenSanctionsSettings } from './opensanctions-settings';

/**
 * OpenSanctions datasets as FollowTheMoney entities: the whole `entities.ftm.json` the first time,
 * then the per-version `entities.delta.json` files when the source has an `indexUrl`.
 */
export const openSanctionsFtmAdapter: SourceAdapter<OpenSanctionsSettings> = {
  id: OPENSANCTIONS_FTM_ID,
  description:
    'OpenSanctions dataset as FollowTheMoney entities (entities.ftm.json, one entity per line); with an ' +
    'indexUrl, follows the dataset version by version through its entities.delta.json files',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseOpenSanctionsSettings(settings),
  plan: (context) => planOpenSanctions(context),
  parse: (input, context) => parseOpenSanctions(input, context),
};
