import type { Readable } from 'node:stream';
import {
  identityKey,
  looksLikeUscc,
  normalizeIdentifierValue,
  normalizeUscc,
  type Delisting,
  type EntityIdentifier,
  type ListRecord,
} from '@partnerwatch/domain';
import { parseRegistryDate } from '../common/registry-date';
import { SourceFormatError, type ParseContext, type ParseItem } from '../source-adapter';
import { readCsvList } from '../tabular/csv-list.reader';
import { normalizeHeaderName, type CsvRowItem } from '../tabular/csv-rows';
import type { TabularSettings } from '../tabular/tabular-settings';

export const CN_ABNORMAL_OPERATIONS_ID = 'cn-abnormal-operations';

export type CnAbnormalOperationsSettings = TabularSettings;

type Field =
  | 'uscc'
  | 'registrationNo'
  | 'name'
  | 'reason'
  | 'listedOn'
  | 'authority'
  | 'removalReason'
  | 'removedOn'
  | 'removalAuthority';

/**
 * The official column headers (经营异常名录), first, then the variants seen in gsxt's web tables and
 * provincial exports. Compared after NFKC and with whitespace removed.
 */
export const CN_ABNORMAL_OPERATIONS_COLUMNS: Readonly<Record<Field, readonly string[]>> = {
  uscc: ['统一社会信用代码', '统一社会信用代码/注册号'],
  registrationNo: ['注册号'],
  name: ['企业名称', '市场主体名称'],
  reason: ['列入经营异常名录原因', '列入原因', '列入异常名录原因'],
  listedOn: ['列入日期', '列入时间'],
  authority: ['作出决定机关', '列入决定机关', '作出决定机关(列入)'],
  removalReason: ['移出经营异常名录原因', '移出原因', '移出异常名录原因'],
  removedOn: ['移出日期', '移出时间'],
  removalAuthority: ['作出移出决定机关', '移出决定机关', '作出决定机关(移出)'],
};

/** Where each field is in one export: the header name (as it appears there) per field. */
export interface CnAbnormalOperationsColumns {
  fields: Partial<Record<Field, string>>;
  /** Header names left out of `attributes`. */
  ignored: ReadonlySet<string>;
}

/**
 * Row-position columns. Portals number rows newest first, so one new listing renumbers every row;
 * kept as attributes they would change every record's content hash and report the whole list as modified.
 */
const ROW_NUMBER_COLUMNS = new Set(['序号', '行号']);

const compact = (name: string): string => normalizeHeaderName(name).replace(/\s+/g, '');

/** Map the export's header to fields; throws SourceFormatError when a required column is missing. */
export function resolveAbnormalOperationsColumns(header: readonly string[]): CnAbnormalOperationsColumns {
  const byCompactName = new Map<string, string>();
  for (const name of header) {
    const key = compact(name);
    if (!byCompactName.has(key)) byCompactName.set(key, name);
  }
  const columns: Partial<Record<Field, string>> = {};
  for (const [field, aliases] of Object.entries(CN_ABNORMAL_OPERATIONS_COLUMNS) as [Field, readonly string[]][]) {
    for (const alias of aliases) {
      const found = byCompactName.get(compact(alias));
      if (found !== undefined) {
        columns[field] = found;
        break;
      }
    }
  }

  const missing: string[] = [];
  if (!columns.name) missing.push('企业名称');
  if (!columns.listedOn) missing.push('列入日期');
  if (!columns.uscc && !columns.registrationNo) missing.push('统一社会信用代码 or 注册号');
  if (missing.length > 0) {
    const found = header.length > 0 ? header.join(', ') : '(none)';
    throw new SourceFormatError(
      `${CN_ABNORMAL_OPERATIONS_ID}: the export lacks the required column(s) ${missing.join(', ')}; ` +
        `found columns: ${found}. Is this a 经营异常名录 export, and is its encoding right?`,
    );
  }
  const ignored = new Set(header.filter((name) => ROW_NUMBER_COLUMNS.has(compact(name))));
  return { fields: columns, ignored };
}

/** Same test as the domain's looksLikeUscc, for codes that need no normalising. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Cells registries fill in when there is no value. */
const PLACEHOLDER = /^(?:[-－—–_/\\\s]*|无|暂无|空|null|none|n\/a)$/i;

/** The cell's value, or undefined when it is empty or a placeholder. Cells arrive trimmed. */
function present(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0) return undefined;
  return value.length <= 8 && PLACEHOLDER.test(value) ? undefined : value;
}

