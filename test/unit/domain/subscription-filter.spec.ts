import { describe, expect, it } from 'vitest';
import { subscriptionFilterProblems, subscriptionWants, type AlertFacts } from '@partnerwatch/domain';

const alert: AlertFacts = {
  severity: 'high',
  listKind: 'court_defaulter',
  supplierWatchlistIds: ['w1'],
  supplierTags: ['tier-1', 'electronics'],
  supplierCriticality: 'critical',
};

describe('subscription filters', () => {
  it('an empty filter takes every alert', () => {
    expect(subscriptionWants({}, alert)).toBe(true);
  });
  it('filters on severity, list kind, watchlist, tag and criticality', () => {
    expect(subscriptionWants({ minSeverity: 'critical' }, alert)).toBe(false);
    expect(subscriptionWants({ minSeverity: 'medium' }, alert)).toBe(true);
    expect(subscriptionWants({ listKinds: ['sanctions'] }, alert)).toBe(false);
    expect(subscriptionWants({ watchlistIds: ['w2'] }, alert)).toBe(false);
    expect(subscriptionWants({ tags: ['electronics'] }, alert)).toBe(true);
    expect(subscriptionWants({ criticalities: ['low'] }, alert)).toBe(false);
  });
  it('names the field of a bad filter', () => {
    expect(subscriptionFilterProblems({ minSeverity: 'urgent', listKinds: ['blacklist'], colour: 'red' })).toEqual([
      'filters.colour is not a known filter (watchlistIds, tags, minSeverity, listKinds, criticalities)',
      'filters.minSeverity must be one of info, low, medium, high, critical',
      'filters.listKinds: "blacklist" is not a list kind',
    ]);
    expect(subscriptionFilterProblems({ tags: ['a'] })).toEqual([]);
  });
});
