import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService } from '@partnerwatch/db';
import { QueueName, Queues, takeFromMinuteWindow, type LookupJob } from '@partnerwatch/queue';
import { LookupService } from '../lookup/lookup.service';
import type { JobProcessor } from './job-processor';

@Injectable()
export class LookupProcessor implements JobProcessor {
  readonly queue = QueueName.lookup;
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lookups: LookupService,
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
  ) {}
  concurrency(): number {
    return this.config.WORKER_CONCURRENCY;
  }
  async process(job: Job<LookupJob>, token?: string): Promise<unknown> {
    const source = await this.prisma.source.findUnique({
      where: { id: job.data.sourceId },
      select: { rateLimitPerMinute: true },
    });
    if (source?.rateLimitPerMinute) {
      // The quota is per source across every worker: over it, the job waits for the next minute.
      const waitMs = await takeFromMinuteWindow(
        this.queues.connection,
        `${this.config.QUEUE_PREFIX}:lookup-rate:${job.data.sourceId}`,
        source.rateLimitPerMinute,
      );
      if (waitMs > 0 && token) {
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
    }
    return this.lookups.lookup(job.data.sourceId, job.data.uscc);
  }
}
