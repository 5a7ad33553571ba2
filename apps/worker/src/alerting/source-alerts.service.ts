import { Injectable } from '@nestjs/common';
import { atLeast, type Severity, type SubscriptionFilters } from '@partnerwatch/domain';
import { PrismaService, type Prisma } from '@partnerwatch/db';
import { OutboxService } from './outbox.service';

const SOURCE_ALERT_SEVERITY: Severity = 'high';

/**
 * Alerts about a source rather than a supplier: a snapshot held in quarantine. They go to every
 * organization that sees the source (all of them for a public source, the owner for a custom one)
 * and to subscriptions that are not narrowed to particular suppliers or lists.
 */
@Injectable()
export class SourceAlertsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
  ) {}

  async snapshotQuarantined(snapshotId: string): Promise<void> {
    const deliveryIds = await this.prisma.$transaction(async (tx) => {
      const snapshot = await tx.snapshot.findUniqueOrThrow({ where: { id: snapshotId }, include: { source: true } });
      const { source } = snapshot;
      const organizations = source.organizationId
        ? [{ id: source.organizationId }]
        : await tx.organization.findMany({ select: { id: true } });
      if (organizations.length === 0) return [];
      const details: Prisma.InputJsonObject = {
        source: { id: source.id, key: source.key, name: source.name, listKind: source.listKind },
        snapshot: {
          id: snapshot.id,
          contentHash: snapshot.contentHash,
          fetchedAt: snapshot.fetchedAt.toISOString(),
          rows: snapshot.rowCount,
          unreadableRows: snapshot.errorCount,
          wouldAdd: snapshot.addedCount,
          wouldRemove: snapshot.removedCount,
          wouldModify: snapshot.modifiedCount,
          reason: snapshot.statusReason,
        },
        action: `approve with POST /v1/sources/${source.id}/snapshots/${snapshot.id}/approve, or reject`,
      };
      const alerts = await tx.alert.createManyAndReturn({
        data: organizations.map((org) => ({
          organizationId: org.id,
          sourceId: source.id,
          type: 'source_quarantined',
          severity: SOURCE_ALERT_SEVERITY,
          title: `${source.name}: a new snapshot is held for approval (${snapshot.statusReason ?? 'suspicious diff'})`,
          idempotencyKey: `snapshot-quarantined:${snapshot.id}`,
          details,
        })),
        skipDuplicates: true,
        select: { id: true, organizationId: true },
      });
      if (alerts.length === 0) return [];
      const subscriptions = await tx.subscription.findMany({
        where: { organizationId: { in: alerts.map((a) => a.organizationId) }, enabled: true },
      });
      const rows = alerts.flatMap((alert) =>
        subscriptions
          .filter(
            (s) => s.organizationId === alert.organizationId && wantsSourceAlerts(s.filters as SubscriptionFilters),
          )
          .map((s) => ({ organizationId: alert.organizationId, alertId: alert.id, subscriptionId: s.id })),
      );
      if (rows.length === 0) return [];
      const created = await tx.delivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
      return created.map((d) => d.id);
    });
    await this.outbox.enqueue(deliveryIds);
  }
}

/** A subscription narrowed to some suppliers or lists is about those; a source problem is not. */
function wantsSourceAlerts(filters: SubscriptionFilters): boolean {
  if (filters.watchlistIds?.length || filters.tags?.length || filters.criticalities?.length) return false;
  if (filters.listKinds?.length) return false;
  return !filters.minSeverity || atLeast(SOURCE_ALERT_SEVERITY, filters.minSeverity);
}
