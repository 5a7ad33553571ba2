import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { PgPool } from '../pg-pool.service';

export interface DiffCounts {
  mode: 'full' | 'delta';
  /** Rows the parser could not read, and whether it found the export cut short. */
  errorCount: number;
  truncated: boolean;
  incoming: number;
  added: number;
  removed: number;
  modified: number;
  /** Active entries before this snapshot, the base for "share removed". */
  activeBefore: number;
}

export type ApplyOutcome =
  | { outcome: 'applied'; counts: DiffCounts }
  | { outcome: 'already-applied'; counts: DiffCounts }
  | { outcome: 'superseded' }
  | { outcome: 'held'; counts: DiffCounts; reason: string };

/** Decides whether a diff may be applied; returns a reason to hold it back, or undefined. */
export type DiffGuard = (counts: DiffCounts) => string | undefined;

interface SnapshotRow {
  id: string;
  source_id: string;
  status: string;
  mode: 'full' | 'delta';
  error_count: number;
  truncated: boolean;
  cursor: string | null;
  decided_at: Date | null;
  fetched_at: Date;
  added_count: number;
  removed_count: number;
  modified_count: number;
  row_count: number;
}

/**
 * Applies a staged snapshot with set-based SQL in one transaction: classify staged rows against
 * current entries (ADDED / MODIFIED / unchanged), find REMOVED ones, then write entries, versions,
 * identifiers and changes in a handful of statements whatever the export's size.
 */
@Injectable()
export class SnapshotApplyRepository {
  constructor(private readonly pg: PgPool) {}

  async apply(snapshotId: string, guard: DiffGuard = () => undefined): Promise<ApplyOutcome> {
    return this.pg.transaction(async (db) => {
      const snapshot = await this.lockSnapshot(db, snapshotId);
      const sourceId = snapshot.source_id;
      // One applier per source at a time: snapshots of a source are applied in fetch order.
      await db.query('SELECT id FROM source WHERE id = $1 FOR UPDATE', [sourceId]);

      if (snapshot.status === 'applied') {
        return {
          outcome: 'already-applied',
          counts: {
            mode: snapshot.mode,
            errorCount: snapshot.error_count,
            truncated: snapshot.truncated,
            incoming: snapshot.row_count,
            added: snapshot.added_count,
            removed: snapshot.removed_count,
            modified: snapshot.modified_count,
            activeBefore: 0,
          },
        };
      }
      if (snapshot.status !== 'staged') {
        throw new Error(`Snapshot ${snapshotId} is ${snapshot.status}, not staged: nothing to apply`);
      }
      const newer = await db.query(
        `SELECT 1 FROM snapshot WHERE source_id = $1 AND status = 'applied' AND fetched_at > $2 LIMIT 1`,
        [sourceId, snapshot.fetched_at],
      );
      if (newer.rowCount) {
        await db.query(
          `UPDATE snapshot SET status = 'superseded', status_reason = 'a newer snapshot was applied first' WHERE id = $1`,
          [snapshotId],
        );
        await db.query('DELETE FROM staged_entry WHERE snapshot_id = $1', [snapshotId]);
        return { outcome: 'superseded' };
      }

      const counts = await this.classify(db, snapshot);
      // A snapshot a person approved out of quarantine is applied as it is.
      const holdReason = snapshot.decided_at ? undefined : guard(counts);
      if (holdReason) return { outcome: 'held', counts, reason: holdReason };

      await this.write(db, snapshotId, sourceId);
      const changed = counts.added + counts.removed + counts.modified > 0;
      await db.query(
        `UPDATE snapshot SET status = 'applied', applied_at = now(), added_count = $2, removed_count = $3,
           modified_count = $4 WHERE id = $1`,
        [snapshotId, counts.added, counts.removed, counts.modified],
      );
      await db.query(
        `UPDATE source SET cursor = COALESCE($2, cursor), last_changed_at = CASE WHEN $3 THEN now() ELSE last_changed_at END
          WHERE id = $1`,
        [sourceId, snapshot.cursor, changed],
      );
      await db.query('DELETE FROM staged_entry WHERE snapshot_id = $1', [snapshotId]);
      // Older snapshots still waiting in quarantine are moot once a newer one is in force.
      const moot = await db.query<{ id: string }>(
        `UPDATE snapshot SET status = 'superseded', status_reason = 'a newer snapshot was applied'
          WHERE source_id = $1 AND status IN ('quarantined', 'staged') AND fetched_at < $2 RETURNING id`,
        [sourceId, snapshot.fetched_at],
      );
      if (moot.rowCount) {
        await db.query('DELETE FROM staged_entry WHERE snapshot_id = ANY($1::uuid[])', [moot.rows.map((r) => r.id)]);
      }
      return { outcome: 'applied', counts };
    });
  }

  private async lockSnapshot(db: PoolClient, snapshotId: string): Promise<SnapshotRow> {
    const { rows } = await db.query<SnapshotRow>(
      `SELECT id, source_id, status, mode, error_count, truncated, cursor, decided_at, fetched_at,
              added_count, removed_count, modified_count, row_count
         FROM snapshot WHERE id = $1 FOR UPDATE`,
      [snapshotId],
    );
    const row = rows[0];
    if (!row) throw new Error(`Snapshot ${snapshotId} does not exist`);
    return row;
  }

