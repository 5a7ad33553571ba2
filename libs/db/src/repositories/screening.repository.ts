import { Injectable } from '@nestjs/common';
import { PgPool } from '../pg-pool.service';

export interface SupplierSourcePair {
  organizationId: string;
  supplierId: string;
  sourceId: string;
}

/**
 * The joins that put suppliers and list entries together. Every query starts from what changed
 * (a snapshot's changes or one supplier) and walks indexes; none scans suppliers x entries.
 */
@Injectable()
export class ScreeningRepository {
  constructor(private readonly pg: PgPool) {}

  /**
   * Identifier matches for the entries a snapshot changed (added, modified, re-added or removed:
   * list_entry.snapshot_id; for a source's first snapshot, all its entries): their USCCs (and other identifiers)
   * against every organization's suppliers. Stored as confirmed matches; a match a person
   * dismissed stays dismissed. Returns the (supplier, source) pairs whose status may have moved.
   */
  async matchSnapshotByIdentifier(snapshotId: string): Promise<SupplierSourcePair[]> {
    await this.pg.pool.query(
      `WITH hits AS (
         SELECT DISTINCT s.organization_id, s.id AS supplier_id, e.id AS entry_id, li.scheme, li.value
           FROM list_entry e
           JOIN list_entry_identifier li ON li.entry_id = e.id
           JOIN source src ON src.id = e.source_id
           JOIN supplier s ON li.scheme = 'uscc' AND s.uscc = li.value
          WHERE e.snapshot_id = $1
            AND (src.organization_id IS NULL OR src.organization_id = s.organization_id)
         UNION
         SELECT DISTINCT si.organization_id, si.supplier_id, e.id AS entry_id, li.scheme, li.value
           FROM list_entry e
           JOIN list_entry_identifier li ON li.entry_id = e.id
           JOIN source src ON src.id = e.source_id
           JOIN supplier_identifier si ON si.scheme = li.scheme AND si.value = li.value
          WHERE e.snapshot_id = $1
            AND (src.organization_id IS NULL OR src.organization_id = si.organization_id)
       )
       ${UPSERT_IDENTIFIER_MATCHES}`,
      [snapshotId],
    );
    const { rows } = await this.pg.pool.query<{ organization_id: string; supplier_id: string; source_id: string }>(
      `SELECT DISTINCT m.organization_id, m.supplier_id, e.source_id
         FROM list_entry e JOIN match m ON m.entry_id = e.id
        WHERE e.snapshot_id = $1`,
      [snapshotId],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, supplierId: r.supplier_id, sourceId: r.source_id }));
  }

  /** Identifier matches of one supplier against every current entry; returns the sources to re-derive. */
  async matchSupplierByIdentifier(supplierId: string): Promise<SupplierSourcePair[]> {
    await this.pg.pool.query(
      `WITH hits AS (
         SELECT s.organization_id, s.id AS supplier_id, li.entry_id, li.scheme, li.value
           FROM supplier s
           JOIN list_entry_identifier li ON li.scheme = 'uscc' AND li.value = s.uscc
           JOIN source src ON src.id = li.source_id
          WHERE s.id = $1 AND (src.organization_id IS NULL OR src.organization_id = s.organization_id)
         UNION
         SELECT si.organization_id, si.supplier_id, li.entry_id, li.scheme, li.value
           FROM supplier_identifier si
           JOIN list_entry_identifier li ON li.scheme = si.scheme AND li.value = si.value
           JOIN source src ON src.id = li.source_id
          WHERE si.supplier_id = $1 AND (src.organization_id IS NULL OR src.organization_id = si.organization_id)
       )
       ${UPSERT_IDENTIFIER_MATCHES}`,
      [supplierId],
    );
    // Every source the supplier has a match or a status on: an edit may also have removed a match.
    const { rows } = await this.pg.pool.query<{ organization_id: string; supplier_id: string; source_id: string }>(
      `SELECT DISTINCT m.organization_id, m.supplier_id, e.source_id
         FROM match m JOIN list_entry e ON e.id = m.entry_id WHERE m.supplier_id = $1
       UNION
       SELECT organization_id, supplier_id, source_id FROM supplier_list_status WHERE supplier_id = $1`,
      [supplierId],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, supplierId: r.supplier_id, sourceId: r.source_id }));
  }

  /**
   * Identifier matches whose identifier the supplier no longer carries (its USCC was corrected)
   * are withdrawn, so the supplier is not kept LISTED by a code that is not its own.
   */
  async withdrawStaleIdentifierMatches(supplierId: string): Promise<number> {
    const result = await this.pg.pool.query(
      `DELETE FROM match m
        WHERE m.supplier_id = $1 AND m.method = 'identifier'
          AND NOT EXISTS (
            SELECT 1 FROM list_entry_identifier li JOIN supplier s ON s.id = m.supplier_id
             WHERE li.entry_id = m.entry_id
               AND ((li.scheme = 'uscc' AND li.value = s.uscc)
                    OR EXISTS (SELECT 1 FROM supplier_identifier si
                                WHERE si.supplier_id = s.id AND si.scheme = li.scheme AND si.value = li.value)))`,
      [supplierId],
    );
    return result.rowCount ?? 0;
  }
}

const UPSERT_IDENTIFIER_MATCHES = `
  INSERT INTO match (organization_id, supplier_id, entry_id, method, score, explanation, state, updated_at)
  SELECT organization_id, supplier_id, entry_id, 'identifier', 1,
         jsonb_build_object('identifiers', jsonb_agg(DISTINCT jsonb_build_object('scheme', scheme, 'value', value))),
         'confirmed', now()
    FROM hits GROUP BY organization_id, supplier_id, entry_id
  ON CONFLICT (supplier_id, entry_id) DO UPDATE
     SET method = 'identifier', score = 1, explanation = EXCLUDED.explanation, updated_at = now(),
         state = CASE WHEN match.state = 'dismissed' THEN match.state ELSE 'confirmed'::"MatchState" END
   WHERE match.method <> 'identifier' OR match.explanation IS DISTINCT FROM EXCLUDED.explanation`;
