import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { parseQuarantineThresholds, quarantineReason, type QuarantineThresholds } from '@partnerwatch/domain';
import { PrismaService, SnapshotApplyRepository, type ApplyOutcome } from '@partnerwatch/db';
import { Queues, JobName, jobId } from '@partnerwatch/queue';
import { SourceAlertsService } from '../alerting/source-alerts.service';

/**
 * Applies a staged snapshot (set-based diff, one transaction) and hands its changes to screening,
 * unless the diff looks like a broken export: then the snapshot is quarantined for a person to
 * approve or reject, the last good snapshot stays in force, and the organizations watching the
 * source are told.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly snapshots: SnapshotApplyRepository,
    private readonly queues: Queues,
    private readonly sourceAlerts: SourceAlertsService,
  ) {}

  async ingest(snapshotId: string): Promise<ApplyOutcome> {
    const snapshot = await this.prisma.snapshot.findUnique({ where: { id: snapshotId }, include: { source: true } });
    if (!snapshot) return { outcome: 'superseded' };
    const thresholds = this.thresholds(snapshot.source.guard);
    const result = await this.snapshots.apply(snapshotId, (counts) => quarantineReason(counts, thresholds));

    if (result.outcome === 'held') {
      await this.prisma.snapshot.update({
        where: { id: snapshotId },
        data: {
          status: 'quarantined',
          statusReason: result.reason,
          addedCount: result.counts.added,
          removedCount: result.counts.removed,
          modifiedCount: result.counts.modified,
        },
      });
      this.logger.warn(`${snapshot.source.key}: snapshot ${snapshotId} quarantined: ${result.reason}`);
      await this.sourceAlerts.snapshotQuarantined(snapshotId);
      return result;
    }
    if (result.outcome === 'applied' || result.outcome === 'already-applied') {
      const { added, removed, modified } = result.counts;
      if (result.outcome === 'applied') {
        this.logger.log(`${snapshot.source.key}: snapshot ${snapshotId} applied: +${added} -${removed} ~${modified}`);
      }
      await this.queues.screen.add(
        JobName.screenSnapshot,
        { target: 'snapshot', snapshotId },
        { jobId: jobId.screenSnapshot(snapshotId) },
      );
    }
    return result;
  }

  private thresholds(guard: unknown): QuarantineThresholds {
    const defaults: QuarantineThresholds = {
      maxRemovedShare: this.config.QUARANTINE_MAX_REMOVED_SHARE,
      maxRemovedCount: this.config.QUARANTINE_MAX_REMOVED_COUNT > 0 ? this.config.QUARANTINE_MAX_REMOVED_COUNT : null,
      maxErrorShare: this.config.QUARANTINE_MAX_ERROR_SHARE,
    };
    // The API validates guards when they are set; a bad one stored anyway falls back to defaults.
    return parseQuarantineThresholds(guard, defaults).thresholds;
  }
}
