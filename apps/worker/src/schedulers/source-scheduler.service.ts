import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService } from '@partnerwatch/db';
import { Queues, syncSourceSchedules } from '@partnerwatch/queue';

/**
 * One BullMQ job scheduler per enabled source, made by the worker at start and kept in step with
 * the database by the relay. Redis holds only the schedule; losing it loses nothing.
 */
@Injectable()
export class SourceSchedulerService {
  private readonly logger = new Logger(SourceSchedulerService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
  ) {}

  async sync(): Promise<{ scheduled: number; removed: number }> {
    const sources = await this.prisma.source.findMany({
      where: {},
      select: { id: true, key: true, enabled: true, intervalSeconds: true },
    });
    const result = await syncSourceSchedules(this.queues.poll, sources, this.config.MIN_POLL_INTERVAL_SECONDS);
    if (result.removed > 0) this.logger.log(`removed ${result.removed} stale poll schedules`);
    return result;
  }
}
