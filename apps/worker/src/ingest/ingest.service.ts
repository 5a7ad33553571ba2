import { Injectable, Logger } from '@nestjs/common';
import { SnapshotApplyRepository, type ApplyOutcome } from '@partnerwatch/db';
import { Queues, JobName, jobId } from '@partnerwatch/queue';

/** Applies a staged snapshot (set-based diff, one transaction) and hands its changes to screening. */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly snapshots: SnapshotApplyRepository,
    private readonly queues: Queues,
  ) {}

  async ingest(snapshotId: string): Promise<ApplyOutcome> {
    const result = await this.snapshots.apply(snapshotId);
    if (result.outcome === 'applied' || result.outcome === 'already-applied') {
      const { added, removed, modified } = result.counts;
      if (result.outcome === 'applied') {
        this.logger.log(`snapshot ${snapshotId} applied: +${added} -${removed} ~${modified}`);
      }
      await this.queues.screen.add(
        JobName.screenSnapshot,
        { target: 'snapshot', snapshotId },
        { jobId: jobId.screenSnapshot(snapshotId) },
      );
    }
    return result;
  }
}
