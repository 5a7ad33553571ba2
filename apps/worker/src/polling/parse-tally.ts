import type { RowError } from '@partnerwatch/domain';
import type { StagedRecord, StagedRemoval } from '@partnerwatch/db';
import { SourceFormatError, type ParseItem } from '@partnerwatch/sources';

/** Rows that failed to parse are kept as a sample on the snapshot, not all of them. */
const ERROR_SAMPLE = 50;

/**
 * Turns an adapter's parse items into rows for staging while counting what could not be read:
 * the error count, a sample of the errors, and whether the export was cut short.
 */
export class ParseTally {
  readonly errors: RowError[] = [];
  errorCount = 0;
  truncated = false;

  constructor(private readonly mode: 'full' | 'delta') {}

  async *staged(items: AsyncIterable<ParseItem>): AsyncGenerator<StagedRecord | StagedRemoval> {
    for await (const item of items) {
      if ('error' in item) {
        this.errorCount++;
        if (item.error.truncated) this.truncated = true;
        if (this.errors.length < ERROR_SAMPLE) this.errors.push(item.error);
      } else if ('remove' in item) {
        if (this.mode !== 'delta') throw new SourceFormatError('the parser removed an entry from a full export');
        yield { key: item.remove, removed: true };
      } else {
        yield { key: item.record.key, record: item.record };
      }
    }
  }
}
