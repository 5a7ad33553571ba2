import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@partnerwatch/config';
import { DbModule } from '@partnerwatch/db';
import { QueueModule } from '@partnerwatch/queue';
import { ListingStatusService } from './alerting/listing-status.service';
import { OutboxService } from './alerting/outbox.service';
import { SourceAlertsService } from './alerting/source-alerts.service';
import { IngestService } from './ingest/ingest.service';
import { NotificationService } from './notification/notification.service';
import { PollingService } from './polling/polling.service';
import { SnapshotStager } from './polling/snapshot-stager.service';
import { IngestProcessor } from './processors/ingest.processor';
import { JOB_PROCESSORS } from './processors/job-processor';
import { NotifyProcessor } from './processors/notify.processor';
import { PollProcessor } from './processors/poll.processor';
import { ScreenProcessor } from './processors/screen.processor';
import { LookupProcessor } from './processors/lookup.processor';
import { LookupService } from './lookup/lookup.service';
import { QueueWorkers } from './queue-workers.service';
import { PipelineRelay } from './schedulers/pipeline-relay.service';
import { SourceCatalogService } from './schedulers/source-catalog.service';
import { SourceSchedulerService } from './schedulers/source-scheduler.service';
import { ScreeningService } from './screening/screening.service';

const processors = [PollProcessor, IngestProcessor, ScreenProcessor, NotifyProcessor, LookupProcessor];

@Module({})
export class WorkerModule {
  /** @param startWorkers false gives the services without consuming queues (tests drive jobs). */
  static forRoot(config: AppConfig, options: { startWorkers?: boolean } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DbModule, QueueModule],
      providers: [
        PollingService,
        SnapshotStager,
        LookupService,
        IngestService,
        ScreeningService,
        ListingStatusService,
        OutboxService,
        SourceAlertsService,
        NotificationService,
        SourceSchedulerService,
        SourceCatalogService,
        PipelineRelay,
        ...processors,
        { provide: JOB_PROCESSORS, useFactory: (...all: unknown[]) => all, inject: processors },
        ...(options.startWorkers === false ? [] : [QueueWorkers]),
      ],
      exports: [
        PollingService,
        IngestService,
        ScreeningService,
        ListingStatusService,
        OutboxService,
        SourceAlertsService,
        NotificationService,
        PipelineRelay,
        SourceSchedulerService,
        JOB_PROCESSORS,
      ],
    };
  }
}
