import { normalizeIdentifierValue, validateUscc, type EntityIdentifier } from '@partnerwatch/domain';

/**
 * A supplier's identifiers in the one normal form list entries are stored in, so matching by
 * identifier is plain equality (an identifier match is certain). Duplicates and blanks dropped.
 */
export function normalizeSupplierIdentifiers(identifiers: readonly EntityIdentifier[]): EntityIdentifier[] {
  const seen = new Set<string>();
  const out: EntityIdentifier[] = [];
  for (const { scheme, value } of identifiers) {
    const normal = normalizeIdentifierValue(scheme, value);
    const key = `${scheme}\u001f${normal}`;
    if (!normal || seen.has(key)) continue;
    seen.add(key);
    out.push({ scheme, value: normal });
  }
  return out;
}

export type SupplierUscc = { uscc: null; warnings: [] } | { uscc: string; warnings: string[] } | { error: string };

/**
 * A supplier's USCC as entered: normalised; a code with the wrong shape is an error; a code whose
 * check character fails is kept with a warning, because some real early codes fail it.
 */
export function checkSupplierUscc(raw: string | undefined | null): SupplierUscc {
  if (raw === undefined || raw === null || raw.trim() === '') return { uscc: null, warnings: [] };
  const result = validateUscc(raw);
  if (result.ok) return { uscc: result.code, warnings: [] };
  if (result.problem === 'shape') return { error: result.message };
  return { uscc: result.code, warnings: [result.message] };
}
