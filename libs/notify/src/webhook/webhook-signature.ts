import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  signature: 'partnerwatch-signature',
  timestamp: 'partnerwatch-timestamp',
  delivery: 'partnerwatch-delivery',
  event: 'partnerwatch-event',
} as const;

/** HMAC-SHA256 over `timestamp + "." + body`, hex. Binding the timestamp stops replays of old bodies. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Header value: one `v1=` per active secret, so receivers keep working while a secret rotates. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${signWebhook(secret, timestamp, body)}`).join(',');
}

export type WebhookVerification = { ok: true } | { ok: false; reason: string };

/**
 * For receivers (the demo receiver and integrators' reference): checks that one of the `v1=`
 * signatures matches the secret and that the timestamp is within the tolerance.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: { signature?: string; timestamp?: string },
  toleranceSeconds = 300,
  now: Date = new Date(),
): WebhookVerification {
  if (!headers.signature || !headers.timestamp) return { ok: false, reason: 'missing signature or timestamp header' };
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'timestamp is not an integer' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    return { ok: false, reason: `timestamp outside the ${toleranceSeconds} s tolerance` };
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  const candidates = headers.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  const match = candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected));
  return match ? { ok: true } : { ok: false, reason: 'no signature matches' };
}
