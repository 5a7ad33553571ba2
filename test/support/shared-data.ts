import { createReadStream, existsSync } from 'node:fs';
import type { ListRecord, RowError } from '@partnerwatch/domain';
import { staticParseContext, type SourceAdapter } from '@partnerwatch/sources';
import path from 'node:path';

/** ../shared/data beside the project: real exports that tests read in place, never copied. */
export const SHARED_DATA_DIR = path.resolve(__dirname, '../../../shared/data');

export function sharedDataAvailable(): boolean {
  return existsSync(SHARED_DATA_DIR);
}

export function sharedDataPath(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative);
}

/** Parse one file of ../shared/data with an adapter (default settings), small chunks to cross boundaries. */
export async function parseSharedFile(
  adapter: SourceAdapter,
  file: string,
  chunkBytes = 4096,
): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  const input = createReadStream(sharedDataPath(file), { highWaterMark: chunkBytes });
  for await (const item of adapter.parse(input, staticParseContext(adapter.parseSettings({})))) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}
