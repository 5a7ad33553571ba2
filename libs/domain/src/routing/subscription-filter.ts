import { isListKind, type ListKind } from '../lists/list-kind';
import { SEVERITIES, atLeast, type Criticality, type Severity } from '../status/severity';

/** Which alerts a subscription wants. Every field is optional; an empty filter takes everything. */
export interface SubscriptionFilters {
  watchlistIds?: string[];
  tags?: string[];
  minSeverity?: Severity;
  listKinds?: ListKind[];
  criticalities?: Criticality[];
}

/** The facts about one alert that routing looks at. */
export interface AlertFacts {
  severity: Severity;
  listKind: ListKind;
  supplierWatchlistIds: readonly string[];
  supplierTags: readonly string[];
  supplierCriticality: Criticality;
}

const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

export function subscriptionWants(filters: SubscriptionFilters, alert: AlertFacts): boolean {
  if (filters.minSeverity && !atLeast(alert.severity, filters.minSeverity)) return false;
  if (filters.listKinds?.length && !filters.listKinds.includes(alert.listKind)) return false;
  if (filters.watchlistIds?.length && !intersects(filters.watchlistIds, alert.supplierWatchlistIds)) return false;
  if (filters.tags?.length && !intersects(filters.tags, alert.supplierTags)) return false;
  if (filters.criticalities?.length && !filters.criticalities.includes(alert.supplierCriticality)) return false;
  return true;
}

/** Validate filters from an API body; returns problems naming the field, empty when valid. */
export function subscriptionFilterProblems(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return ['filters must be an object'];
  const f = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = ['watchlistIds', 'tags', 'minSeverity', 'listKinds', 'criticalities'];
  for (const key of Object.keys(f))
    if (!known.includes(key)) problems.push(`filters.${key} is not a known filter (${known.join(', ')})`);
  for (const key of ['watchlistIds', 'tags', 'listKinds', 'criticalities']) {
    const v = f[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
      problems.push(`filters.${key} must be an array of strings`);
  }
  if (f.minSeverity !== undefined && !(SEVERITIES as readonly unknown[]).includes(f.minSeverity)) {
    problems.push(`filters.minSeverity must be one of ${SEVERITIES.join(', ')}`);
  }
  if (Array.isArray(f.listKinds)) {
    for (const k of f.listKinds)
      if (!isListKind(k)) problems.push(`filters.listKinds: "${String(k)}" is not a list kind`);
  }
  return problems;
}
