import type { Job } from 'bullmq';
import type { QueueName } from '@partnerwatch/queue';

/** A thin handler for one queue: read ids from the job, call a service, let errors be errors. */
export interface JobProcessor {
  readonly queue: QueueName;
  /** Concurrency of this queue's worker in one process. */
  concurrency(): number;
  /** `token` is the worker's lock token, for moving the job back to delayed (rate limits). */
  process(job: Job, token?: string): Promise<unknown>;
}

export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');
