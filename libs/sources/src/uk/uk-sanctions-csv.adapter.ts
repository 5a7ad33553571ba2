import type { SourceAdapter } from '../source-adapter';
import { parseXmlSourceSettings } from '../xml/xml-settings';
import { parseUkSanctionsCsv, UK_SANCTIONS_CSV_ID, type UkSanctionsCsvSettings } from './uk-sanctions-csv.parser';

/** UK Sanctions List (FCDO), CSV: one row per name or address, grouped into one record per designation. */
export const ukSanctionsCsvAdapter: SourceAdapter<UkSanctionsCsvSettings> = {
  id: UK_SANCTIONS_CSV_ID,
  description:
    'UK Sanctions List (FCDO; replaced the OFSI Consolidated List in January 2026), CSV: rows grouped by ' +
    'Unique ID into one record per designation',
  defaultListKind: 'sanctions',
  parseSettings: (settings) => parseXmlSourceSettings(settings, UK_SANCTIONS_CSV_ID),
  parse: (input, context) => parseUkSanctionsCsv(input, context),
};
