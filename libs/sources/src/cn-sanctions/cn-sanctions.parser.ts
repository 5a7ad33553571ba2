import type { Readable } from 'node:stream';
import { identityKey, type EntityName, type EntityType, type ListKind, type ListRecord } from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';
import type { ParseContext, ParseItem } from '../source-adapter';
import type { TabularSettings } from '../tabular/tabular-settings';
import { readCsvList } from '../tabular/csv-list.reader';
import {
  cleanText,
  countryCode,
  fieldCells,
  hasHan,
  keyText,
  publishedAttributes,
  resolveColumns,
  rowError,
  splitValues,
  type ColumnSpec,
} from '../common/list-fields';

export const CN_SANCTIONS_ID = 'cn-sanctions-curated';

export type CnSanctionsSettings = TabularSettings;

type Field = 'type' | 'name' | 'alias' | 'chineseName' | 'country' | 'topics' | 'body' | 'list' | 'date' | 'endDate';

/** The columns of OpenSanctions' curated source file for China's own lists (datasets/cn/sanctions). */
export const CN_SANCTIONS_COLUMNS: Readonly<Record<Field, ColumnSpec>> = {
  type: { names: ['Type'], required: true },
  name: { names: ['Name'], required: true },
  alias: { names: ['Alias'] },
  chineseName: { names: ['Chinese name'] },
  country: { names: ['Country'] },
  topics: { names: ['Topics'] },
  body: { names: ['Body'], required: true },
  list: { names: ['List'], required: true },
  date: { names: ['Date'], required: true },
  endDate: { names: ['End date'] },
};

export type CnSanctionsColumns = Partial<Record<Field, string>>;

export function resolveCnSanctionsColumns(header: readonly string[]): CnSanctionsColumns {
  return resolveColumns(
    header,
    CN_SANCTIONS_COLUMNS,
    CN_SANCTIONS_ID,
    "OpenSanctions' curated file of China's sanctions, export-control and countermeasure lists",
  );
}

const ENTITY_TYPES: Readonly<Record<string, EntityType>> = {
  company: 'organization',
  organization: 'organization',
  legalentity: 'organization',
  person: 'person',
  vessel: 'vessel',
  airplane: 'aircraft',
};

/**
 * MOFCOM's export-control control list (管控名单) and watch list (关注名单) restrict exports of
 * dual-use items to the listed parties: export control. The Unreliable Entity List, the
 * countermeasures under the Anti-Foreign Sanctions Law and the Taiwan Affairs Office's lists bar
 * transactions, entry and investment: sanctions. The curators tag the former "export.control".
 */
export function cnSanctionsListKind(list: string, topics: string): ListKind {
  const tags = topics.split(/[;,\s]+/);
  return tags.includes('export.control') || /export control/i.test(list) ? 'export_control' : 'sanctions';
}

/** The file writes dates as DD.MM.YYYY and, in older rows, DD.MM.YY (all from 2000 on). */
export function parseDayMonthYear(raw: string): string | undefined {
  const text = raw.trim();
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  if (!match) return parseRegistryDate(text);
  const year = match[3]!.length === 2 ? `20${match[3]}` : match[3]!;
  return parseRegistryDate(`${year}-${match[2]}-${match[1]}`);
}

/**
 * Identity of a listing: who, by which body, on which list, from which date. The same party listed
 * again later is a new listing. The curators sometimes enter one listing twice, from the English
 * press release and from the Chinese decision (18 in the 2026-08 file); the repeat gets its own
 * key by occurrence so neither copy is lost.
 */
export function cnSanctionsKey(
  values: { name: string; body: string; list: string; date: string },
  occurrence = 1,
): string {
  const parts = [keyText(values.name), keyText(values.body), keyText(values.list), values.date];
  return identityKey(occurrence > 1 ? [...parts, `#${occurrence}`] : parts);
}

export function toCnSanctionsRecord(
  row: number,
  values: Readonly<Record<string, string>>,
  columns: CnSanctionsColumns,
): { record: ListRecord; identity: { name: string; body: string; list: string; date: string } } | { error: string } {
  const cell = fieldCells<Field>(values, columns);
  const name = cleanText(cell('name'));
  const chineseName = cleanText(cell('chineseName'));
  if (!name && !chineseName)
    return { error: `${columns.name ?? 'Name'} and ${columns.chineseName ?? 'Chinese name'} are empty` };
  const dateRaw = cell('date');
  const listedOn = dateRaw ? parseDayMonthYear(dateRaw) : undefined;
  if (dateRaw && !listedOn) return { error: `${columns.date ?? 'Date'} "${dateRaw}" is not a date` };
  const endRaw = cell('endDate');
  const endedOn = endRaw ? parseDayMonthYear(endRaw) : undefined;
  if (endRaw && !endedOn) return { error: `${columns.endDate ?? 'End date'} "${endRaw}" is not a date` };

  const names: EntityName[] = [];
  const addName = (value: string, kind: EntityName['kind'], lang: string): void => {
    if (value && !names.some((n) => n.value === value)) names.push({ value, lang, kind });
  };
  // The English name comes first so it is the one shown; the Chinese name is the list's own
  // wording of the same party, primary in its language.
  if (name) addName(name, 'primary', hasHan(name) ? 'zh' : 'en');
  if (chineseName) addName(chineseName, 'primary', 'zh');
  for (const alias of splitValues(cell('alias'))) addName(alias, 'alias', hasHan(alias) ? 'zh' : 'en');

  const body = cleanText(cell('body'));
  const list = cleanText(cell('list'));
  const record: ListRecord = {
    key: '',
    entityType: ENTITY_TYPES[cell('type').toLowerCase().replace(/\s+/g, '')] ?? 'unknown',
    listKind: cnSanctionsListKind(list, cell('topics')),
    names,
    identifiers: [],
    attributes: publishedAttributes(values),
  };
  if (list) record.programs = [list];
  const country = countryCode(cell('country'));
  if (country) record.country = country;
  if (listedOn) record.listedOn = listedOn;
  if (body) record.authority = body;
  if (endedOn) record.delisting = { on: endedOn };
  return { record, identity: { name: name || chineseName, body, list, date: listedOn ?? '' } };
}

/** Stream-parse the curated CSV of China's sanctions, export-control and countermeasure lists. */
export function parseCnSanctions(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<CnSanctionsSettings>,
): AsyncGenerator<ParseItem> {
  // Occurrences per listing identity, to key repeated rows apart: one small string per row.
  const occurrences = new Map<string, number>();
  return readCsvList(input, context, {
    columns: resolveCnSanctionsColumns,
    toItem: (row, values, columns) => {
      const result = toCnSanctionsRecord(row, values, columns);
      if ('error' in result) return rowError(row, result.error);
      const identity = cnSanctionsKey(result.identity);
      const occurrence = (occurrences.get(identity) ?? 0) + 1;
      occurrences.set(identity, occurrence);
      result.record.key = occurrence === 1 ? identity : cnSanctionsKey(result.identity, occurrence);
      return { record: result.record };
    },
  });
}
