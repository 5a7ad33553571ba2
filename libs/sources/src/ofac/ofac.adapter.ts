import type { SourceAdapter } from '../source-adapter';
import { parseOfacCsv } from './ofac.parser';
import {
  OFAC_CONSOLIDATED_FILE_NAMES,
  OFAC_SDN_FILE_NAMES,
  ofacPlan,
  parseOfacSettings,
  type OfacFileNames,
  type OfacSettings,
} from './ofac.settings';

export const OFAC_SDN_CSV_ID = 'ofac-sdn-csv';
export const OFAC_CONSOLIDATED_CSV_ID = 'ofac-consolidated-csv';

function ofacCsvAdapter(id: string, description: string, files: OfacFileNames): SourceAdapter<OfacSettings> {
  return {
    id,
    description,
    defaultListKind: 'sanctions',
    parseSettings: (settings) => parseOfacSettings(settings, id),
    plan: (context) => Promise.resolve(ofacPlan(context.url, context.settings, files)),
    parse: (input, context) => parseOfacCsv(input, context, files),
  };
}

/** OFAC Specially Designated Nationals list, legacy CSV set: sdn.csv with alt.csv, add.csv, sdn_comments.csv. */
export const ofacSdnCsvAdapter = ofacCsvAdapter(
  OFAC_SDN_CSV_ID,
  'OFAC SDN list as the legacy CSV set (sdn.csv + alt.csv, add.csv, sdn_comments.csv beside it): ' +
    'no header, Latin-1, keyed by ent_num',
  OFAC_SDN_FILE_NAMES,
);

/** OFAC Consolidated (non-SDN) lists, legacy CSV set: cons_prim.csv with cons_alt, cons_add, cons_comments. */
export const ofacConsolidatedCsvAdapter = ofacCsvAdapter(
  OFAC_CONSOLIDATED_CSV_ID,
  'OFAC Consolidated (non-SDN) sanctions lists as the legacy CSV set (cons_prim.csv + cons_alt.csv, ' +
    'cons_add.csv, cons_comments.csv beside it): no header, Latin-1, keyed by ent_num',
  OFAC_CONSOLIDATED_FILE_NAMES,
);
