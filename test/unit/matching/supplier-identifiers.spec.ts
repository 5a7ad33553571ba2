import { describe, expect, it } from 'vitest';
import { checkSupplierUscc, normalizeSupplierIdentifiers } from '@partnerwatch/matching';

describe('supplier identifiers', () => {
  it('normalises and de-duplicates, dropping blanks', () => {
    expect(
      normalizeSupplierIdentifiers([
        { scheme: 'lei', value: ' 5493001kjtiigc8y1r12 ' },
        { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' },
        { scheme: 'registration', value: '  ' },
        { scheme: 'uscc', value: '９１４４０３００１９２２０３８２１６' },
      ]),
    ).toEqual([
      { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' },
      { scheme: 'uscc', value: '914403001922038216' },
    ]);
  });

  it('keeps a USCC whose check character fails, with a warning, and refuses the wrong shape', () => {
    expect(checkSupplierUscc('914403001922038216')).toEqual({ uscc: '914403001922038216', warnings: [] });
    expect(checkSupplierUscc('914403001922038217')).toEqual({
      uscc: '914403001922038217',
      warnings: [expect.stringContaining('expected 6')],
    });
    expect(checkSupplierUscc('12345')).toEqual({ error: expect.stringContaining('not a Unified Social Credit Code') });
    expect(checkSupplierUscc('')).toEqual({ uscc: null, warnings: [] });
  });
});
