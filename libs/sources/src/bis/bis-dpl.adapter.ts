import type { SourceAdapter } from '../source-adapter';
import { parseTabularSettings } from '../tabular/tabular-settings';
import { BIS_DPL_ID, parseBisDpl, type BisDplSettings } from './bis-dpl.parser';

/** US Commerce (BIS) Denied Persons List: parties denied export privileges. */
export const bisDplAdapter: SourceAdapter<BisDplSettings> = {
  id: BIS_DPL_ID,
  description:
    'US BIS Denied Persons List (dpl.txt): tab-separated export with quoted fields, one row per denied party ' +
    'and address',
  defaultListKind: 'export_control',
  parseSettings: (settings) => parseTabularSettings(settings, BIS_DPL_ID),
  parse: (input, context) => parseBisDpl(input, context),
};
