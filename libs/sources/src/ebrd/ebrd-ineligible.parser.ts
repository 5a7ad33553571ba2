import type { Readable } from 'node:stream';
import { identityKey, type ListRecord } from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';
import type { ParseContext, ParseItem } from '../source-adapter';
import type { TabularSettings } from '../tabular/tabular-settings';
import { readCsvList } from '../tabular/csv-list.reader';
import {
  cleanText,
  countryCode,
  fieldCells,
  guessEntityType,
  keyText,
  publishedAttributes,
  resolveColumns,
  rowError,
  type ColumnSpec,
} from '../common/list-fields';

export const EBRD_INELIGIBLE_ID = 'ebrd-ineligible';

export type EbrdIneligibleSettings = TabularSettings;

type Field = 'name' | 'address' | 'nationality' | 'from' | 'until' | 'noticeEffective' | 'institution' | 'practice';

/**
 * The EBRD export's columns. The published header has a space before "Ineligible Until"; header
 * names are trimmed when read, and compared ignoring case and spaces.
 */
export const EBRD_INELIGIBLE_COLUMNS: Readonly<Record<Field, ColumnSpec>> = {
  name: { names: ['Firm Name'], required: true },
  address: { names: ['Address'], required: true },
  nationality: { names: ['Nationality'] },
  from: { names: ['Ineligible From'], required: true },
  until: { names: ['Ineligible Until'] },
  noticeEffective: { names: ['Notice Effective At EBRD'] },
  institution: { names: ['Originating Institution'], required: true },
  practice: { names: ['Prohibited Practice'] },
};

export type EbrdIneligibleColumns = Partial<Record<Field, string>>;

export function resolveEbrdIneligibleColumns(header: readonly string[]): EbrdIneligibleColumns {
  return resolveColumns(header, EBRD_INELIGIBLE_COLUMNS, EBRD_INELIGIBLE_ID, "the EBRD's ineligible entities export");
}

/**
 * Identity of an ineligibility: the firm at an address (the EBRD lists a firm once per address),
 * the institution whose decision it is (most rows are cross-debarments from the World Bank, ADB,
 * IDB or AfDB) and the start of the period. The end date, the practice and the EBRD notice time
 * are details the EBRD edits in place.
 */
export function ebrdIneligibleKey(values: {
  name: string;
  address: string;
  institution: string;
  from: string;
}): string {
  return identityKey([keyText(values.name), keyText(values.address), keyText(values.institution), values.from]);
}

export function toEbrdIneligibleItem(
  row: number,
  values: Readonly<Record<string, string>>,
  columns: EbrdIneligibleColumns,
): ParseItem {
  const cell = fieldCells<Field>(values, columns);
  const name = cleanText(cell('name'));
  if (!name) return rowError(row, `${columns.name ?? 'Firm Name'} is empty`);
  // Timestamps such as 2024-07-01T12:00:59Z; the date is what counts.
  const fromRaw = cell('from');
  const from = fromRaw ? parseRegistryDate(fromRaw) : undefined;
  if (fromRaw && !from) return rowError(row, `${columns.from ?? 'Ineligible From'} "${fromRaw}" is not a date`);
  const noticeRaw = cell('noticeEffective');
  const notice = noticeRaw ? parseRegistryDate(noticeRaw) : undefined;
  if (noticeRaw && !notice) {
    return rowError(row, `${columns.noticeEffective ?? 'Notice Effective At EBRD'} "${noticeRaw}" is not a date`);
  }

  const institution = cleanText(cell('institution'));
  const record: ListRecord = {
    key: ebrdIneligibleKey({ name, address: cell('address'), institution, from: from ?? '' }),
    entityType: guessEntityType(name),
    names: [{ value: name, kind: 'primary' }],
    identifiers: [],
    // "Ineligible Until" (a date, "Ongoing", "Indefinite", "Permanent") stays as published: a
    // scheduled end is not a delisting.
    attributes: publishedAttributes(values),
  };
  const country = countryCode(cell('nationality'));
  if (country) record.country = country;
  // Some cross-debarments have no start date of their own; they apply from the EBRD's notice.
  const listedOn = from ?? notice;
  if (listedOn) record.listedOn = listedOn;
  const practice = cleanText(cell('practice'));
  if (practice) record.reason = practice;
  if (institution) record.authority = institution;
  return { record };
}

/** Stream-parse the EBRD's ineligible entities CSV (UTF-8 with a byte order mark). */
export function parseEbrdIneligible(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<EbrdIneligibleSettings>,
): AsyncGenerator<ParseItem> {
  return readCsvList(input, context, { columns: resolveEbrdIneligibleColumns, toItem: toEbrdIneligibleItem });
}
