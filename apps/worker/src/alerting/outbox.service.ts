import { Injectable, Logger } from '@nestjs/common';
import { Queues, JobName, jobId } from '@partnerwatch/queue';

/**
 * Deliveries are outbox rows committed with their alert; this hands them to the notify queue
 * after the commit. If Redis is unavailable the rows stay pending and the relay enqueues them.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(private readonly queues: Queues) {}

  async enqueue(deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    try {
      await this.queues.notify.addBulk(
        deliveryIds.map((deliveryId) => ({
          name: JobName.deliver,
          data: { deliveryId },
          opts: { jobId: jobId.deliver(deliveryId) },
        })),
      );
    } catch (error) {
      this.logger.warn(`Could not enqueue ${deliveryIds.length} deliveries now (${String(error)}); the relay will`);
    }
  }
}
