import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeIdentifiers, serializeListRecord, type ListRecord } from '@partnerwatch/domain';
import { PgPool } from '../pg-pool.service';
import { uuidV7 } from '../uuid-v7';

export interface StagedRecord {
  key: string;
  record: ListRecord;
}

/** In a delta snapshot: the entry with this key is removed. */
export interface StagedRemoval {
  key: string;
  removed: true;
}

/** COPY text format: backslash, tab, newline and carriage return must be escaped. */
function copyField(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const COPY_SPECIAL = /[\\\t\n\r]/;

@Injectable()
export class StagingRepository {
  constructor(private readonly pg: PgPool) {}

  /**
   * Stream records into staged_entry with COPY, so an export of millions of rows never sits in
   * memory. Returns how many rows were staged.
   */
  async stage(snapshotId: string, records: AsyncIterable<StagedRecord | StagedRemoval>): Promise<number> {
    const client = await this.pg.pool.connect();
    let count = 0;
    try {
      await client.query('DELETE FROM staged_entry WHERE snapshot_id = $1', [snapshotId]);
      const copy = client.query(
        copyFrom(
          'COPY staged_entry (snapshot_id, entry_key, record, content_hash, entry_id, delisted, identifiers, removed) FROM STDIN',
        ),
      );
      async function* lines(): AsyncGenerator<string> {
        let batch = '';
        for await (const item of records) {
          if ('removed' in item) {
            batch += `${snapshotId}\t${copyField(item.key)}\t{}\t\t${uuidV7()}\tf\t\tt\n`;
          } else {
            const text = serializeListRecord(item.record);
            const hash = createHash('md5').update(text).digest('hex');
            batch +=
              `${snapshotId}\t${copyField(item.key)}\t${copyField(text)}\t${hash}\t${uuidV7()}\t` +
              `${item.record.delisting ? 't' : 'f'}\t${copyField(encodeIdentifiers(item.record.identifiers))}\tf\n`;
          }
          count++;
          // Hand pg-copy-streams larger chunks; one write per row costs more than the parsing.
          if (batch.length > 256 * 1024) {
            yield batch;
            batch = '';
          }
        }
        if (batch) yield batch;
      }
      await pipeline(Readable.from(lines()), copy);
      client.release();
      return count;
    } catch (error) {
      // A COPY aborted midway leaves the connection in an unknown state: destroy it, not reuse it.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async discard(snapshotId: string): Promise<void> {
    await this.pg.pool.query('DELETE FROM staged_entry WHERE snapshot_id = $1', [snapshotId]);
  }
}
