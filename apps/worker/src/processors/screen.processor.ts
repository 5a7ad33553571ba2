import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { QueueName, type ScreenJob } from '@partnerwatch/queue';
import { ScreeningService } from '../screening/screening.service';
import type { JobProcessor } from './job-processor';

@Injectable()
export class ScreenProcessor implements JobProcessor {
  readonly queue = QueueName.screen;
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly screening: ScreeningService,
  ) {}
  concurrency(): number {
    return this.config.WORKER_CONCURRENCY;
  }
  process(job: Job<ScreenJob>): Promise<unknown> {
    const data = job.data;
    if (data.target === 'snapshot') return this.screening.screenSnapshot(data.snapshotId);
    if (data.target === 'supplier') return this.screening.screenSupplier(data.supplierId);
    throw new UnrecoverableError(`screen job ${job.id} has no target`);
  }
}
