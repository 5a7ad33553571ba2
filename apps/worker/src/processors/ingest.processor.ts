import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName, type IngestJob } from '@partnerwatch/queue';
import { IngestService } from '../ingest/ingest.service';
import type { JobProcessor } from './job-processor';

@Injectable()
export class IngestProcessor implements JobProcessor {
  readonly queue = QueueName.ingest;
  constructor(private readonly ingest: IngestService) {}
  concurrency(): number {
    // Applying is PostgreSQL-bound and serialised per source anyway.
    return 2;
  }
  process(job: Job<IngestJob>): Promise<unknown> {
    return this.ingest.ingest(job.data.snapshotId);
  }
}
