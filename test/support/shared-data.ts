import { existsSync } from 'node:fs';
import path from 'node:path';

/** ../shared/data beside the project: real exports that tests read in place, never copied. */
export const SHARED_DATA_DIR = path.resolve(__dirname, '../../../shared/data');

export function sharedDataAvailable(): boolean {
  return existsSync(SHARED_DATA_DIR);
}

export function sharedDataPath(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative);
}
