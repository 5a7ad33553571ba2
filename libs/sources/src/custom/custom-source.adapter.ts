import type { SourceAdapter } from '../source-adapter';
import { parseCustomSource } from './custom-source.parser';
import { CUSTOM_SOURCE_ID, parseCustomSourceSettings, type CustomSourceSettings } from './custom-source.settings';

/**
 * A declarative source: the user describes an export nobody wrote an adapter for (a provincial
 * open-data portal's table, an in-house list) in the source's settings, format, encoding, field
 * mapping, key fields and list kind, and this adapter reads it with the shared streaming readers.
 * No default list kind: the source's own list kind applies unless the settings set one.
 */
export const customSourceAdapter: SourceAdapter<CustomSourceSettings> = {
  id: CUSTOM_SOURCE_ID,
  description:
    'Declarative source: a CSV, TSV, XLSX, JSON, JSON-lines or XML export described by settings ' +
    '(format, encoding, field mapping, key fields, list kind)',
  parseSettings: parseCustomSourceSettings,
  parse: (input, context) => parseCustomSource(input, context),
};