/** Turn one row of the export into a record, or a row error that names the problem. */
export function toAbnormalOperationsItem(item: CsvRowItem, layout: CnAbnormalOperationsColumns): ParseItem {
  if ('error' in item) {
    return { error: { row: item.row, message: item.error, ...(item.truncated ? { truncated: true } : {}) } };
  }
  const { row, values } = item;
  const columns = layout.fields;
  const cell = (field: Field): string | undefined => {
    const column = columns[field];
    return column === undefined ? undefined : present(values[column]);
  };

  const problems: string[] = [];
  const name = cell('name');
  if (!name) problems.push(`${columns.name ?? '企业名称'} is empty`);

  const identifiers: EntityIdentifier[] = [];
  const addIdentifier = (raw: string | undefined): void => {
    if (!raw) return;
    // Most codes are published already in normal form; the fast test spares them the NFKC pass.
    const uscc = USCC_SHAPE.test(raw) ? raw : looksLikeUscc(raw) ? normalizeUscc(raw) : undefined;
    const identifier: EntityIdentifier = uscc
      ? { scheme: 'uscc', value: uscc }
      : { scheme: 'registration', value: normalizeIdentifierValue('registration', raw) };
    if (!identifiers.some((i) => i.scheme === identifier.scheme && i.value === identifier.value)) {
      identifiers.push(identifier);
    }
  };
  // Old exports put the 15-digit 注册号 in the USCC column; addIdentifier files it under 'registration'.
  addIdentifier(cell('uscc'));
  addIdentifier(cell('registrationNo'));
  if (identifiers.length === 0) {
    const codeColumns = [columns.uscc, columns.registrationNo].filter((c) => c !== undefined);
    problems.push(`no identifier: ${codeColumns.join(' and ')} ${codeColumns.length > 1 ? 'are' : 'is'} empty`);
  }

  const listedOnRaw = cell('listedOn');
  const listedOn = listedOnRaw === undefined ? undefined : parseRegistryDate(listedOnRaw);
  if (listedOnRaw !== undefined && listedOn === undefined) {
    problems.push(`${columns.listedOn ?? '列入日期'} "${listedOnRaw}" is not a date`);
  }
  const removedOnRaw = cell('removedOn');
  const removedOn = removedOnRaw === undefined ? undefined : parseRegistryDate(removedOnRaw);
  if (removedOnRaw !== undefined && removedOn === undefined) {
    problems.push(`${columns.removedOn ?? '移出日期'} "${removedOnRaw}" is not a date`);
  }

  if (problems.length > 0 || !name) return { error: { row, message: problems.join('; ') } };

  const reason = cell('reason');
  const authority = cell('authority');
  const record: ListRecord = {
    // Identity only: removal fields change the row, not which listing it is.
    key: identityKey([identifiers[0]?.value, listedOn, reason, authority]),
    entityType: 'organization',
    names: [{ value: name, lang: 'zh', kind: 'primary' }],
    identifiers,
    country: 'CN',
    attributes: publishedAttributes(values, layout.ignored),
  };
  if (listedOn) record.listedOn = listedOn;
  if (reason) record.reason = reason;
  if (authority) record.authority = authority;

  // A removal reason without a date still means the registry has taken the company off the list.
  const removalReason = cell('removalReason');
  if (removedOn || removalReason) {
    const delisting: Delisting = {};
    if (removedOn) delisting.on = removedOn;
    if (removalReason) delisting.reason = removalReason;
    const removalAuthority = cell('removalAuthority');
    if (removalAuthority) delisting.authority = removalAuthority;
    record.delisting = delisting;
  }
  return { record };
}

function publishedAttributes(values: Record<string, string>, ignored: ReadonlySet<string>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const column in values) {
    const value = values[column];
    if (value && !ignored.has(column)) attributes[column] = value;
  }
  return attributes;
}

/** Stream-parse a 经营异常名录 CSV/TSV export (UTF-8 or GB18030) into records and row errors. */
export function parseCnAbnormalOperations(
  input: NodeJS.ReadableStream | Readable,
  context: ParseContext<CnAbnormalOperationsSettings>,
): AsyncGenerator<ParseItem> {
  return readCsvList(input, context, {
    columns: resolveAbnormalOperationsColumns,
    toItem: (row, values, columns) => toAbnormalOperationsItem({ row, values }, columns),
  });
}
