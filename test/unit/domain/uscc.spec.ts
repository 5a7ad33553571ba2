import { describe, expect, it } from 'vitest';
import { USCC_ALPHABET, normalizeUscc, usccCheckCharacter, validateUscc } from '@partnerwatch/domain';

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it('computes the check character over the first 17 characters', () => {
    expect(usccCheckCharacter('91440300192203821')).toBe('6');
    expect(usccCheckCharacter('9144030071526726')).toBeUndefined();
    expect(usccCheckCharacter('9144030071526726X')).toBe('G');
  });

  it('maps a sum that is a multiple of 31 to 0, not to a 32nd character', () => {
    // Search the space for a prefix whose weighted sum is 0 mod 31 and check it yields '0'.
    const prefix = '9100000000000000';
    const found = [...USCC_ALPHABET].map((c) => prefix + c).find((p) => usccCheckCharacter(p) === '0');
    expect(found).toBeDefined();
  });

  it('accepts valid codes, normalising case, spaces and full-width characters', () => {
    expect(validateUscc('914403001922038216')).toEqual({ ok: true, code: '914403001922038216' });
    expect(validateUscc(' 9144 0300 7152 6726xg ')).toEqual({ ok: true, code: '9144030071526726XG' });
    expect(normalizeUscc('９１４４０３００１９２２０３８２１６')).toBe('914403001922038216');
  });

  it('reports a failed check as a check problem with the expected character (a warning, not a rejection)', () => {
    const result = validateUscc('914403001922038217');
    expect(result).toMatchObject({ ok: false, problem: 'check', expectedCheck: '6' });
  });

  it('rejects codes of the wrong shape or with letters outside the alphabet', () => {
    expect(validateUscc('91440300192203821')).toMatchObject({ ok: false, problem: 'shape' });
    expect(validateUscc('91440300192203821I')).toMatchObject({ ok: false, problem: 'shape' });
    expect(validateUscc('9144030019220382O6')).toMatchObject({ ok: false, problem: 'shape' });
  });
});
