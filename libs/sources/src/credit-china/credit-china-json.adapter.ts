import type { Readable } from 'node:stream';
import type { CnCreditParseStats } from '../cn-credit-lists/cn-credit-table.parser';
import type { ParseContext, ParseItem, SourceAdapter } from '../source-adapter';
import { CREDIT_CHINA_JSON_ID, parseCreditChinaJson } from './credit-china-json.parser';
import { parseCreditChinaJsonSettings, type CreditChinaJsonSettings } from './credit-china-json.settings';

export interface CreditChinaJsonAdapter extends SourceAdapter<CreditChinaJsonSettings> {
  /** `parse` that also counts what it left out (natural persons), which ParseItem cannot carry. */
  parseWithStats(
    input: Readable,
    context: ParseContext<CreditChinaJsonSettings>,
    stats: CnCreditParseStats,
  ): AsyncIterable<ParseItem>;
}

/**
 * Credit China (信用中国) style JSON lookup responses for one of the China credit lists. The list
 * kind comes from the `list` setting, so each record carries it (`listKind`).
 */
export const creditChinaJsonAdapter: CreditChinaJsonAdapter = {
  id: CREDIT_CHINA_JSON_ID,
  description:
    'Credit China (信用中国) style JSON lookup response {status, data: {total, list}} for one China credit list ' +
    '(settings.list), with Credit China, gsxt and 双公示 cf_* field names',
  parseSettings: (settings) => parseCreditChinaJsonSettings(settings, CREDIT_CHINA_JSON_ID),
  parse: (input, context) => parseCreditChinaJson(input, context),
  parseWithStats: (input, context, stats) => parseCreditChinaJson(input, context, stats),
};
