import type { Readable } from 'node:stream';
import {
  identityKey,
  normalizeIdentifierValue,
  normalizeUscc,
  validateUscc,
  type EntityIdentifier,
  type EntityName,
  type ListRecord,
} from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';
import { SourceSettingsError, type ParseContext, type ParseItem } from '../source-adapter';
import { openXlsxTable, type XlsxRequiredColumn } from '../tabular/xlsx-rows';
import {
  cleanText,
  countryCode,
  fieldCells,
  guessEntityType,
  hasHan,
  keyText,
  publishedAttributes,
  resolveColumns,
  rowError,
  type ColumnSpec,
} from '../common/list-fields';

export const WORLD_BANK_DEBARRED_ID = 'world-bank-debarred';

export interface WorldBankDebarredSettings {
  /** The worksheet's tab name; the first worksheet when left out. */
  sheet?: string;
}

const AUTHORITY = 'World Bank Group';

type Field = 'name' | 'info' | 'address' | 'country' | 'from' | 'grounds';

/**
 * The columns of the World Bank's "Debarred Firms and Individuals" download. Its header spans two
 * rows ("Ineligibility Period" over "From Date" and "To Date"), combined by the XLSX reader; the
 * single-row names are accepted too. The To Date is not a typed field (see toWorldBankDebarredItem).
 */
export const WORLD_BANK_DEBARRED_COLUMNS: Readonly<Record<Field, ColumnSpec>> = {
  name: { names: ['Firm Name'], required: true },
  info: { names: ['Additional Firm Info'] },
  address: { names: ['Address'], required: true },
  country: { names: ['Country'], required: true },
  from: { names: ['Ineligibility Period From Date', 'From Date', 'Ineligibility From'], required: true },
  grounds: { names: ['Grounds'], required: true },
};

const REQUIRED_HEADER: readonly XlsxRequiredColumn[] = (Object.values(WORLD_BANK_DEBARRED_COLUMNS) as ColumnSpec[])
  .filter((spec) => spec.required)
  .map((spec) => spec.names);

export type WorldBankDebarredColumns = Partial<Record<Field, string>>;

