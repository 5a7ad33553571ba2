import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { SEVERITIES } from '@partnerwatch/domain';
import { PrismaService, type Prisma } from '@partnerwatch/db';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { PageQuery, pageArgs, toPage } from '../common/pagination';

export class ListAlertsQuery extends PageQuery {
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  state?: 'open' | 'acknowledged' | 'resolved';

  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];

  @IsOptional()
  @IsIn(['listed', 'delisted', 'details_changed', 'source_quarantined'])
  type?: string;

  @IsOptional()
  @IsUUID()
  supplierId?: string;
}

@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAlertsQuery) {
    const where: Prisma.AlertWhereInput = {
      organizationId: principal.organizationId,
      ...(query.state ? { state: query.state } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(query.supplierId ? { supplierId: query.supplierId } : {}),
    };
    const rows = await this.prisma.alert.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      ...pageArgs(query),
    });
    return toPage(rows, query);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const alert = await this.prisma.alert.findFirst({
      where: { id, organizationId: principal.organizationId },
      include: {
        deliveries: {
          select: {
            id: true,
            subscriptionId: true,
            status: true,
            attemptCount: true,
            deliveredAt: true,
            lastError: true,
          },
        },
      },
    });
    if (!alert) throw new NotFoundException(`Alert ${id} not found`);
    return alert;
  }
}
