import type { SourceAdapter } from '../source-adapter';
import {
  parseWorldBankDebarred,
  parseWorldBankDebarredSettings,
  WORLD_BANK_DEBARRED_ID,
  type WorldBankDebarredSettings,
} from './world-bank-debarred.parser';

/** World Bank Group: firms and individuals ineligible for Bank-financed contracts. */
export const worldBankDebarredAdapter: SourceAdapter<WorldBankDebarredSettings> = {
  id: WORLD_BANK_DEBARRED_ID,
  description:
    'World Bank debarred firms and individuals: the XLSX download with a title line and a two-row header ' +
    '(Ineligibility Period over From Date / To Date)',
  defaultListKind: 'debarment',
  parseSettings: parseWorldBankDebarredSettings,
  parse: (input, context) => parseWorldBankDebarred(input, context),
};
