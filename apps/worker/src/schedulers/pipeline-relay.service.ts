import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService } from '@partnerwatch/db';
import { Queues, JobName, jobId } from '@partnerwatch/queue';
import { SourceSchedulerService } from './source-scheduler.service';

/** Work older than this without a job is presumed orphaned (worker crash, Redis flush). */
const ORPHAN_AFTER_MS = 30_000;
const BATCH = 500;

/**
 * PostgreSQL is the truth and Redis only carries jobs, so jobs can be lost (Redis restarted,
 * flushed, or a crash between commit and enqueue). The relay finds work the database says is
 * unfinished and has no job, and enqueues it again under the same job id, which makes a second
 * enqueue of live work a no-op.
 */
@Injectable()
export class PipelineRelay {
  private readonly logger = new Logger(PipelineRelay.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
    private readonly schedules: SourceSchedulerService,
  ) {}

  /** Keep the relay itself scheduled; called at worker start. */
  async schedule(): Promise<void> {
    await this.queues.notify.upsertJobScheduler(
      'outbox-relay',
      { every: this.config.OUTBOX_RELAY_INTERVAL_SECONDS * 1000 },
      { name: JobName.outboxRelay, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  async run(): Promise<{ deliveries: number; snapshots: number }> {
    const cutoff = new Date(Date.now() - ORPHAN_AFTER_MS);
    let deliveries = 0;
    const pending = await this.prisma.delivery.findMany({
      where: { status: { in: ['pending', 'failed'] }, createdAt: { lt: cutoff } },
      select: { id: true, nextAttemptAt: true },
      orderBy: { createdAt: 'asc' },
      take: BATCH,
    });
    for (const delivery of pending) {
      const id = jobId.deliver(delivery.id);
      if (await this.queues.notify.getJob(id)) continue;
      const delay = delivery.nextAttemptAt ? Math.max(0, delivery.nextAttemptAt.getTime() - Date.now()) : 0;
      await this.queues.notify.add(JobName.deliver, { deliveryId: delivery.id }, { jobId: id, delay });
      deliveries++;
    }

    let snapshots = 0;
    const staged = await this.prisma.snapshot.findMany({
      where: { status: 'staged', fetchedAt: { lt: cutoff } },
      select: { id: true },
      take: BATCH,
    });
    for (const s of staged) {
      if (await this.queues.ingest.getJob(jobId.ingest(s.id))) continue;
      await this.queues.ingest.add(JobName.ingest, { snapshotId: s.id }, { jobId: jobId.ingest(s.id) });
      snapshots++;
    }
    const unscreened = await this.prisma.snapshot.findMany({
      where: { status: 'applied', screenedAt: null, appliedAt: { lt: cutoff } },
      select: { id: true },
      take: BATCH,
    });
    for (const s of unscreened) {
      if (await this.queues.screen.getJob(jobId.screenSnapshot(s.id))) continue;
      await this.queues.screen.add(
        JobName.screenSnapshot,
        { target: 'snapshot', snapshotId: s.id },
        { jobId: jobId.screenSnapshot(s.id) },
      );
      snapshots++;
    }
    await this.schedules.sync();
    if (deliveries + snapshots > 0) {
      this.logger.warn(`re-enqueued ${deliveries} deliveries and ${snapshots} snapshots that had lost their jobs`);
    }
    return { deliveries, snapshots };
  }
}
