import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { PrismaService } from '@partnerwatch/db';
import { Queues } from '@partnerwatch/queue';
import { Public } from '../auth/auth.decorators';

@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Redis answer. */
  @Public()
  @Get('ready')
  async ready() {
    const checks: Record<string, string> = {};
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      checks.postgres = 'ok';
    } catch (error) {
      checks.postgres = error instanceof Error ? error.message : 'unreachable';
    }
    try {
      checks.redis = (await this.queues.connection.ping()) === 'PONG' ? 'ok' : 'unexpected reply';
    } catch (error) {
      checks.redis = error instanceof Error ? error.message : 'unreachable';
    }
    if (Object.values(checks).some((v) => v !== 'ok'))
      throw new ServiceUnavailableException(`Not ready: ${JSON.stringify(checks)}`);
    return { status: 'ready', checks };
  }
}
