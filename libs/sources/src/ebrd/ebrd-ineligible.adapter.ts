import type { SourceAdapter } from '../source-adapter';
import { parseTabularSettings } from '../tabular/tabular-settings';
import { EBRD_INELIGIBLE_ID, parseEbrdIneligible, type EbrdIneligibleSettings } from './ebrd-ineligible.parser';

/** EBRD: entities ineligible for EBRD-financed contracts, its own decisions and cross-debarments. */
export const ebrdIneligibleAdapter: SourceAdapter<EbrdIneligibleSettings> = {
  id: EBRD_INELIGIBLE_ID,
  description:
    'EBRD ineligible entities: CSV export (UTF-8 with BOM) of firms and individuals debarred by the EBRD or ' +
    'cross-debarred from other development banks',
  defaultListKind: 'debarment',
  parseSettings: (settings) => parseTabularSettings(settings, EBRD_INELIGIBLE_ID),
  parse: (input, context) => parseEbrdIneligible(input, context),
};
