/**
 * The domain shape every source adapter produces, whatever the registry's format.
 * Adapters keep the registry's own field values in `attributes` (as published) so evidence shows
 * exactly what the registry said; the typed fields are what screening and alerts use.
 */
import type { ListKind } from './list-kind';

export type EntityType = 'organization' | 'person' | 'vessel' | 'aircraft' | 'unknown';

export interface EntityName {
  value: string;
  /** BCP 47-ish script/language hint: 'zh', 'en', or undefined when unknown. */
  lang?: string;
  kind: 'primary' | 'alias';
}

export interface EntityIdentifier {
  /** Normalised scheme: 'uscc', 'lei', 'registration', 'tax', 'imo', 'other'. */
  scheme: string;
  value: string;
}

export interface Delisting {
  on?: string;
  reason?: string;
  authority?: string;
}

export interface ListRecord {
  /** Stable key: the source's own id, else a hash of the identity fields. */
  key: string;
  entityType: EntityType;
  /**
   * Set when one export mixes lists of different meaning (the US Consolidated Screening List holds
   * the Entity List next to SDN): overrides the source's list kind for this entry.
   */
  listKind?: ListKind;
  /** Sanctions programmes or legal bases, as the list names them. */
  programs?: string[];
  names: EntityName[];
  identifiers: EntityIdentifier[];
  country?: string;
  /** ISO date (YYYY-MM-DD) the listing took effect, when the registry says. */
  listedOn?: string;
  reason?: string;
  authority?: string;
  /** Set when the registry still publishes the row but says the listing has ended. */
  delisting?: Delisting;
  /** The fields as the registry published them, keyed by the registry's own column names. */
  attributes: Record<string, string>;
}

/** Why one row of an export could not become a record; kept as a sample on the snapshot. */
export interface RowError {
  row: number;
  message: string;
  /** The row is the export's last and is cut short: the download or the export was truncated. */
  truncated?: boolean;
}

export function primaryName(record: Pick<ListRecord, 'names'>): string | undefined {
  return (record.names.find((n) => n.kind === 'primary') ?? record.names[0])?.value;
}
