import type { SourceAdapter } from '../source-adapter';
import { parseTabularSettings } from '../tabular/tabular-settings';
import { parseUsDod1260h, US_DOD_1260H_ID, type UsDod1260hSettings } from './us-dod-1260h.parser';

/**
 * US Department of Defense list of Chinese military companies (NDAA FY2021 Section 1260H).
 *
 * List kind 'export_control': a 1260H designation is a US government trade restriction aimed at
 * China's military-industrial base. From June 2026 DoD may not contract with a listed company
 * (NDAA FY2024 Section 805), and from 2027 not buy its goods through others, so a supplier on it
 * can stop a firm's defence business and those of its customers. It is not 'sanctions': nothing is
 * frozen and private parties may still deal with the company. Compliance teams screen it next to
 * the Entity List and the NS-CMIC list, with the same (critical) severity, which 'debarment' would
 * understate.
 */
export const usDod1260hAdapter: SourceAdapter<UsDod1260hSettings> = {
  id: US_DOD_1260H_ID,
  description:
    'US DoD Section 1260H list of Chinese military companies, OpenSanctions-curated CSV (Name, Clean Name, ' +
    'Alias, Previous Name, Parent Name, Note, Start date, End date)',
  defaultListKind: 'export_control',
  parseSettings: (settings) => parseTabularSettings(settings, US_DOD_1260H_ID),
  parse: (input, context) => parseUsDod1260h(input, context),
};
