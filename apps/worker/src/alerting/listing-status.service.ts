import { Injectable } from '@nestjs/common';
import {
  deriveListStatus,
  listingSeverity,
  primaryName,
  subscriptionWants,
  type Criticality,
  type ListKind,
  type ListRecord,
  type Severity,
  type StatusEventDraft,
  type SubscriptionFilters,
} from '@partnerwatch/domain';
import { PrismaService, type Prisma } from '@partnerwatch/db';
import { OutboxService } from './outbox.service';

export interface SupplierSourcePair {
  organizationId: string;
  supplierId: string;
  sourceId: string;
}

interface LockedSupplier {
  id: string;
  organization_id: string;
  name_zh: string | null;
  name_en: string | null;
  uscc: string | null;
  criticality: Criticality;
  tags: string[];
}

interface ListedRow {
  id: string;
  version: number;
  entry_key: string;
  record: ListRecord;
}

interface EvidenceRow {
  entry_id: string;
  change_id: string | null;
  change_type: string;
  snapshot_id: string;
  content_hash: string;
  fetched_at: Date;
  version: number;
  record: ListRecord;
  entry_key: string;
}

const ALERT_TYPE: Record<StatusEventDraft['type'], string> = {
  LISTED: 'listed',
  DELISTED: 'delisted',
  DETAILS_CHANGED: 'details_changed',
};

/**
 * Turns a supplier's matches on one source into its list status, and status transitions into
 * status events, alerts and outbox rows (deliveries) in one transaction. Running it twice for the
 * same state does nothing the second time: events and alerts carry natural dedupe keys and the
 * supplier row is locked so concurrent screenings of one supplier take turns.
 */
