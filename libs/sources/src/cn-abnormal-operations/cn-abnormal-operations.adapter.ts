import type { SourceAdapter } from '../source-adapter';
import { parseTabularSettings } from '../tabular/tabular-settings';
import {
  CN_ABNORMAL_OPERATIONS_ID,
  parseCnAbnormalOperations,
  type CnAbnormalOperationsSettings,
} from './cn-abnormal-operations.parser';

/** China's List of Enterprises with Abnormal Operations (经营异常名录), as a CSV/TSV export. */
export const cnAbnormalOperationsAdapter: SourceAdapter<CnAbnormalOperationsSettings> = {
  id: CN_ABNORMAL_OPERATIONS_ID,
  description:
    'China List of Enterprises with Abnormal Operations (经营异常名录): CSV/TSV export with the official ' +
    'Chinese column headers, UTF-8 or GB18030/GBK',
  parseSettings: (settings) => parseTabularSettings(settings, CN_ABNORMAL_OPERATIONS_ID),
  parse: (input, context) => parseCnAbnormalOperations(input, context),
};
