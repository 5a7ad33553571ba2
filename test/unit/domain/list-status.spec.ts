import { describe, expect, it } from 'vitest';
import { deriveListStatus, listingSeverity } from '@partnerwatch/domain';

describe('list status rules', () => {
  it('CLEAR -> LISTED when a listing appears', () => {
    const result = deriveListStatus(undefined, ['e1'], new Set());
    expect(result).toEqual({
      status: 'LISTED',
      entryIds: ['e1'],
      events: [{ type: 'LISTED', entryId: 'e1', fromStatus: 'CLEAR', toStatus: 'LISTED' }],
    });
  });

  it('LISTED -> CLEAR (delisted) when the last listing goes', () => {
    const result = deriveListStatus({ status: 'LISTED', entryIds: ['e1'] }, [], new Set());
    expect(result.status).toBe('CLEAR');
    expect(result.events).toEqual([{ type: 'DELISTED', entryId: 'e1', fromStatus: 'LISTED', toStatus: 'CLEAR' }]);
  });

  it('LISTED with changed details when a listing is modified', () => {
    const result = deriveListStatus({ status: 'LISTED', entryIds: ['e1'] }, ['e1'], new Set(['e1']));
    expect(result.events).toEqual([
      { type: 'DETAILS_CHANGED', entryId: 'e1', fromStatus: 'LISTED', toStatus: 'LISTED' },
    ]);
  });

  it('a second listing on the same list is its own LISTED event; nothing changes, nothing fires', () => {
    expect(deriveListStatus({ status: 'LISTED', entryIds: ['e1'] }, ['e2', 'e1'], new Set()).events).toEqual([
      { type: 'LISTED', entryId: 'e2', fromStatus: 'LISTED', toStatus: 'LISTED' },
    ]);
    expect(deriveListStatus({ status: 'LISTED', entryIds: ['e1'] }, ['e1'], new Set()).events).toEqual([]);
    expect(deriveListStatus({ status: 'CLEAR', entryIds: [] }, [], new Set()).events).toEqual([]);
  });

  it('grades severity by list kind, one step higher for a critical supplier', () => {
    expect(listingSeverity('sanctions', 'low')).toBe('critical');
    expect(listingSeverity('sanctions', 'critical')).toBe('critical');
    expect(listingSeverity('abnormal_operations', 'medium')).toBe('medium');
    expect(listingSeverity('abnormal_operations', 'critical')).toBe('high');
    expect(listingSeverity('court_defaulter', 'high')).toBe('high');
  });
});
