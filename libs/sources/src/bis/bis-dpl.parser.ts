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

export const BIS_DPL_ID = 'bis-dpl';

export type BisDplSettings = TabularSettings;

const AUTHORITY = 'U.S. Department of Commerce, Bureau of Industry and Security';

type Field =
  'name' | 'street' | 'city' | 'state' | 'country' | 'postalCode' | 'effectiveDate' | 'expirationDate' | 'frCitation';

/** The BIS export's column names (tab-separated, every field quoted). */
export const BIS_DPL_COLUMNS: Readonly<Record<Field, ColumnSpec>> = {
  name: { names: ['Name'], required: true },
  street: { names: ['Street_Address'], required: true },
  city: { names: ['City'], required: true },
  state: { names: ['State'], required: true },
  country: { names: ['Country'], required: true },
  postalCode: { names: ['Postal_Code'], required: true },
  effectiveDate: { names: ['Effective_Date'], required: true },
  expirationDate: { names: ['Expiration_Date'] },
  frCitation: { names: ['FR_Citation'] },
};

export type BisDplColumns = Partial<Record<Field, string>>;

export function resolveBisDplColumns(header: readonly string[]): BisDplColumns {
  return resolveColumns(header, BIS_DPL_COLUMNS, BIS_DPL_ID, 'the BIS Denied Persons List (dpl.txt)');
}

/** BIS writes dates as MM/DD/YYYY. */
export function parseUsDate(raw: string): string | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  return match ? parseRegistryDate(`${match[3]}-${match[1]}-${match[2]}`) : undefined;
}

/**
 * The entry key of a DPL row. The list has one row per denied party (each alias separately) per
 * address of that party, so the party's name and its address identify a row.
 *
 * Left out on purpose, because they change while the denial continues: the effective and
 * expiration dates and the FR citation (a temporary denial order is renewed every 180 days or year:
 * new effective date, one more citation; keyed on them, every renewal would read as the party
 * being delisted and listed again), Last_Update and Action (the edit history), and the city, state,
 * country and postal code when there is a street (BIS corrects them in place: in 2023 it moved
 * country codes that had been typed into State over to Country, and fixed city misspellings). A
 * row without a street is located by its city, state and country instead.
 */
export function bisDplKey(values: {
  name: string;
  street?: string;
  city?: string;
  state?: string;
  country?: string;
}): string {
  const street = keyText(values.street);
  const locator = street || [values.city, values.state, values.country].map(keyText).filter(Boolean).join(', ');
  return identityKey([keyText(values.name), locator]);
}

export function toBisDplItem(row: number, values: Readonly<Record<string, string>>, columns: BisDplColumns): ParseItem {
  const cell = fieldCells<Field>(values, columns);
  const name = cleanText(cell('name'));
  if (!name) return rowError(row, `${columns.name ?? 'Name'} is empty`);
  const effectiveRaw = cell('effectiveDate');
  const listedOn = effectiveRaw ? parseUsDate(effectiveRaw) : undefined;
  if (effectiveRaw && !listedOn) {
    return rowError(row, `${columns.effectiveDate ?? 'Effective_Date'} "${effectiveRaw}" is not a MM/DD/YYYY date`);
  }

  const record: ListRecord = {
    key: bisDplKey({
      name,
      street: cell('street'),
      city: cell('city'),
      state: cell('state'),
      country: cell('country'),
    }),
    entityType: guessEntityType(name),
    names: [{ value: name, kind: 'primary' }],
    identifiers: [],
    authority: AUTHORITY,
    // Expiration_Date, Standard_Order, Action and FR_Citation stay as published: a future expiry
    // is not a delisting, and BIS drops the row when the order ends.
    attributes: publishedAttributes(values),
  };
  const country = countryCode(cell('country'));
  if (country) record.country = country;
  if (listedOn) record.listedOn = listedOn;
  return { record };
}

/** Stream-parse the BIS Denied Persons List (dpl.txt: tab-separated, quoted, one row per party and address). */
export function parseBisDpl(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<BisDplSettings>,
): AsyncGenerator<ParseItem> {
  return readCsvList(input, context, { columns: resolveBisDplColumns, toItem: toBisDplItem });
}
