import { describe, expect, it } from 'vitest';
import { cnAbnormalOperationsAdapter, getAdapter, listAdapters } from '@partnerwatch/sources';

describe('adapter registry', () => {
  it('finds adapters by id', () => {
    expect(getAdapter('cn-abnormal-operations')).toBe(cnAbnormalOperationsAdapter);
    expect(listAdapters().map((a) => a.id)).toContain('cn-abnormal-operations');
  });

  it('names the known adapters when the id is unknown', () => {
    expect(() => getAdapter('ofac-sdn-typo')).toThrow(/Unknown source adapter "ofac-sdn-typo".*cn-abnormal-operations/);
  });
});