  /** Builds the temporary tables `incoming`, `diff` and `gone` and counts what would change. */
  private async classify(db: PoolClient, snapshot: SnapshotRow): Promise<DiffCounts> {
    const snapshotId = snapshot.id;
    const sourceId = snapshot.source_id;
    // When a key repeats within one export (or one delta), the last row wins; in a delta a
    // removal of a key is its last word.
    await db.query(
      `CREATE TEMP TABLE latest ON COMMIT DROP AS
         SELECT DISTINCT ON (entry_key) entry_key, content_hash, record, removed
           FROM staged_entry WHERE snapshot_id = $1 ORDER BY entry_key, seq DESC`,
      [snapshotId],
    );
    await db.query(
      `CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT entry_key, content_hash, record FROM latest WHERE NOT removed`,
    );
    await db.query('CREATE UNIQUE INDEX ON incoming (entry_key)');
    await db.query('ANALYZE incoming');
    await db.query(
      `CREATE TEMP TABLE diff ON COMMIT DROP AS
         SELECT i.entry_key, i.content_hash, i.record, e.id AS entry_id, e.version AS old_version,
                CASE WHEN e.id IS NULL THEN 'new'
                     WHEN NOT e.active THEN 'readded'
                     ELSE 'modified' END AS kind
           FROM incoming i
           LEFT JOIN list_entry e ON e.source_id = $1 AND e.entry_key = i.entry_key
          WHERE e.id IS NULL OR NOT e.active OR e.content_hash <> i.content_hash`,
      [sourceId],
    );
    if (snapshot.mode === 'full') {
      // A full export lists every entry: whatever it no longer lists is removed.
      await db.query(
        `CREATE TEMP TABLE gone ON COMMIT DROP AS
           SELECT e.id AS entry_id, e.version
             FROM list_entry e
            WHERE e.source_id = $1 AND e.active
              AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.entry_key = e.entry_key)`,
        [sourceId],
      );
    } else {
      // A delta removes only what it names.
      await db.query(
        `CREATE TEMP TABLE gone ON COMMIT DROP AS
           SELECT e.id AS entry_id, e.version
             FROM latest l JOIN list_entry e ON e.source_id = $1 AND e.entry_key = l.entry_key
            WHERE l.removed AND e.active`,
        [sourceId],
      );
    }
    const { rows } = await db.query<{
      incoming: string;
      added: string;
      modified: string;
      removed: string;
      active: string;
    }>(
      `SELECT (SELECT count(*) FROM incoming) AS incoming,
              (SELECT count(*) FROM diff WHERE kind <> 'modified') AS added,
              (SELECT count(*) FROM diff WHERE kind = 'modified') AS modified,
              (SELECT count(*) FROM gone) AS removed,
              (SELECT count(*) FROM list_entry WHERE source_id = $1 AND active) AS active`,
      [sourceId],
    );
    const r = rows[0]!;
    return {
      mode: snapshot.mode,
      errorCount: snapshot.error_count,
      truncated: snapshot.truncated,
      incoming: Number(r.incoming),
      added: Number(r.added),
      modified: Number(r.modified),
      removed: Number(r.removed),
      activeBefore: Number(r.active),
    };
  }

  private async write(db: PoolClient, snapshotId: string, sourceId: string): Promise<void> {
    await db.query(
      `INSERT INTO list_entry (source_id, entry_key, content_hash, version, active, record, delisted, first_seen_at, last_change_at)
       SELECT $1::uuid, entry_key, content_hash, 1, true, record, record ? 'delisting', now(), now() FROM diff WHERE kind = 'new'`,
      [sourceId],
    );
    await db.query(
      `UPDATE list_entry e
          SET content_hash = d.content_hash, record = d.record, version = e.version + 1, active = true,
              removed_at = NULL, delisted = d.record ? 'delisting', last_change_at = now()
         FROM diff d
        WHERE d.entry_id = e.id AND d.kind IN ('readded', 'modified')`,
    );
    await db.query(
      `UPDATE list_entry e SET active = false, removed_at = now(), last_change_at = now()
         FROM gone g WHERE g.entry_id = e.id`,
    );
    await db.query(
      `INSERT INTO change (source_id, snapshot_id, entry_id, type, from_version, to_version)
       SELECT $1::uuid, $2::uuid, e.id,
              (CASE d.kind WHEN 'modified' THEN 'MODIFIED' ELSE 'ADDED' END)::"ChangeType",
              CASE WHEN d.kind = 'new' THEN NULL ELSE d.old_version END, e.version
         FROM diff d JOIN list_entry e ON e.source_id = $1 AND e.entry_key = d.entry_key
       UNION ALL
       SELECT $1::uuid, $2::uuid, g.entry_id, 'REMOVED'::"ChangeType", g.version, NULL FROM gone g`,
      [sourceId, snapshotId],
    );
    await db.query(
      `INSERT INTO list_entry_version (entry_id, version, snapshot_id, content_hash, record, valid_from)
       SELECT e.id, e.version, $2::uuid, e.content_hash, e.record, now()
         FROM diff d JOIN list_entry e ON e.source_id = $1 AND e.entry_key = d.entry_key`,
      [sourceId, snapshotId],
    );
    await db.query(
      `DELETE FROM list_entry_identifier li USING diff d WHERE d.entry_id = li.entry_id AND d.kind <> 'new'`,
    );
    await db.query(
      `INSERT INTO list_entry_identifier (entry_id, source_id, scheme, value)
       SELECT DISTINCT e.id, $1::uuid, x->>'scheme', x->>'value'
         FROM diff d
         JOIN list_entry e ON e.source_id = $1 AND e.entry_key = d.entry_key
         CROSS JOIN LATERAL jsonb_array_elements(COALESCE(d.record->'identifiers', '[]'::jsonb)) x
        WHERE coalesce(x->>'value', '') <> ''
       ON CONFLICT DO NOTHING`,
      [sourceId],
    );
  }
}
