import type { CnCreditListProfile } from '../cn-credit-lists/cn-credit-list.profile';
import {
  ABNORMAL_OPERATIONS_PROFILE,
  ADMIN_PENALTIES_PROFILE,
  COURT_DEFAULTERS_PROFILE,
} from '../cn-credit-lists/cn-credit-list.profiles';
import { ObjectRowReader, type ObjectRowReaderOptions } from '../cn-credit-lists/cn-credit-object.reader';
import { chinaToday, mapCnCreditRow } from '../cn-credit-lists/cn-credit-record.mapper';
import { toParseItem, type CnCreditParseStats } from '../cn-credit-lists/cn-credit-table.parser';
import { SourceFormatError, type ParseItem } from '../source-adapter';

/** The lists a QCC (企查查) ECI company payload carries records of. */
export type QccEciList = 'abnormal_operations' | 'court_defaulter' | 'admin_penalty';

export interface QccEciOptions {
  /** Today in China, YYYY-MM-DD; defaults to the real date (it decides whether a publication period has passed). */
  today?: string;
  stats?: CnCreditParseStats;
}

/** One array of the payload and how its items read. */
interface QccSection {
  key: string;
  profile: CnCreditListProfile;
  /**
   * QCC key → the profile's Chinese label, for sections whose key names mean something else in
   * other services (PenaltyCreditChina's "Name" is the penalty's name, not the company's).
   */
  labels?: Readonly<Record<string, string>>;
}

/**
 * Field names as QCC's ECI API publishes them (the sample in ../shared/data/cn-registry, and
 * public QCC clients: Exceptions AddReason/AddDate/RomoveReason/RemoveDate/DecisionOffice/
 * RemoveDecisionOffice, ShiXinItems Anno/Executegov/Publicdate/Executestatus/Actionremark/Orgno,
 * PenaltyCreditChina CaseNo/Name/Liandate/CaseReason/OwnerName/Province). Exceptions and
 * ShiXinItems keys are aliases in the profiles themselves.
 */
const SECTIONS: Readonly<Record<QccEciList, readonly QccSection[]>> = {
  abnormal_operations: [{ key: 'Exceptions', profile: ABNORMAL_OPERATIONS_PROFILE }],
  court_defaulter: [{ key: 'ShiXinItems', profile: COURT_DEFAULTERS_PROFILE }],
  admin_penalty: [
    {
      // Penalties gsxt publishes (市场监管).
      key: 'Penalty',
      profile: ADMIN_PENALTIES_PROFILE,
      labels: {
        DocNo: '决定书文号',
        PenaltyType: '违法行为类型',
        Content: '处罚内容',
        OfficeName: '处罚机关',
        PenaltyDate: '处罚决定日期',
      },
    },
    {
      // Penalties Credit China publishes (双公示 of every department).
      key: 'PenaltyCreditChina',
      profile: ADMIN_PENALTIES_PROFILE,
      labels: {
        CaseNo: '决定书文号',
        Name: '处罚内容',
        CaseReason: '处罚事由',
        Liandate: '处罚决定日期',
      },
    },
  ],
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * Records of one list from a QCC ECI company payload (the whole response `{Status, Message,
 * Result}` or its `Result`): every item is about the company looked up, so its name and USCC
 * come from the payload's identity fields. Natural persons are left out (counted in `stats`).
 * A response whose Status is not 200 (201 is "查询无结果") is a SourceFormatError with QCC's message.
 */
export function recordsFromQccEci(payload: unknown, list: QccEciList, options: QccEciOptions = {}): ParseItem[] {
  if (!isObject(payload)) throw new SourceFormatError('QCC ECI payload: expected a JSON object');
  const status = text(payload.Status);
  if (status !== undefined && status !== '200') {
    const message = text(payload.Message);
    throw new SourceFormatError(`QCC ECI lookup failed with Status ${status}${message ? `: ${message}` : ''}`);
  }
  const result = 'Result' in payload ? payload.Result : payload;
  if (!isObject(result)) {
    throw new SourceFormatError('QCC ECI payload: no Result object');
  }
  const sections = SECTIONS[list];
  if (!sections) throw new SourceFormatError(`QCC ECI payload: no mapping for list "${String(list)}"`);

  const company = {
    name: text(result.Name),
    uscc: text(result.CreditCode),
    registrationNo: text(result.No),
    orgCode: text(result.OrgNo),
  };
  const today = options.today ?? chinaToday();
  const items: ParseItem[] = [];
  let row = 0;
  for (const section of sections) {
    const entries = result[section.key];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) throw new SourceFormatError(`QCC ECI payload: ${section.key} is not an array`);
    for (const entry of entries) {
      row++;
      if (!isObject(entry)) {
        items.push({ error: { row, message: `${section.key} item ${row} is not an object` } });
        continue;
      }
      const readerOptions: ObjectRowReaderOptions = {
        fixed: companyFields(section, entry, company),
        ...(section.labels ? { labels: section.labels, labelsOnly: true } : {}),
      };
      const reader = new ObjectRowReader(section.profile, entry, readerOptions);
      const result = mapCnCreditRow(section.profile, reader, row, () => reader.attributes(), {
        today,
        tagListKind: true,
      });
      const item = toParseItem(result, options.stats);
      if (item) items.push(item);
    }
  }
  return items;
}

/** The company's own name and codes, as the profile's fields. */
function companyFields(
  section: QccSection,
  entry: Record<string, unknown>,
  company: { name?: string; uscc?: string; registrationNo?: string; orgCode?: string },
): Record<string, string | undefined> {
  if (section.profile === COURT_DEFAULTERS_PROFILE) {
    // A defaulter item names the party itself; its Orgno is read as the item's own field.
    return { name: text(entry.Name) ?? company.name, uscc: company.uscc };
  }
  if (section.profile === ADMIN_PENALTIES_PROFILE) {
    return { name: company.name, uscc: company.uscc, registrationNo: company.registrationNo, orgCode: company.orgCode };
  }
  return { name: company.name, uscc: company.uscc, registrationNo: company.registrationNo };
}
