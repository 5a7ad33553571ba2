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
  scope: string | null;
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
        `SELECT 1 FROM snapshot
          WHERE source_id = $1 AND scope IS NOT DISTINCT FROM $3 AND status = 'applied' AND fetched_at > $2 LIMIT 1`,
        [sourceId, snapshot.fetched_at, snapshot.scope],
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
      // A snapshot a person approved out of quarantine is applied as it is. A lookup's snapshot
      // is one company's record: all of it disappearing is what credit repair looks like.
      const holdReason = snapshot.decided_at || snapshot.scope ? undefined : guard(counts);
      if (holdReason) return { outcome: 'held', counts, reason: holdReason };

      await this.write(db, snapshotId, sourceId, snapshot.scope);
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
          WHERE source_id = $1 AND scope IS NOT DISTINCT FROM $3 AND status IN ('quarantined', 'staged')
            AND fetched_at < $2 RETURNING id`,
        [sourceId, snapshot.fetched_at, snapshot.scope],
      );
      if (moot.rowCount) {
        await db.query('DELETE FROM staged_entry WHERE snapshot_id = ANY($1::uuid[])', [moot.rows.map((r) => r.id)]);
      }
      return { outcome: 'applied', counts };
    });
  }

  private async lockSnapshot(db: PoolClient, snapshotId: string): Promise<SnapshotRow> {
    const { rows } = await db.query<SnapshotRow>(
      `SELECT id, source_id, status, mode, error_count, truncated, cursor, scope, decided_at, fetched_at,
              added_count, removed_count, modified_count, row_count
         FROM snapshot WHERE id = $1 FOR UPDATE`,
      [snapshotId],
    );
    const row = rows[0];
    if (!row) throw new Error(`Snapshot ${snapshotId} does not exist`);
    return row;
  }

  /**
   * Builds the temporary tables `latest` (the last staged row per key), `incoming`, `diff` and
   * `gone`, and counts what would change. Only keys, sequence numbers and hashes are sorted and
   * joined here; records stay in staged_entry until they are written.
   */
  private async classify(db: PoolClient, snapshot: SnapshotRow): Promise<DiffCounts> {
    const snapshotId = snapshot.id;
    const sourceId = snapshot.source_id;
    // Enough memory for the hash joins of a national register to stay off disk.
    await db.query(`SET LOCAL work_mem = '256MB'`);
    // When a key repeats within one export (or a delta), its last row wins; in a delta a removal
    // of a key can be its last word.
    await db.query(
      `CREATE TEMP TABLE latest ON COMMIT DROP AS
         SELECT entry_key, max(seq) AS seq FROM staged_entry WHERE snapshot_id = $1 GROUP BY entry_key`,
      [snapshotId],
    );
    // The content hash is md5 over the record's canonical text (serializeListRecord), made by the
    // worker: the same record always hashes the same, whatever order an adapter or a registry put
    // things in.
    await db.query(
      `CREATE TEMP TABLE incoming ON COMMIT DROP AS
         SELECT l.entry_key, l.seq, s.content_hash, s.entry_id, s.removed
           FROM latest l JOIN staged_entry s ON s.seq = l.seq`,
    );
    await db.query('ANALYZE incoming');
    await db.query(
      // New entries take the id staged with them, so that every write below keys off diff
      // without looking entries up again.
      `CREATE TEMP TABLE diff ON COMMIT DROP AS
         SELECT i.entry_key, i.seq, i.content_hash, COALESCE(e.id, i.entry_id) AS entry_id,
                e.version AS old_version,
                CASE WHEN e.id IS NULL THEN 'new'
                     WHEN NOT e.active THEN 'readded'
                     ELSE 'modified' END AS kind
           FROM incoming i
           LEFT JOIN list_entry e ON e.source_id = $1 AND e.entry_key = i.entry_key
          WHERE NOT i.removed AND (e.id IS NULL OR NOT e.active OR e.content_hash <> i.content_hash)`,
      [sourceId],
    );
    // Temporary tables have no statistics until analysed: without them the planner takes a
    // million-row diff for a handful of rows and joins it to staging by index, row by row.
    await db.query('ANALYZE diff');
    if (snapshot.mode === 'full') {
      // A full export lists every entry: whatever it no longer lists is removed. A lookup's
      // snapshot lists every entry of one company: only that company's entries can go.
      await db.query(
        `CREATE TEMP TABLE gone ON COMMIT DROP AS
           SELECT e.id AS entry_id, e.version
             FROM list_entry e
            WHERE e.source_id = $1 AND e.active AND ($2::text IS NULL OR e.scope = $2)
              AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.entry_key = e.entry_key)`,
        [sourceId, snapshot.scope],
      );
    } else {
      // A delta removes only what it names.
      await db.query(
        `CREATE TEMP TABLE gone ON COMMIT DROP AS
           SELECT e.id AS entry_id, e.version
             FROM incoming i JOIN list_entry e ON e.source_id = $1 AND e.entry_key = i.entry_key
            WHERE i.removed AND e.active`,
        [sourceId],
      );
    }
    await db.query('ANALYZE gone');
    const { rows } = await db.query<{
      incoming: string;
      added: string;
      modified: string;
      removed: string;
      active: string;
    }>(
      `SELECT (SELECT count(*) FROM incoming WHERE NOT removed) AS incoming,
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

  /**
   * Writes the diff: entries (new ones inserted, modified and re-added ones updated after their
   * superseded version is kept in list_entry_version), their identifiers, removals, and the
   * change rows. The first snapshot of a source has no change rows: a change is a difference
   * between two applied snapshots, and a first load of millions of entries should not write
   * millions of "ADDED" rows; screening finds its entries by list_entry.snapshot_id.
   */
  private async write(db: PoolClient, snapshotId: string, sourceId: string, scope: string | null): Promise<void> {
    const previous = await db.query(`SELECT 1 FROM snapshot WHERE source_id = $1 AND status = 'applied' LIMIT 1`, [
      sourceId,
    ]);
    const initial = previous.rowCount === 0;
    await db.query(
      `INSERT INTO list_entry_version (entry_id, version, snapshot_id, content_hash, record, valid_from, valid_to)
       SELECT e.id, e.version, $1::uuid, e.content_hash, e.record, e.last_change_at, now()
         FROM diff d JOIN list_entry e ON e.id = d.entry_id
        WHERE d.kind IN ('readded', 'modified')`,
      [snapshotId],
    );
    await db.query(
      `INSERT INTO list_entry (id, source_id, entry_key, content_hash, version, active, record, delisted, snapshot_id,
                               scope, first_seen_at, last_change_at)
       SELECT d.entry_id, $1::uuid, d.entry_key, d.content_hash, 1, true, s.record::json, s.delisted, $2::uuid, $3,
              now(), now()
         FROM diff d JOIN staged_entry s ON s.seq = d.seq
        WHERE d.kind = 'new'`,
      [sourceId, snapshotId, scope],
    );
    await db.query(
      `UPDATE list_entry e
          SET content_hash = d.content_hash, record = s.record::json, version = e.version + 1, active = true,
              removed_at = NULL, delisted = s.delisted, snapshot_id = $1::uuid, last_change_at = now()
         FROM diff d JOIN staged_entry s ON s.seq = d.seq
        WHERE d.entry_id = e.id AND d.kind IN ('readded', 'modified')`,
      [snapshotId],
    );
    await db.query(
      `DELETE FROM list_entry_identifier li USING diff d WHERE d.entry_id = li.entry_id AND d.kind <> 'new'`,
    );
    await db.query(
      `INSERT INTO list_entry_identifier (entry_id, source_id, scheme, value)
       SELECT d.entry_id, $1::uuid, split_part(pair, chr(31), 1), split_part(pair, chr(31), 2)
         FROM diff d JOIN staged_entry s ON s.seq = d.seq
         CROSS JOIN LATERAL unnest(string_to_array(s.identifiers, chr(30))) AS pair
        WHERE s.identifiers <> ''
       ON CONFLICT DO NOTHING`,
      [sourceId],
    );
    await db.query(
      `UPDATE list_entry e SET active = false, removed_at = now(), snapshot_id = $1::uuid, last_change_at = now()
         FROM gone g WHERE g.entry_id = e.id`,
      [snapshotId],
    );
    if (initial) return;
    await db.query(
      `INSERT INTO change (source_id, snapshot_id, entry_id, type, from_version, to_version)
       SELECT $1::uuid, $2::uuid, d.entry_id,
              (CASE d.kind WHEN 'modified' THEN 'MODIFIED' ELSE 'ADDED' END)::"ChangeType",
              d.old_version, COALESCE(d.old_version + 1, 1)
         FROM diff d
       UNION ALL
       SELECT $1::uuid, $2::uuid, g.entry_id, 'REMOVED'::"ChangeType", g.version, NULL FROM gone g`,
      [sourceId, snapshotId],
    );
  }
}
