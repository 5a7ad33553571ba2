import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { QueueName, type PollJob } from '@partnerwatch/queue';
import { PollingService } from '../polling/polling.service';
import type { JobProcessor } from './job-processor';

@Injectable()
export class PollProcessor implements JobProcessor {
  readonly queue = QueueName.poll;
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly polling: PollingService,
  ) {}
  concurrency(): number {
    return this.config.WORKER_CONCURRENCY;
  }
  process(job: Job<PollJob>): Promise<unknown> {
    return this.polling.poll(job.data.sourceId);
  }
}