@Injectable()
export class ListingStatusService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
  ) {}

  async refresh(
    pair: SupplierSourcePair,
    modifiedEntryIds: ReadonlySet<string>,
  ): Promise<{ events: number; deliveries: string[] }> {
    const deliveries = await this.prisma.$transaction(
      async (tx) => this.refreshInTransaction(tx, pair, modifiedEntryIds),
      { timeout: 30_000, maxWait: 10_000 },
    );
    await this.outbox.enqueue(deliveries.deliveryIds);
    return { events: deliveries.events, deliveries: deliveries.deliveryIds };
  }

  private async refreshInTransaction(
    tx: Prisma.TransactionClient,
    pair: SupplierSourcePair,
    modifiedEntryIds: ReadonlySet<string>,
  ): Promise<{ events: number; deliveryIds: string[] }> {
    const [supplier] = await tx.$queryRaw<LockedSupplier[]>`
      SELECT id, organization_id, name_zh, name_en, uscc, criticality::text AS criticality, tags
        FROM supplier WHERE id = ${pair.supplierId}::uuid FOR UPDATE`;
    if (!supplier) return { events: 0, deliveryIds: [] }; // deleted meanwhile
    const source = await tx.source.findUniqueOrThrow({ where: { id: pair.sourceId } });
    const before = await tx.supplierListStatus.findUnique({
      where: { supplierId_sourceId: { supplierId: pair.supplierId, sourceId: pair.sourceId } },
    });
    const listed = await tx.$queryRaw<ListedRow[]>`
      SELECT e.id, e.version, e.entry_key, e.record
        FROM match m JOIN list_entry e ON e.id = m.entry_id
       WHERE m.supplier_id = ${pair.supplierId}::uuid AND e.source_id = ${pair.sourceId}::uuid
         AND m.state = 'confirmed' AND e.active AND NOT e.delisted
       ORDER BY e.record->>'listedOn' DESC NULLS LAST, e.first_seen_at DESC`;

    const derived = deriveListStatus(
      before ? { status: before.status, entryIds: before.entryIds } : undefined,
      listed.map((l) => l.id),
      modifiedEntryIds,
    );
    const statusUnchanged =
      before && before.status === derived.status && before.entryIds.join() === derived.entryIds.join();
    if (derived.events.length === 0 && statusUnchanged) return { events: 0, deliveryIds: [] };

    const head = listed[0]?.record;
    const now = new Date();
    await tx.supplierListStatus.upsert({
      where: { supplierId_sourceId: { supplierId: pair.supplierId, sourceId: pair.sourceId } },
      create: {
        organizationId: pair.organizationId,
        supplierId: pair.supplierId,
        sourceId: pair.sourceId,
        listKind: source.listKind,
        status: derived.status,
        since: now,
        entryIds: derived.entryIds,
        reason: head?.reason ?? null,
        authority: head?.authority ?? null,
        listedOn: head?.listedOn ?? null,
      },
      update: {
        status: derived.status,
        ...(before?.status !== derived.status ? { since: now } : {}),
        entryIds: derived.entryIds,
        reason: head?.reason ?? null,
        authority: head?.authority ?? null,
        listedOn: head?.listedOn ?? null,
      },
    });
    if (derived.events.length === 0) return { events: 0, deliveryIds: [] };

    const evidence = await this.evidence(
      tx,
      derived.events.map((e) => e.entryId),
    );
    const createdEvents = await tx.statusEvent.createManyAndReturn({
      data: derived.events.map((event) => {
        const ev = evidence.get(event.entryId);
        return {
          organizationId: pair.organizationId,
          supplierId: pair.supplierId,
          sourceId: pair.sourceId,
          entryId: event.entryId,
          changeId: ev?.change_id ?? null,
          snapshotId: ev?.snapshot_id ?? null,
          type: event.type,
          fromStatus: event.fromStatus,
          toStatus: event.toStatus,
          // The same transition of the same entry version never yields a second event.
          eventKey: `${pair.supplierId}:${event.type}:${event.entryId}:v${ev?.version ?? 0}`,
          occurredAt: now,
        };
      }),
      skipDuplicates: true,
    });
    if (createdEvents.length === 0) return { events: 0, deliveryIds: [] };

    const supplierName = supplier.name_zh ?? supplier.name_en ?? supplier.uscc ?? supplier.id;
    // One export can mix lists of different meaning (the CSL holds the Entity List next to SDN):
    // an entry's own list kind, when it has one, decides severity and routing.
    const kindOf = (entryId: string): ListKind =>
      (evidence.get(entryId)?.record.listKind ?? source.listKind) as ListKind;
    const alerts = await tx.alert.createManyAndReturn({
      data: createdEvents.map((event) => {
        const ev = evidence.get(event.entryId);
        const kind = kindOf(event.entryId);
        const severity: Severity =
          event.type === 'LISTED'
            ? listingSeverity(kind, supplier.criticality)
            : event.type === 'DELISTED'
              ? 'info'
              : 'low';
        const verb =
          event.type === 'LISTED'
            ? 'listed on'
            : event.type === 'DELISTED'
              ? 'delisted from'
              : 'listing details changed on';
        return {
          organizationId: pair.organizationId,
          supplierId: pair.supplierId,
          statusEventId: event.id,
          sourceId: pair.sourceId,
          entryId: event.entryId,
          type: ALERT_TYPE[event.type],
          severity,
          title: `${supplierName} ${verb} ${source.name}`,
          idempotencyKey: `status-event:${event.eventKey}`,
          details: {
            supplier: { id: supplier.id, nameZh: supplier.name_zh, nameEn: supplier.name_en, uscc: supplier.uscc },
            source: { id: source.id, key: source.key, name: source.name, listKind: source.listKind },
            listing: ev
              ? {
                  entryId: ev.entry_id,
                  entryKey: ev.entry_key,
                  listKind: kind,
                  name: primaryName(ev.record) ?? null,
                  reason: ev.record.reason ?? null,
                  authority: ev.record.authority ?? null,
                  listedOn: ev.record.listedOn ?? null,
                  delisting: ev.record.delisting ? { ...ev.record.delisting } : null,
                }
              : { entryId: event.entryId },
            evidence: ev
              ? {
                  changeId: ev.change_id,
                  changeType: ev.change_type,
                  snapshotId: ev.snapshot_id,
                  snapshotContentHash: ev.content_hash,
                  fetchedAt: ev.fetched_at.toISOString(),
                  entryVersion: ev.version,
                }
              : null,
            transition: { from: event.fromStatus, to: event.toStatus },
          } as Prisma.InputJsonObject,
        };
      }),
      skipDuplicates: true,
    });

    // A delisting closes what is still open about that listing.
    const delistedEntries = createdEvents.filter((e) => e.type === 'DELISTED').map((e) => e.entryId);
    if (delistedEntries.length > 0) {
      await tx.alert.updateMany({
        where: {
          supplierId: pair.supplierId,
          entryId: { in: delistedEntries },
          state: { in: ['open', 'acknowledged'] },
          type: { in: ['listed', 'details_changed'] },
        },
        data: { state: 'resolved', resolvedAt: now, resolution: 'delisted' },
      });
    }

    const deliveryIds = await this.createDeliveries(
      tx,
      pair,
      supplier,
      alerts.map((a) => ({ ...a, listKind: a.entryId ? kindOf(a.entryId) : (source.listKind as ListKind) })),
    );
    return { events: createdEvents.length, deliveryIds };
  }

  /**
   * The snapshot that brought each entry to its current state (added, changed or removed it), and
   * the change row when there is one: what was known when. A source's first snapshot has no
   * change rows; its entries point at it directly.
   */
  private async evidence(tx: Prisma.TransactionClient, entryIds: string[]): Promise<Map<string, EvidenceRow>> {
    const rows = await tx.$queryRaw<EvidenceRow[]>`
      SELECT e.id AS entry_id, c.id AS change_id, COALESCE(c.type::text, 'INITIAL_LOAD') AS change_type,
             e.snapshot_id, s.content_hash, s.fetched_at, e.version, e.record, e.entry_key
        FROM list_entry e
        JOIN snapshot s ON s.id = e.snapshot_id
        LEFT JOIN LATERAL (
          SELECT id, type FROM change WHERE entry_id = e.id AND snapshot_id = e.snapshot_id ORDER BY seq DESC LIMIT 1
        ) c ON true
       WHERE e.id = ANY(${entryIds}::uuid[])`;
    return new Map(rows.map((r) => [r.entry_id, r]));
  }

  private async createDeliveries(
    tx: Prisma.TransactionClient,
    pair: SupplierSourcePair,
    supplier: LockedSupplier,
    alerts: { id: string; severity: Severity; listKind: ListKind }[],
  ): Promise<string[]> {
    if (alerts.length === 0) return [];
    const subscriptions = await tx.subscription.findMany({
      where: { organizationId: pair.organizationId, enabled: true },
    });
    if (subscriptions.length === 0) return [];
    const memberships = await tx.watchlistMember.findMany({
      where: { supplierId: pair.supplierId },
      select: { watchlistId: true },
    });
    const watchlistIds = memberships.map((m) => m.watchlistId);
    const rows = alerts.flatMap((alert) =>
      subscriptions
        .filter((s) =>
          subscriptionWants(s.filters as SubscriptionFilters, {
            severity: alert.severity,
            listKind: alert.listKind,
            supplierWatchlistIds: watchlistIds,
            supplierTags: supplier.tags,
            supplierCriticality: supplier.criticality,
          }),
        )
        .map((s) => ({ organizationId: pair.organizationId, alertId: alert.id, subscriptionId: s.id })),
    );
    if (rows.length === 0) return [];
    const created = await tx.delivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
    return created.map((d) => d.id);
  }
}
