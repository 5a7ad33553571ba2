import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { organizationCodeCheckCharacter } from '../../apps/demo/src/demo-companies';
import { sharedDataPath } from '../support/shared-data';

const vectors = JSON.parse(readFileSync(sharedDataPath('cn-registry/uscc_test_vectors.json'), 'utf8')) as {
  code: string;
  valid: boolean;
}[];

describe('GB 11714 organization code check inside real USCCs', () => {
  it('reproduces the organization code check of every valid shared vector', () => {
    const valid = vectors.filter((vector) => vector.valid);
    expect(valid.length).toBeGreaterThan(5);
    for (const { code } of valid) {
      expect(organizationCodeCheckCharacter(code.slice(8, 16)), code).toBe(code.charAt(16));
    }
  });
});
