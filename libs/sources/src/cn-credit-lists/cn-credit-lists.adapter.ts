import type { ListKind } from '@partnerwatch/domain';
import type { ParseContext, ParseItem, SourceAdapter } from '../source-adapter';
import type { Readable } from 'node:stream';
import type { CnCreditListProfile } from './cn-credit-list.profile';
import {
  ADMIN_PENALTIES_PROFILE,
  A_GRADE_TAXPAYERS_PROFILE,
  COURT_DEFAULTERS_PROFILE,
  MAJOR_TAX_VIOLATORS_PROFILE,
  SERIOUS_ILLEGAL_DISHONEST_PROFILE,
} from './cn-credit-list.profiles';
import { parseCnCreditTable, type CnCreditParseStats } from './cn-credit-table.parser';
import { parseCnCreditTableSettings, type CnCreditTableSettings } from './cn-credit-table.settings';

export const CN_SERIOUS_ILLEGAL_DISHONEST_ID = 'cn-serious-illegal-dishonest';
export const CN_COURT_DEFAULTERS_ID = 'cn-court-defaulters';
export const CN_MAJOR_TAX_VIOLATORS_ID = 'cn-major-tax-violators';
export const CN_ADMIN_PENALTIES_ID = 'cn-admin-penalties';
export const CN_A_GRADE_TAXPAYERS_ID = 'cn-a-grade-taxpayers';

/** A table adapter of the family, with its profile for callers that need the column map. */
export interface CnCreditTableAdapter extends SourceAdapter<CnCreditTableSettings> {
  readonly defaultListKind: ListKind;
  readonly profile: CnCreditListProfile;
  /** `parse` that also counts what it left out (natural persons), which ParseItem cannot carry. */
  parseWithStats(
    input: Readable,
    context: ParseContext<CnCreditTableSettings>,
    stats: CnCreditParseStats,
  ): AsyncIterable<ParseItem>;
}

const FORMATS = 'CSV/TSV (UTF-8 or GB18030/GBK) or XLSX';

function tableAdapter(id: string, profile: CnCreditListProfile, description: string): CnCreditTableAdapter {
  return {
    id,
    description: `${description}: ${FORMATS} export with the official Chinese column headers`,
    defaultListKind: profile.listKind,
    profile,
    parseSettings: (settings) => parseCnCreditTableSettings(settings, id),
    parse: (input, context) => parseCnCreditTable(input, context, profile, id),
    parseWithStats: (input, context, stats) => parseCnCreditTable(input, context, profile, id, stats),
  };
}

export const cnSeriousIllegalDishonestAdapter = tableAdapter(
  CN_SERIOUS_ILLEGAL_DISHONEST_ID,
  SERIOUS_ILLEGAL_DISHONEST_PROFILE,
  "China's list of seriously illegal and dishonest entities (严重违法失信名单), with removals",
);

export const cnCourtDefaultersAdapter = tableAdapter(
  CN_COURT_DEFAULTERS_ID,
  COURT_DEFAULTERS_PROFILE,
  'China court dishonest judgment defaulters (失信被执行人), companies only: natural persons are left out',
);

export const cnMajorTaxViolatorsAdapter = tableAdapter(
  CN_MAJOR_TAX_VIOLATORS_ID,
  MAJOR_TAX_VIOLATORS_PROFILE,
  'China major tax violators (重大税收违法失信主体)',
);

export const cnAdminPenaltiesAdapter = tableAdapter(
  CN_ADMIN_PENALTIES_ID,
  ADMIN_PENALTIES_PROFILE,
  'China administrative penalties (行政处罚, 双公示 / Credit China cf_* fields); a passed 公示截止期 reads as delisted',
);

export const cnAGradeTaxpayersAdapter = tableAdapter(
  CN_A_GRADE_TAXPAYERS_ID,
  A_GRADE_TAXPAYERS_PROFILE,
  'China A-grade taxpayers (A级纳税人), a redlist keyed by taxpayer number and evaluation year',
);

/** The family, for registration. cn-abnormal-operations stays its own adapter. */
export const CN_CREDIT_TABLE_ADAPTERS: readonly CnCreditTableAdapter[] = [
  cnSeriousIllegalDishonestAdapter,
  cnCourtDefaultersAdapter,
  cnMajorTaxViolatorsAdapter,
  cnAdminPenaltiesAdapter,
  cnAGradeTaxpayersAdapter,
];
