import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then random bits.
 * Made in the worker for bulk loads (one per staged row) because PostgreSQL 15 has no native
 * generator and the SQL one costs microseconds a row; time order keeps index inserts appending.
 */
export function uuidV7(now: number = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, variant bits already set
  const ts = now.toString(16).padStart(12, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${random.slice(15)}`;
}
