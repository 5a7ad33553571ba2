import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PrismaService, type Prisma } from '@partnerwatch/db';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { PageQuery, pageArgs, toPage } from '../common/pagination';

export class ListDeliveriesQuery extends PageQuery {
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed', 'dead'])
  status?: 'pending' | 'delivered' | 'failed' | 'dead';

  @IsOptional()
  @IsUUID()
  alertId?: string;

  @IsOptional()
  @IsUUID()
  subscriptionId?: string;
}

@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first, each with its attempt history. `status=dead` lists the dead-lettered ones. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListDeliveriesQuery) {
    const where: Prisma.DeliveryWhereInput = {
      organizationId: principal.organizationId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.alertId ? { alertId: query.alertId } : {}),
      ...(query.subscriptionId ? { subscriptionId: query.subscriptionId } : {}),
    };
    const rows = await this.prisma.delivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { attempts: { orderBy: { attempt: 'asc' } } },
      ...pageArgs(query),
    });
    return toPage(rows, query);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const delivery = await this.prisma.delivery.findFirst({
      where: { id, organizationId: principal.organizationId },
      include: { attempts: { orderBy: { attempt: 'asc' } } },
    });
    if (!delivery) throw new NotFoundException(`Delivery ${id} not found`);
    return delivery;
  }
}
