import { readFile } from 'node:fs/promises';
import { fetchExport, removeFetchedFile, FetchError, type FetchOptions } from './http-fetcher';

/** Index and catalog documents are small; a larger one is a mistake or an attack. */
const JSON_DOCUMENT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Fetch a small JSON document (a catalog, a delta index) through the same guarded fetcher as
 * exports: same timeouts, redirect cap and size cap.
 */
export async function fetchJsonDocument(url: string, options: FetchOptions): Promise<unknown> {
  const result = await fetchExport(
    { url },
    { ...options, maxBytes: Math.min(options.maxBytes, JSON_DOCUMENT_MAX_BYTES) },
  );
  if (result.kind !== 'fetched') throw new FetchError(`GET ${url}: unexpected 304 without validators`, url, false);
  try {
    const text = await readFile(result.path, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new FetchError(`GET ${url}: not a JSON document (${(error as Error).message})`, url, true);
    }
  } finally {
    await removeFetchedFile(result.path);
  }
}
