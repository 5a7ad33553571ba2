import type { SourceAdapter } from '../source-adapter';
import { parseCslCsv } from './csl-csv.parser';
import { parseCslJson } from './csl-json.parser';
import { parseCslCsvSettings, parseCslJsonSettings, type CslCsvSettings, type CslJsonSettings } from './csl.settings';

export const US_CSL_CSV_ID = 'us-csl-csv';
export const US_CSL_JSON_ID = 'us-csl-json';

/**
 * Each record carries its own list kind (Entity List: export control, SDN: sanctions, ITAR
 * debarred: debarment); the default only applies to a list the source table does not know yet.
 */
const CSL_DEFAULT_LIST_KIND = 'export_control';

/** US Consolidated Screening List (trade.gov), CSV export. */
export const usCslCsvAdapter: SourceAdapter<CslCsvSettings> = {
  id: US_CSL_CSV_ID,
  description:
    'US Consolidated Screening List (trade.gov) CSV export: Entity List, MEU, UVL, DPL, SDN, SSI, ISN, DTC ' +
    'and more in one file, list kind per row from its source column',
  defaultListKind: CSL_DEFAULT_LIST_KIND,
  parseSettings: (settings) => parseCslCsvSettings(settings, US_CSL_CSV_ID),
  parse: (input, context) => parseCslCsv(input, context),
};

/** US Consolidated Screening List (trade.gov), JSON in the API's `{ "results": [...] }` shape. */
export const usCslJsonAdapter: SourceAdapter<CslJsonSettings> = {
  id: US_CSL_JSON_ID,
  description:
    'US Consolidated Screening List (trade.gov) JSON: the API/download shape { "results": [...] } ' +
    '(record path configurable), list kind per record from its source field',
  defaultListKind: CSL_DEFAULT_LIST_KIND,
  parseSettings: (settings) => parseCslJsonSettings(settings, US_CSL_JSON_ID),
  parse: (input, context) => parseCslJson(input, context),
};
