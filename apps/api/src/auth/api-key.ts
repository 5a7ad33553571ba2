import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `pw_<prefix>_<secret>`. Only the prefix (to find the row) and a SHA-256 of
 * the whole key are stored; the key itself is shown once, when created.
 */
export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const key = `pw_${prefix}_${secret}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function apiKeyPrefix(key: string): string | undefined {
  return /^pw_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key)?.[1];
}
