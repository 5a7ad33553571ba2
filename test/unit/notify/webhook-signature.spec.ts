import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifyWebhook } from '@partnerwatch/notify';

describe('webhook signatures', () => {
  const body = '{"type":"alert.listed"}';
  const now = new Date('2026-11-22T00:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);

  it('is HMAC-SHA256 over timestamp "." body, hex', () => {
    const expected = createHmac('sha256', 'secret-one-0123456789').update(`${ts}.${body}`).digest('hex');
    expect(signatureHeader(['secret-one-0123456789'], ts, body)).toBe(`v1=${expected}`);
  });

  it('verifies with either secret while one rotates, and refuses tampering and stale timestamps', () => {
    const header = signatureHeader(['new-secret-0123456789', 'old-secret-0123456789'], ts, body);
    expect(
      verifyWebhook('old-secret-0123456789', body, { signature: header, timestamp: String(ts) }, 300, now),
    ).toEqual({ ok: true });
    expect(
      verifyWebhook('new-secret-0123456789', body, { signature: header, timestamp: String(ts) }, 300, now),
    ).toEqual({ ok: true });
    expect(
      verifyWebhook('new-secret-0123456789', body + ' ', { signature: header, timestamp: String(ts) }, 300, now).ok,
    ).toBe(false);
    expect(
      verifyWebhook('other-secret-0123456789', body, { signature: header, timestamp: String(ts) }, 300, now).ok,
    ).toBe(false);
    const late = new Date(now.getTime() + 301_000);
    expect(
      verifyWebhook('new-secret-0123456789', body, { signature: header, timestamp: String(ts) }, 300, late),
    ).toMatchObject({ ok: false });
  });
});
