/**
 * When a new snapshot looks more like a broken download than a real change, it is held back
 * (quarantined) for a person to approve or reject, and the last good snapshot stays in force.
 * A list that shrinks sharply usually means a truncated or half-published export, and applying it
 * would send a flood of false "delisted" alerts. Real mass removals do happen (China's market
 * regulator hid millions of abnormal-operations records in 2025), hence approval, not refusal.
 */
export interface QuarantineThresholds {
  /** Largest share of the active entries one snapshot may remove (0.05 = 5%). */
  maxRemovedShare: number;
  /** Largest number of entries one snapshot may remove; null for no limit by count. */
  maxRemovedCount: number | null;
  /** Largest share of rows that failed to parse. */
  maxErrorShare: number;
}

export const DEFAULT_QUARANTINE_THRESHOLDS: QuarantineThresholds = {
  maxRemovedShare: 0.05,
  maxRemovedCount: null,
  maxErrorShare: 0.01,
};

export interface SnapshotFacts {
  mode: 'full' | 'delta';
  /** Entries in the export (after de-duplicating keys). */
  incoming: number;
  /** Rows the parser could not read. */
  errorCount: number;
  /** The parser found the last row cut short. */
  truncated: boolean;
  activeBefore: number;
  removed: number;
}

/** Why the snapshot must be held back, or undefined when it may be applied. */
export function quarantineReason(facts: SnapshotFacts, thresholds: QuarantineThresholds): string | undefined {
  if (facts.truncated) {
    return 'the export is truncated: its last row is cut short, so the download or the export is incomplete';
  }
  const rows = facts.incoming + facts.errorCount;
  if (facts.mode === 'full' && facts.incoming === 0) {
    return facts.errorCount > 0
      ? `no row of the export could be read (${facts.errorCount} unreadable rows)`
      : 'the export is empty';
  }
  if (rows > 0 && facts.errorCount / rows > thresholds.maxErrorShare) {
    return (
      `${facts.errorCount} of ${rows} rows could not be read (${percent(facts.errorCount / rows)}), ` +
      `above the ${percent(thresholds.maxErrorShare)} threshold`
    );
  }
  if (facts.activeBefore > 0 && facts.removed / facts.activeBefore > thresholds.maxRemovedShare) {
    return (
      `it removes ${facts.removed} of ${facts.activeBefore} entries (${percent(facts.removed / facts.activeBefore)}), ` +
      `above the ${percent(thresholds.maxRemovedShare)} threshold`
    );
  }
  if (thresholds.maxRemovedCount !== null && facts.removed > thresholds.maxRemovedCount) {
    return `it removes ${facts.removed} entries, above the limit of ${thresholds.maxRemovedCount}`;
  }
  return undefined;
}

/** Thresholds from a source's `guard` JSON over the defaults; unknown or invalid fields are reported. */
export function parseQuarantineThresholds(
  value: unknown,
  defaults: QuarantineThresholds,
): { thresholds: QuarantineThresholds; problems: string[] } {
  const thresholds = { ...defaults };
  const problems: string[] = [];
  if (value === null || value === undefined) return { thresholds, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { thresholds, problems: ['guard must be an object'] };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'maxRemovedShare' || key === 'maxErrorShare') {
      if (typeof v !== 'number' || v < 0 || v > 1) problems.push(`guard.${key} must be a number from 0 to 1`);
      else thresholds[key] = v;
    } else if (key === 'maxRemovedCount') {
      if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        problems.push('guard.maxRemovedCount must be a whole number of entries, or null');
      } else thresholds.maxRemovedCount = v;
    } else problems.push(`guard.${key} is not a known threshold (maxRemovedShare, maxRemovedCount, maxErrorShare)`);
  }
  return { thresholds, problems };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
