import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateUscc } from '@partnerwatch/domain';
import { sharedDataPath } from '../support/shared-data';

interface Vector {
  code: string;
  entity: string;
  valid: boolean;
  expected_check?: string;
}

const vectors = JSON.parse(readFileSync(sharedDataPath('cn-registry/uscc_test_vectors.json'), 'utf8')) as Vector[];

describe('USCC check against the shared real-world vectors', () => {
  it.each(vectors)('$code ($entity) valid=$valid', (vector) => {
    const result = validateUscc(vector.code);
    expect(result.ok).toBe(vector.valid);
    if (!vector.valid && !result.ok) {
      expect(result.problem).toBe('check');
      expect(result.expectedCheck).toBe(vector.expected_check);
    }
  });
});
