import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Pool } from 'pg';
import { inject } from 'vitest';
import type { RowError } from '@partnerwatch/domain';
import { PgPool, SnapshotApplyRepository, StagingRepository, type StagedRecord } from '@partnerwatch/db';
import { staticParseContext, type SourceAdapter } from '@partnerwatch/sources';
import { loadConfig } from '@partnerwatch/config';

/** The files of one published version of a list: resource name ('main', ...) -> a stream opener. */
export type VersionFiles = Record<string, () => Readable>;

export interface VersionDiff {
  added: string[];
  removed: string[];
  modified: string[];
  /** Rows each version's parse rejected. */
  errors: RowError[][];
  rows: number[];
}

/**
 * Parses two published versions of a list with an adapter and puts them through the real
 * pipeline: COPY into staging, the set-based diff, apply in one transaction, in the test run's
 * PostgreSQL. Returns the entry keys the second version added, removed and modified.
 */
export async function diffThroughDatabase<S>(
  adapter: SourceAdapter<S>,
  settings: unknown,
  before: VersionFiles,
  after: VersionFiles,
): Promise<VersionDiff> {
  const config = loadConfig({ DATABASE_URL: inject('databaseUrl') });
  const pg = new PgPool(config);
  const staging = new StagingRepository(pg);
  const apply = new SnapshotApplyRepository(pg);
  const parsed = adapter.parseSettings(settings);
  const sourceId = randomUUID();
  const errors: RowError[][] = [];
  const rows: number[] = [];
  try {
    await pg.pool.query(
      `INSERT INTO source (id, key, name, adapter, list_kind, url, updated_at)
       VALUES ($1, $2, 'diff harness', $3, $4, 'http://127.0.0.1/unused', now())`,
      [sourceId, `diff-${sourceId}`, adapter.id, adapter.defaultListKind ?? 'sanctions'],
    );
    let changes: { type: string; entry_key: string }[] = [];
    for (const files of [before, after]) {
      const snapshotId = randomUUID();
      await pg.pool.query(
        `INSERT INTO snapshot (id, source_id, content_hash, size_bytes, fetched_at, status)
         VALUES ($1, $2, $3, 0, clock_timestamp(), 'staging')`,
        [snapshotId, sourceId, snapshotId],
      );
      const versionErrors: RowError[] = [];
      const main = files.main;
      if (!main) throw new Error('a version needs a "main" file');
      const items = adapter.parse(main(), staticParseContext(parsed, files));
      async function* records(): AsyncGenerator<StagedRecord> {
        for await (const item of items) {
          if ('error' in item) versionErrors.push(item.error);
          else if ('record' in item) {
            yield { key: item.record.key, record: item.record };
          }
        }
      }
      rows.push(await staging.stage(snapshotId, records()));
      errors.push(versionErrors);
      await pg.pool.query(`UPDATE snapshot SET status = 'staged' WHERE id = $1`, [snapshotId]);
      const outcome = await apply.apply(snapshotId);
      if (outcome.outcome !== 'applied') throw new Error(`snapshot not applied: ${JSON.stringify(outcome)}`);
      const result = await pg.pool.query<{ type: string; entry_key: string }>(
        `SELECT c.type, e.entry_key FROM change c JOIN list_entry e ON e.id = c.entry_id WHERE c.snapshot_id = $1`,
        [snapshotId],
      );
      changes = result.rows;
    }
    const keys = (type: string) =>
      changes
        .filter((c) => c.type === type)
        .map((c) => c.entry_key)
        .sort();
    return { added: keys('ADDED'), removed: keys('REMOVED'), modified: keys('MODIFIED'), errors, rows };
  } finally {
    await pg.pool.query('DELETE FROM source WHERE id = $1', [sourceId]);
    await pg.onModuleDestroy();
  }
}

/** A plain pool on the test run's database, for assertions. */
export function testPool(): Pool {
  return new Pool({ connectionString: inject('databaseUrl') });
}
