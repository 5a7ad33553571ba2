import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule, type AppConfig } from '@partnerwatch/config';
import { DbModule } from '@partnerwatch/db';
import { QueueModule } from '@partnerwatch/queue';
import { AlertsController } from './alerts/alerts.controller';
import { AuditService } from './audit/audit.service';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { HealthController } from './health/health.controller';
import { SourcesController } from './sources/sources.controller';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SuppliersController } from './suppliers/suppliers.controller';
import { SuppliersService } from './suppliers/suppliers.service';
import { WatchlistsController } from './watchlists/watchlists.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), DbModule, QueueModule],
      controllers: [
        HealthController,
        SuppliersController,
        WatchlistsController,
        SourcesController,
        SubscriptionsController,
        AlertsController,
        DeliveriesController,
      ],
      providers: [
        AuditService,
        SuppliersService,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
