import type { DefaultJobOptions } from 'bullmq';
import type { AppConfig } from '@partnerwatch/config';
import { QueueName } from './queue-names';

const keepCompleted = { age: 24 * 3600, count: 5_000 };
const keepFailed = { age: 14 * 24 * 3600 };

/** Retries with exponential backoff for transient failures; permanent ones are marked unrecoverable. */
export function defaultJobOptions(queue: QueueName, config: AppConfig): DefaultJobOptions {
  switch (queue) {
    case QueueName.notify:
      return {
        attempts: config.NOTIFY_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.NOTIFY_BACKOFF_MS },
        removeOnComplete: keepCompleted,
        removeOnFail: keepFailed,
      };
    case QueueName.lookup:
      // Lookup job ids dedupe a company's lookup while it waits; once it has run, the next sweep
      // must be able to queue it again, so finished jobs are not kept. Failures are recorded on
      // the source.
      return {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: true,
      };
    case QueueName.poll:
      // A failed poll is retried soon, then the scheduler's next run tries again anyway.
      return {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: keepCompleted,
        removeOnFail: keepFailed,
      };
    default:
      return {
        attempts: 5,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: keepCompleted,
        removeOnFail: keepFailed,
      };
  }
}
