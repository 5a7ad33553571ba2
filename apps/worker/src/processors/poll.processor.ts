import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { QueueName, type PollJob } from '@partnerwatch/queue';
import { PollingService } from '../polling/polling.service';
import { LookupService } from '../lookup/lookup.service';
import { PrismaService } from '@partnerwatch/db';
import type { JobProcessor } from './job-processor';

@Injectable()
export class PollProcessor implements JobProcessor {
  readonly queue = QueueName.poll;
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly polling: PollingService,
    private readonly lookups: LookupService,
    private readonly prisma: PrismaService,
  ) {}
  concurrency(): number {
    return this.config.WORKER_CONCURRENCY;
  }
  async process(job: Job<PollJob>): Promise<unknown> {
    const source = await this.prisma.source.findUnique({ where: { id: job.data.sourceId } });
    // A lookup source has no export to fetch: its poll is a sweep of per-company lookups.
    if (source?.mode === 'lookup') return source.enabled ? this.lookups.sweep(source) : 'disabled';
    return this.polling.poll(job.data.sourceId);
  }
}
