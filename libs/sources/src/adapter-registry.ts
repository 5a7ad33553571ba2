import { cnAbnormalOperationsAdapter } from './cn-abnormal-operations/cn-abnormal-operations.adapter';
import { CN_CREDIT_TABLE_ADAPTERS } from './cn-credit-lists/cn-credit-lists.adapter';
import { creditChinaJsonAdapter } from './credit-china/credit-china-json.adapter';
import { openSanctionsFtmAdapter } from './opensanctions/opensanctions.adapter';
import { ofacConsolidatedCsvAdapter, ofacSdnCsvAdapter } from './ofac/ofac.adapter';
import { usCslCsvAdapter, usCslJsonAdapter } from './csl/csl.adapter';
import { unConsolidatedAdapter } from './un/un-consolidated.adapter';
import { euFsfAdapter } from './eu/eu-fsf.adapter';
import { ukSanctionsCsvAdapter } from './uk/uk-sanctions-csv.adapter';
import { ukSanctionsXmlAdapter } from './uk/uk-sanctions-xml.adapter';
import { ofacSdnXmlAdapter } from './ofac-xml/ofac-sdn-xml.adapter';
import { bisDplAdapter } from './bis/bis-dpl.adapter';
import { worldBankDebarredAdapter } from './world-bank/world-bank-debarred.adapter';
import { ebrdIneligibleAdapter } from './ebrd/ebrd-ineligible.adapter';
import { cnSanctionsAdapter } from './cn-sanctions/cn-sanctions.adapter';
import { usDod1260hAdapter } from './us-dod-1260h/us-dod-1260h.adapter';
import { customSourceAdapter } from './custom/custom-source.adapter';
import type { SourceAdapter } from './source-adapter';

// Settings types differ per adapter; callers go through parseSettings, so the registry holds them as unknown.
const ADAPTERS: readonly SourceAdapter[] = [
  cnAbnormalOperationsAdapter,
  ...(CN_CREDIT_TABLE_ADAPTERS as readonly SourceAdapter[]),
  creditChinaJsonAdapter as SourceAdapter,
  openSanctionsFtmAdapter as SourceAdapter,
  ofacSdnCsvAdapter as SourceAdapter,
  ofacConsolidatedCsvAdapter as SourceAdapter,
  usCslCsvAdapter as SourceAdapter,
  usCslJsonAdapter as SourceAdapter,
  unConsolidatedAdapter as SourceAdapter,
  euFsfAdapter as SourceAdapter,
  ukSanctionsCsvAdapter as SourceAdapter,
  ukSanctionsXmlAdapter as SourceAdapter,
  ofacSdnXmlAdapter as SourceAdapter,
  bisDplAdapter as SourceAdapter,
  worldBankDebarredAdapter as SourceAdapter,
  ebrdIneligibleAdapter as SourceAdapter,
  cnSanctionsAdapter as SourceAdapter,
  usDod1260hAdapter as SourceAdapter,
  customSourceAdapter as SourceAdapter,
];
const BY_ID = new Map<string, SourceAdapter>(ADAPTERS.map((adapter) => [adapter.id, adapter]));

export class UnknownAdapterError extends Error {
  override readonly name = 'UnknownAdapterError';
}

export function getAdapter(id: string): SourceAdapter {
  const adapter = BY_ID.get(id);
  if (!adapter) {
    throw new UnknownAdapterError(`Unknown source adapter "${id}"; known adapters: ${[...BY_ID.keys()].join(', ')}`);
  }
  return adapter;
}

export function listAdapters(): readonly SourceAdapter[] {
  return ADAPTERS;
}
