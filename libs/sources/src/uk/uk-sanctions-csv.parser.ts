/**
 * UK Sanctions List, CSV. Follows the published layout; no sample file was available:
 *
 *   Report Date: 08-Oct-2026                                   <- first line, not part of the table
 *   Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,...,Name 5,Name type,
 *   Alias strength,Title,Name non-latin script,...,Regime Name,Designation Type,Designation source,
 *   Sanctions Imposed,Other Information,UK Statement of Reasons,Address Line 1..6,Address Postal Code,
 *   Address Country,...,Date Designated,...,Business registration number (s),IMO number,...
 *
 * One row per name and per address of a designation, the rows of one designation next to each
 * other; they are grouped by Unique ID into one record. Columns are found by name with case,
 * spacing and punctuation ignored, so "Designation Type" and "Entity type" or "Business Registration
 * Number(s)" and "Business registration number (s)" all match.
 */
import type { Readable } from 'node:stream';
import type { ParseContext, ParseItem } from '../source-adapter';
import { SourceFormatError } from '../source-adapter';
import { openCsvTable, type CsvTable } from '../tabular/csv-rows';
import { decodeXmlText } from '../xml/xml-encoding';
import { collapseWhitespace } from '../xml/xml-node';
import type { XmlSourceSettings } from '../xml/xml-settings';
import { ukDesignationToItem, type UkDesignation } from './uk-sanctions-record';

export const UK_SANCTIONS_CSV_ID = 'uk-sanctions-csv';

/** `{ encoding }`: 'auto' reads a byte order mark, else strict UTF-8 (the list's names are in many scripts). */
export type UkSanctionsCsvSettings = XmlSourceSettings;

type Field =
  | 'uniqueId'
  | 'name1'
  | 'name2'
  | 'name3'
  | 'name4'
  | 'name5'
  | 'name6'
  | 'nameType'
  | 'nonLatinName'
  | 'designationType'
  | 'regime'
  | 'dateDesignated'
  | 'statementOfReasons'
  | 'otherInformation'
  | 'addressCountry'
  | 'businessRegistration'
  | 'imo';

/** Column names per field, compared after `compactHeader`; the published name first. */
export const UK_SANCTIONS_COLUMNS: Readonly<Record<Field, readonly string[]>> = {
  uniqueId: ['Unique ID', 'UK Sanctions List Ref'],
  name1: ['Name 1'],
  name2: ['Name 2'],
  name3: ['Name 3'],
  name4: ['Name 4'],
  name5: ['Name 5'],
  name6: ['Name 6'],
  nameType: ['Name type', 'Alias type'],
  nonLatinName: ['Name non-latin script', 'Non-latin script name'],
  designationType: ['Designation Type', 'Entity type', 'Individual, Entity, Ship', 'Group Type'],
  regime: ['Regime Name', 'Regime'],
  dateDesignated: ['Date Designated'],
  statementOfReasons: ['UK Statement of Reasons', 'Statement of Reasons'],
  otherInformation: ['Other Information'],
  addressCountry: ['Address Country', 'Country'],
  businessRegistration: ['Business registration number (s)', 'Business Registration Numbers'],
  imo: ['IMO number', 'Vessel IMO number'],
};

