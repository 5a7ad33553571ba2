import type { ListKind } from '../lists/list-kind';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

const LIST_KIND_SEVERITY: Record<ListKind, Severity> = {
  sanctions: 'critical',
  export_control: 'critical',
  forced_labor: 'critical',
  serious_illegal_dishonest: 'high',
  court_defaulter: 'high',
  debarment: 'high',
  tax_violation: 'high',
  abnormal_operations: 'medium',
  // Administrative penalties range from a warning to a revoked licence; "low" until the penalty
  // itself is graded (see penaltySeverity).
  admin_penalty: 'low',
  // Leaving a redlist is worth knowing but is not a listing on a blacklist.
  redlist: 'low',
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) >= severityRank(minimum);
}

function raise(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(severity) + 1)]!;
}

/** Severity of a LISTED event: the list kind's, one step higher for a critical supplier. */
export function listingSeverity(kind: ListKind, criticality: Criticality): Severity {
  const base = LIST_KIND_SEVERITY[kind];
  return criticality === 'critical' ? raise(base) : base;
}
