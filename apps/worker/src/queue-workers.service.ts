import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { createRedisConnection } from '@partnerwatch/queue';
import { JOB_PROCESSORS, type JobProcessor } from './processors/job-processor';
import { PipelineRelay } from './schedulers/pipeline-relay.service';
import { SourceCatalogService } from './schedulers/source-catalog.service';
import { SourceSchedulerService } from './schedulers/source-scheduler.service';

/**
 * Starts one BullMQ worker per queue and stops them gracefully: on SIGTERM each worker stops
 * taking jobs and waits for the running ones, so a deploy does not cut a delivery in half.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_PROCESSORS) private readonly processors: JobProcessor[],
    private readonly schedules: SourceSchedulerService,
    private readonly catalog: SourceCatalogService,
    private readonly relay: PipelineRelay,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Public sources first: a bad definition stops the worker before it takes any job.
    await this.catalog.sync();
    for (const processor of this.processors) {
      const worker = new Worker(processor.queue, (job, token) => processor.process(job, token), {
        connection: createRedisConnection(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: processor.concurrency(),
        // A job whose worker died is handed to another worker after this long.
        lockDuration: 60_000,
        maxStalledCount: 3,
      });
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
        const log = `${processor.queue} job ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`;
        if (final) this.logger.error(log);
        else this.logger.warn(log);
      });
      worker.on('error', (error) => this.logger.error(`${processor.queue} worker: ${error.message}`));
      this.workers.push(worker);
    }
    const { scheduled } = await this.schedules.sync();
    await this.relay.schedule();
    this.logger.log(
      `worker started: queues ${this.processors.map((p) => p.queue).join(', ')}; ${scheduled} sources scheduled`,
    );
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`stopping workers${signal ? ` on ${signal}` : ''}; waiting for running jobs`);
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