/** Lower case, letters and digits only: "Business Registration Number(s)" -> "businessregistrationnumbers". */
export function compactHeader(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface UkSanctionsColumns {
  fields: Partial<Record<Field, string>>;
  header: readonly string[];
}

/** Map the header to fields; throws SourceFormatError naming the missing columns. */
export function resolveUkSanctionsColumns(header: readonly string[]): UkSanctionsColumns {
  const byCompact = new Map<string, string>();
  for (const name of header) {
    const key = compactHeader(name);
    if (!byCompact.has(key)) byCompact.set(key, name);
  }
  const fields: Partial<Record<Field, string>> = {};
  for (const [field, aliases] of Object.entries(UK_SANCTIONS_COLUMNS) as [Field, readonly string[]][]) {
    const found = aliases.map((alias) => byCompact.get(compactHeader(alias))).find((name) => name !== undefined);
    if (found !== undefined) fields[field] = found;
  }
  const missing = [!fields.uniqueId && 'Unique ID', !fields.name6 && 'Name 6'].filter(Boolean);
  if (missing.length > 0) {
    throw new SourceFormatError(
      `${UK_SANCTIONS_CSV_ID}: the export lacks the column(s) ${missing.join(', ')}; found columns: ` +
        `${header.join(', ') || '(none)'}. Is this the UK Sanctions List CSV?`,
    );
  }
  return { fields, header };
}

/** The "Report Date: ..." line above the header. */
const REPORT_DATE_LINE = /^\W*report\s*date\b/i;

/**
 * Drop the report-date line that precedes the header, so the CSV reader sees the header first.
 * `dropped` says whether it was there, for line numbers.
 */
function withoutReportDateLine(text: AsyncIterable<string>): { lines: AsyncGenerator<string>; dropped: () => boolean } {
  let dropped = false;
  async function* lines(): AsyncGenerator<string> {
    let head = '';
    let decided = false;
    for await (const chunk of text) {
      if (decided) {
        yield chunk;
        continue;
      }
      head += chunk;
      const end = head.search(/\r\n|\n|\r/);
      if (end < 0 && head.length < 64 * 1024) continue;
      decided = true;
      if (end >= 0 && REPORT_DATE_LINE.test(head.slice(0, end))) {
        dropped = true;
        head = head.slice(end).replace(/^(?:\r\n|\n|\r)/, '');
      }
      if (head.length > 0) yield head;
    }
    if (!decided && head.length > 0) {
      if (REPORT_DATE_LINE.test(head)) dropped = true;
      else yield head;
    }
  }
  return { lines: lines(), dropped: () => dropped };
}

/** The rows of one designation so far. */
interface Group {
  uniqueId: string;
  line: number;
  rows: Record<string, string>[];
}

/** Distinct non-empty values of a column over the group's rows, in row order. */
function columnValues(group: Group, column: string | undefined): string[] {
  if (column === undefined) return [];
  const values: string[] = [];
  for (const row of group.rows) {
    const value = collapseWhitespace(row[column]);
    if (value !== undefined && !values.includes(value)) values.push(value);
  }
  return values;
}

function ukCsvGroupToDesignation(group: Group, columns: UkSanctionsColumns): UkDesignation {
  const { fields } = columns;
  const cell = (row: Record<string, string>, field: Field): string | undefined => {
    const column = fields[field];
    return column === undefined ? undefined : collapseWhitespace(row[column]);
  };
  const first = (field: Field): string | undefined => columnValues(group, fields[field])[0];
  // Each row names the designation once (a row for an extra address repeats the primary name).
  const names = group.rows.map((row) => {
    const type = cell(row, 'nameType');
    return {
      parts: [
        cell(row, 'name1'),
        cell(row, 'name2'),
        cell(row, 'name3'),
        cell(row, 'name4'),
        cell(row, 'name5'),
        cell(row, 'name6'),
      ],
      ...(type ? { type } : {}),
    };
  });

  const attributes: Record<string, string> = {};
  for (const column of columns.header) {
    // Sorted: FCDO does not promise an order for a designation's rows, and a reordering is no change.
    const values = columnValues(group, column).sort();
    if (values.length > 0) attributes[column] = values.join('; ');
  }

  const designation: UkDesignation = {
    uniqueId: group.uniqueId,
    line: group.line,
    names,
    nonLatinNames: columnValues(group, fields.nonLatinName),
    regimes: columnValues(group, fields.regime),
    addressCountries: columnValues(group, fields.addressCountry),
    businessRegistrationNumbers: columnValues(group, fields.businessRegistration),
    imoNumbers: columnValues(group, fields.imo),
    attributes,
  };
  const designationType = first('designationType');
  if (designationType) designation.designationType = designationType;
  const dateDesignated = first('dateDesignated');
  if (dateDesignated) designation.dateDesignated = dateDesignated;
  const statementOfReasons = first('statementOfReasons');
  if (statementOfReasons) designation.statementOfReasons = statementOfReasons;
  const otherInformation = first('otherInformation');
  if (otherInformation) designation.otherInformation = otherInformation;
  return designation;
}

/** Stream-parse the UK Sanctions List CSV: rows grouped by Unique ID into one record each. */
export async function* parseUkSanctionsCsv(
  input: Readable | AsyncIterable<unknown>,
  context: ParseContext<UkSanctionsCsvSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  signal.throwIfAborted();
  const text = withoutReportDateLine(decodeXmlText(input, { encoding: settings.encoding, signal }));
  const table: CsvTable = await openCsvTable(text.lines, { delimiter: ',', signal });
  let columns: UkSanctionsColumns;
  try {
    columns = resolveUkSanctionsColumns(table.header);
  } catch (error) {
    table.close();
    throw error;
  }
  const uniqueIdColumn = columns.fields.uniqueId as string;
  const offset = text.dropped() ? 1 : 0;
  /** Designations already yielded, to catch rows of one designation that are not together. */
  const done = new Map<string, number>();
  let group: Group | undefined;

  for await (const row of table.rows) {
    signal.throwIfAborted();
    const line = row.row + offset;
    if ('error' in row) {
      yield { error: { row: line, message: row.error } };
      continue;
    }
    const uniqueId = collapseWhitespace(row.values[uniqueIdColumn]);
    if (!uniqueId) {
      yield { error: { row: line, message: `${uniqueIdColumn} is empty` } };
      continue;
    }
    if (group && group.uniqueId === uniqueId) {
      group.rows.push(row.values);
      continue;
    }
    if (group) {
      done.set(group.uniqueId, group.line);
      yield ukDesignationToItem(ukCsvGroupToDesignation(group, columns), UK_SANCTIONS_CSV_ID);
    }
    const earlier = done.get(uniqueId);
    if (earlier !== undefined) {
      // Yielding a second record for the key would replace the first (the last one wins), losing
      // names; refusing the export says plainly that its layout changed.
      throw new SourceFormatError(
        `${UK_SANCTIONS_CSV_ID}: the rows of ${uniqueId} are not together (line ${earlier} and line ${line}); ` +
          'the UK Sanctions List CSV lists each designation in consecutive rows and this export does not',
      );
    }
    group = { uniqueId, line, rows: [row.values] };
  }
  if (group) yield ukDesignationToItem(ukCsvGroupToDesignation(group, columns), UK_SANCTIONS_CSV_ID);
}
