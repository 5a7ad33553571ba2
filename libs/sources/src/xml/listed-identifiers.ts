import { looksLikeUscc, normalizeIdentifierValue, normalizeUscc, type EntityIdentifier } from '@partnerwatch/domain';

export interface IdentifierOptions {
  /**
   * The listed party is an organisation (or its type is unknown). A person's 18-character identity
   * number has the same alphabet and length as a USCC, so only non-persons' codes become 'uscc'.
   */
  organization: boolean;
  /** The issuing country as an ISO code, when the list says: a code issued elsewhere is no USCC. */
  country?: string;
}

/** Schemes whose values may be a Chinese company's Unified Social Credit Code. */
const USCC_CARRIERS = new Set(['uscc', 'registration', 'tax', 'other']);

/**
 * One identifier in the domain's normal form, or undefined when nothing is left of the value.
 * An IMO number keeps its seven digits ("IMO 9826902" -> "9826902").
 */
export function listedIdentifier(
  scheme: string,
  raw: string,
  options: IdentifierOptions,
): EntityIdentifier | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  const china = options.country === undefined || options.country === 'CN' || options.country === 'HK';
  if (options.organization && china && USCC_CARRIERS.has(scheme) && looksLikeUscc(trimmed)) {
    return { scheme: 'uscc', value: normalizeUscc(trimmed) };
  }
  if (scheme === 'uscc') return { scheme: 'registration', value: normalizeIdentifierValue('registration', trimmed) };
  if (scheme === 'imo') {
    const digits = trimmed.replace(/^\s*imo\s*(?:no\.?|number)?\s*:?\s*/i, '').replace(/\s+/g, '');
    return /^\d{7}$/.test(digits) ? { scheme: 'imo', value: digits } : { scheme: 'other', value: normalize(trimmed) };
  }
  const value = normalizeIdentifierValue(scheme, trimmed);
  return value.length > 0 ? { scheme, value } : undefined;
}

const normalize = (raw: string): string => normalizeIdentifierValue('other', raw);

/** Identifiers of one record, without duplicates, in the order first seen. */
export class IdentifierList {
  private readonly items: EntityIdentifier[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly options: IdentifierOptions) {}

  add(scheme: string, raw: string | undefined, country?: string): void {
    if (raw === undefined) return;
    const options: IdentifierOptions =
      country === undefined ? this.options : { organization: this.options.organization, country };
    const identifier = listedIdentifier(scheme, raw, options);
    if (identifier) this.push(identifier);
  }

  /** Identifiers already in normal form (from free text). */
  addAll(identifiers: readonly EntityIdentifier[]): void {
    for (const identifier of identifiers) this.push(identifier);
  }

  toArray(): EntityIdentifier[] {
    return [...this.items];
  }

  private push(identifier: EntityIdentifier): void {
    const id = `${identifier.scheme}\u001f${identifier.value}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.items.push(identifier);
  }
}
