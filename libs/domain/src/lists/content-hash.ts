import { createHash } from 'node:crypto';
import type { ListRecord } from './list-record';

/**
 * Canonical JSON: object keys sorted at every level, so the same record always hashes the same
 * whatever order an adapter filled it in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Content hash of a record: any published change to the row changes it. */
export function recordContentHash(record: ListRecord): string {
  return sha256Hex(canonicalJson(record));
}

/**
 * An entry key from identity fields, for registries that publish no id of their own. MD5 is used
 * as a fingerprint, not for security: it runs once per row of multi-million-row exports.
 */
export function identityKey(parts: readonly (string | undefined)[]): string {
  return createHash('md5')
    .update(parts.map((p) => (p ?? '').trim()).join('\u001f'))
    .digest('hex');
}
