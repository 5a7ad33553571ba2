import { describe, expect, it } from 'vitest';
import { uuidV7 } from '@partnerwatch/db';

describe('uuidV7', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the time in its first 48 bits', () => {
    const id = uuidV7(Date.UTC(2026, 10, 22));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 22));
  });

  it('sorts by time', () => {
    const ids = [1_000, 2_000, 3_000].map((t) => uuidV7(1_790_000_000_000 + t));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => uuidV7())).size).toBe(1000);
  });
});
