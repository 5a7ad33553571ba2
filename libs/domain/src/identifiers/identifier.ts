import { normalizeUscc } from './uscc';

export const IDENTIFIER_SCHEMES = ['uscc', 'lei', 'registration', 'tax', 'duns', 'imo', 'other'] as const;
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

/** One normal form per scheme, so suppliers and list entries compare by plain equality. */
export function normalizeIdentifierValue(scheme: string, value: string): string {
  if (scheme === 'uscc') return normalizeUscc(value);
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}
