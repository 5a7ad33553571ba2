import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { subscriptionFilterProblems } from '@partnerwatch/domain';
import { PrismaService, type Subscription } from '@partnerwatch/db';
import { availableChannels, getChannel } from '@partnerwatch/notify';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { fieldError } from '../common/validation';

export class CreateSubscriptionDto {
  @IsString()
  @Length(1, 120)
  name!: string;

  @IsIn(['webhook', 'email', 'slack', 'teams', 'wecom', 'dingtalk', 'feishu'])
  channel!: 'webhook' | 'email' | 'slack' | 'teams' | 'wecom' | 'dingtalk' | 'feishu';

  @IsObject()
  settings!: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  filters?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateSubscriptionDto {
  @IsOptional()
  @IsString()
  @Length(1, 120)
  name?: string;

  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  filters?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.prisma.subscription.findMany({
      where: { organizationId: principal.organizationId },
      orderBy: { createdAt: 'asc' },
    });
    return { data: rows.map((s) => this.view(s)), channels: availableChannels() };
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.view(await this.own(principal, id));
  }

  @Post()
  @MinRole('risk_manager')
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSubscriptionDto) {
    const settings = this.checkSettings(dto.channel, dto.settings);
    this.checkFilters(dto.filters);
    const subscription = await this.prisma.subscription.create({
      data: {
        organizationId: principal.organizationId,
        name: dto.name,
        channel: dto.channel,
        settings: settings as object,
        filters: (dto.filters ?? {}) as object,
        enabled: dto.enabled ?? true,
      },
    });
    await this.audit.record(
      principal,
      'subscription.created',
      { type: 'subscription', id: subscription.id },
      { channel: dto.channel },
    );
    return this.view(subscription);
  }

  @Patch(':id')
  @MinRole('risk_manager')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSubscriptionDto,
  ) {
    const existing = await this.own(principal, id);
    const settings = dto.settings ? this.checkSettings(existing.channel, dto.settings) : undefined;
    this.checkFilters(dto.filters);
    const updated = await this.prisma.subscription.update({
      where: { id },
      data: {
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        ...(settings !== undefined ? { settings: settings as object } : {}),
        ...(dto.filters !== undefined ? { filters: dto.filters as object } : {}),
        ...(dto.enabled !== undefined ? { enabled: dto.enabled } : {}),
      },
    });
    await this.audit.record(
      principal,
      'subscription.updated',
      { type: 'subscription', id },
      { fields: Object.keys(dto) },
    );
    return this.view(updated);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('risk_manager')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.own(principal, id);
    await this.prisma.subscription.delete({ where: { id } });
    await this.audit.record(principal, 'subscription.deleted', { type: 'subscription', id });
  }

  private checkSettings(channel: string, settings: Record<string, unknown>): unknown {
    try {
      return getChannel(channel).parseSettings(settings);
    } catch (error) {
      throw fieldError(
        channel === 'webhook' || availableChannels().includes(channel) ? 'settings' : 'channel',
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  private checkFilters(filters: unknown): void {
    const problems = subscriptionFilterProblems(filters);
    if (problems.length) throw fieldError('filters', problems.join('; '));
  }

  /** Secrets never leave the API. */
  private view(subscription: Subscription) {
    let settings: Record<string, unknown> = {};
    try {
      const channel = getChannel(subscription.channel);
      settings = channel.redactSettings(channel.parseSettings(subscription.settings));
    } catch {
      settings = { invalid: true };
    }
    return { ...subscription, settings };
  }

  private async own(principal: Principal, id: string): Promise<Subscription> {
    const subscription = await this.prisma.subscription.findFirst({
      where: { id, organizationId: principal.organizationId },
    });
    if (!subscription) throw new NotFoundException(`Subscription ${id} not found`);
    return subscription;
  }
}