export function parseWorldBankDebarredSettings(settings: unknown): WorldBankDebarredSettings {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${WORLD_BANK_DEBARRED_ID} settings must be a JSON object`);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'sheet') {
      throw new SourceSettingsError(`${WORLD_BANK_DEBARRED_ID} settings: unknown field "${key}" (known fields: sheet)`);
    }
  }
  if (fields.sheet === undefined || fields.sheet === null) return {};
  if (typeof fields.sheet !== 'string' || fields.sheet.trim().length === 0) {
    throw new SourceSettingsError(`${WORLD_BANK_DEBARRED_ID} settings: "sheet" must be a worksheet name`);
  }
  return { sheet: fields.sheet.trim() };
}

/** Names the column introduces as other or former names: "f.k.a.", "aka", "d/b/a", "now known as"... */
const ALIAS_IN_PARENTHESES =
  /\(\s*(?:(?:also|formerly|previously|now)\s+)?(?:(?:f\W{0,2}k\W{0,2}a|a\W{0,2}k\W{0,2}a|d\W{0,2}b\W{0,2}a)\b\.?|(?:known|doing\s+business|operating|trading)\s+(?:as|under)\b|(?:formerly|previously)\b)\s*:?\s*([^()]*(?:\([^()]*\)[^()]*)*)\)/gi;
/** "(Reg. No. 1163)", "(Reg, No: 0087430)", "(Tax Registration No. 251002-9510)", "(ID: 9165...)". */
const NUMBER_IN_PARENTHESES =
  /\b(?:Reg(?:istration)?[.,]?\s*No|(?:National\s+)?ID(?:\s*No)?)\b\.?\s*:?\s*([^()]+?)\s*(?=\)|$)/gi;
const USCC_IN_TEXT = /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Z])/g;
const LEI_SHAPE = /^[0-9A-Z]{18}[0-9]{2}$/;

/** ISO 17442: the LEI read as a number (letters as 10..35) is 1 modulo 97. */
export function isLei(value: string): boolean {
  if (!LEI_SHAPE.test(value)) return false;
  let remainder = 0;
  for (const ch of value) {
    const digits = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/**
 * What "Additional Firm Info" holds besides footnote marks (*677): the firm's name in Chinese, its
 * USCC, LEI or registration number, and former or other names ("f.k.a.", "aka", "now known as").
 */
export function readAdditionalFirmInfo(info: string): { names: EntityName[]; identifiers: EntityIdentifier[] } {
  const names: EntityName[] = [];
  const identifiers: EntityIdentifier[] = [];
  const addName = (value: string, lang?: string): void => {
    const text = cleanText(value.replace(/^\[|\]$/g, ''));
    if (!text || names.some((n) => n.value === text)) return;
    names.push(lang ? { value: text, lang, kind: 'alias' } : { value: text, kind: 'alias' });
  };
  const addIdentifier = (raw: string): void => {
    const compact = normalizeIdentifierValue('registration', raw);
    // Only a code that passes its check character counts as a USCC (or an LEI); other numbers are
    // registration numbers, compared as written.
    const identifier: EntityIdentifier = validateUscc(raw).ok
      ? { scheme: 'uscc', value: normalizeUscc(raw) }
      : isLei(compact)
        ? { scheme: 'lei', value: compact }
        : { scheme: 'registration', value: compact };
    if (identifier.value && !identifiers.some((i) => i.scheme === identifier.scheme && i.value === identifier.value)) {
      identifiers.push(identifier);
    }
  };

  for (const match of info.matchAll(NUMBER_IN_PARENTHESES)) addIdentifier(match[1]!);
  for (const match of info.matchAll(USCC_IN_TEXT)) {
    if (validateUscc(match[0]).ok) addIdentifier(match[0]);
  }
  for (const match of info.matchAll(ALIAS_IN_PARENTHESES)) addName(match[1]!);
  // Chinese names: the whole cell, or each parenthesised part, in Han script; "甲公司, 甲" is two names.
  const parts = info.includes('(') ? [...info.matchAll(/\(([^()]*)\)/g)].map((m) => m[1]!) : [info];
  for (const part of parts) {
    const text = part.replace(/\*\d+/g, '');
    if (!hasHan(text) || /[A-Za-z]{3,}/.test(text)) continue;
    for (const name of text.split(/[,，、;；]/)) addName(name, 'zh');
  }
  return { names, identifiers };
}

/**
 * Identity of a debarment: the firm, its address and country, and the start of the ineligibility
 * period (the same firm debarred again later is a new listing). Grounds, the end date and the
 * additional information are details of the listing that the Bank edits in place.
 */
export function worldBankDebarredKey(values: { name: string; address: string; country: string; from: string }): string {
  return identityKey([
    keyText(values.name),
    keyText(values.address),
    countryCode(values.country) ?? keyText(values.country),
    values.from,
  ]);
}

export function toWorldBankDebarredItem(
  row: number,
  values: Readonly<Record<string, string>>,
  columns: WorldBankDebarredColumns,
): ParseItem {
  const cell = fieldCells<Field>(values, columns);
  const name = cleanText(cell('name'));
  if (!name) return rowError(row, `${columns.name ?? 'Firm Name'} is empty`);
  const fromRaw = cell('from');
  const from = fromRaw ? parseRegistryDate(fromRaw) : undefined;
  if (fromRaw && !from) return rowError(row, `${columns.from ?? 'From Date'} "${fromRaw}" is not a date`);

  const info = readAdditionalFirmInfo(cell('info'));
  const record: ListRecord = {
    key: worldBankDebarredKey({ name, address: cell('address'), country: cell('country'), from: from ?? '' }),
    entityType: guessEntityType(name),
    names: [{ value: name, kind: 'primary' }, ...info.names.filter((n) => n.value !== name)],
    identifiers: info.identifiers,
    authority: AUTHORITY,
    // The To Date stays in the attributes as published, whether a date, "Ongoing", "Permanent" or
    // the download's 2999-12-31 for no end: a scheduled end is not a delisting, and the Bank takes
    // the row off the list once the period is over. Nothing typed depends on it, so an odd value
    // never costs the row.
    attributes: publishedAttributes(values),
  };
  const country = countryCode(cell('country'));
  if (country) record.country = country;
  if (from) record.listedOn = from;
  const grounds = cleanText(cell('grounds'));
  if (grounds) record.reason = grounds;
  return { record };
}

/** Stream-parse the World Bank's debarred firms and individuals XLSX download. */
export async function* parseWorldBankDebarred(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<WorldBankDebarredSettings>,
): AsyncGenerator<ParseItem> {
  const { settings, signal } = context;
  const table = await openXlsxTable(input, {
    required: REQUIRED_HEADER,
    signal,
    ...(settings.sheet ? { sheet: settings.sheet } : {}),
  });
  let columns: WorldBankDebarredColumns;
  try {
    columns = resolveColumns(
      table.header,
      WORLD_BANK_DEBARRED_COLUMNS,
      WORLD_BANK_DEBARRED_ID,
      "the World Bank's debarred firms and individuals download",
    );
  } catch (error) {
    table.close();
    throw error;
  }
  for await (const { row, values } of table.rows) {
    signal.throwIfAborted();
    yield toWorldBankDebarredItem(row, values, columns);
  }
}
