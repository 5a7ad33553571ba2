import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { ALL_QUEUES, QueueName } from './queue-names';
import { defaultJobOptions } from './job-options';
import { createRedisConnection } from './redis-connection';

/** Producers for every queue, sharing one Redis connection. Used by the API and the worker. */
@Injectable()
export class Queues implements OnApplicationShutdown {
  readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) readonly config: AppConfig) {
    this.connection = createRedisConnection(config.REDIS_URL);
    for (const name of ALL_QUEUES) {
      this.queues.set(
        name,
        new Queue(name, {
          connection: this.connection,
          prefix: config.QUEUE_PREFIX,
          defaultJobOptions: defaultJobOptions(name, config),
        }),
      );
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }

  get poll(): Queue {
    return this.get(QueueName.poll);
  }
  get ingest(): Queue {
    return this.get(QueueName.ingest);
  }
  get screen(): Queue {
    return this.get(QueueName.screen);
  }
  get notify(): Queue {
    return this.get(QueueName.notify);
  }
  get lookup(): Queue {
    return this.get(QueueName.lookup);
  }

  /**
   * Jobs waiting, delayed or running across all queues, leaving out the next runs that job
   * schedulers keep delayed (those are always there). Tests and the demo wait for zero.
   */
  async pendingCount(): Promise<number> {
    let total = 0;
    for (const queue of this.queues.values()) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      total += Object.values(counts).reduce((a, b) => a + b, 0);
      const delayed = await queue.getDelayed();
      total += delayed.filter((job) => !job.repeatJobKey).length;
    }
    return total;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => undefined);
  }
}

@Global()
@Module({ providers: [Queues], exports: [Queues] })
export class QueueModule {}
