import type { Readable } from 'node:stream';
import { identityKey, type EntityName, type ListRecord } from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';
import type { ParseContext, ParseItem } from '../source-adapter';
import type { TabularSettings } from '../tabular/tabular-settings';
import { readCsvList } from '../tabular/csv-list.reader';
import {
  cleanText,
  fieldCells,
  keyText,
  publishedAttributes,
  resolveColumns,
  rowError,
  splitValues,
  type ColumnSpec,
} from '../common/list-fields';

export const US_DOD_1260H_ID = 'us-dod-1260h';

export type UsDod1260hSettings = TabularSettings;

const AUTHORITY = 'U.S. Department of Defense';
const PROGRAM = 'NDAA FY2021 Section 1260H';

type Field = 'name' | 'cleanName' | 'alias' | 'previousName' | 'parentName' | 'note' | 'startDate' | 'endDate';

/** The columns of OpenSanctions' curated source file for the 1260H list (datasets/us/dod_chinese_milcorps). */
export const US_DOD_1260H_COLUMNS: Readonly<Record<Field, ColumnSpec>> = {
  name: { names: ['Name'], required: true },
  cleanName: { names: ['Clean Name'] },
  alias: { names: ['Alias'] },
  previousName: { names: ['Previous Name'] },
  parentName: { names: ['Parent Name'] },
  note: { names: ['Note'] },
  startDate: { names: ['Start date'], required: true },
  endDate: { names: ['End date'] },
};

export type UsDod1260hColumns = Partial<Record<Field, string>>;

export function resolveUsDod1260hColumns(header: readonly string[]): UsDod1260hColumns {
  return resolveColumns(header, US_DOD_1260H_COLUMNS, US_DOD_1260H_ID, 'the DoD 1260H Chinese military companies file');
}

/**
 * The name as published without the list's decorations: a trailing "*" and a trailing
 * parenthesised short name ("Aviation Industry Corporation of China Ltd. (AVIC)*"). Used when the
 * curated Clean Name is missing.
 */
export function undecoratedName(name: string): string {
  return cleanText(name.replace(/\*+\s*$/, '').replace(/\s*\([^()]*\)\s*$/, ''));
}

/**
 * Identity of a designation: the company and the date of the tranche that named it. DoD
 * republishes the list every year; a company named again in a later tranche is a row of its own
 * with its own start date, and keeps its earlier row (ended or not).
 */
export function usDod1260hKey(values: { name: string; startDate: string }): string {
  return identityKey([keyText(values.name), values.startDate]);
}

export function toUsDod1260hItem(
  row: number,
  values: Readonly<Record<string, string>>,
  columns: UsDod1260hColumns,
): ParseItem {
  const cell = fieldCells<Field>(values, columns);
  const published = cleanText(cell('name'));
  const name = cleanText(cell('cleanName')) || undecoratedName(published);
  if (!name) return rowError(row, `${columns.name ?? 'Name'} is empty`);
  const startRaw = cell('startDate');
  const startDate = startRaw ? parseRegistryDate(startRaw) : undefined;
  if (startRaw && !startDate) return rowError(row, `${columns.startDate ?? 'Start date'} "${startRaw}" is not a date`);
  const endRaw = cell('endDate');
  const endDate = endRaw ? parseRegistryDate(endRaw) : undefined;
  if (endRaw && !endDate) return rowError(row, `${columns.endDate ?? 'End date'} "${endRaw}" is not a date`);

  const names: EntityName[] = [{ value: name, lang: 'en', kind: 'primary' }];
  const addAlias = (value: string): void => {
    if (value && !names.some((n) => n.value === value)) names.push({ value, lang: 'en', kind: 'alias' });
  };
  for (const alias of splitValues(cell('alias'))) addAlias(alias);
  // A former name is how older contracts and invoices still name the company.
  for (const previous of splitValues(cell('previousName'))) addAlias(previous);

  const record: ListRecord = {
    key: usDod1260hKey({ name, startDate: startDate ?? '' }),
    // Every 1260H designation is a company; Parent Name stays in the attributes.
    entityType: 'organization',
    programs: [PROGRAM],
    names,
    identifiers: [],
    authority: AUTHORITY,
    attributes: publishedAttributes(values),
  };
  if (startDate) record.listedOn = startDate;
  const note = cleanText(cell('note'));
  // On an ended designation the note says why it ended ("No apparent U.S. nexus"); otherwise it
  // gives the statutory basis of the designation.
  if (endDate) record.delisting = note ? { on: endDate, reason: note } : { on: endDate };
  else if (note) record.reason = note;
  return { record };
}

/** Stream-parse the curated CSV of the DoD 1260H list of Chinese military companies. */
export function parseUsDod1260h(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<UsDod1260hSettings>,
): AsyncGenerator<ParseItem> {
  return readCsvList(input, context, { columns: resolveUsDod1260hColumns, toItem: toUsDod1260hItem });
}
