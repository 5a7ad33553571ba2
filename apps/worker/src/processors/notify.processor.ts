import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { JobName, QueueName } from '@partnerwatch/queue';
import { NotificationService } from '../notification/notification.service';
import { PipelineRelay } from '../schedulers/pipeline-relay.service';
import type { JobProcessor } from './job-processor';

@Injectable()
export class NotifyProcessor implements JobProcessor {
  readonly queue = QueueName.notify;
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationService,
    private readonly relay: PipelineRelay,
  ) {}
  concurrency(): number {
    return this.config.NOTIFY_CONCURRENCY;
  }
  process(job: Job<{ deliveryId?: string }>): Promise<unknown> {
    if (job.name === JobName.outboxRelay) return this.relay.run();
    const deliveryId = job.data.deliveryId;
    if (!deliveryId) throw new Error(`notify job ${job.id} carries no deliveryId`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.notifications.deliver(deliveryId, finalAttempt);
  }
}
