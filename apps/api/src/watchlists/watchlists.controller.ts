import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PrismaService } from '@partnerwatch/db';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { fieldError } from '../common/validation';

export class CreateWatchlistDto {
  @IsString()
  @Length(1, 120)
  name!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @IsOptional()
  @IsString()
  @Length(1, 120)
  ownerTeam?: string;
}

export class WatchlistMembersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  supplierIds!: string[];
}

@Controller('v1/watchlists')
export class WatchlistsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.prisma.watchlist.findMany({
      where: { organizationId: principal.organizationId },
      orderBy: { name: 'asc' },
      include: { _count: { select: { members: true } } },
    });
    return { data: rows.map(({ _count, ...w }) => ({ ...w, memberCount: _count.members })) };
  }

  @Post()
  @MinRole('risk_manager')
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWatchlistDto) {
    const exists = await this.prisma.watchlist.findFirst({
      where: { organizationId: principal.organizationId, name: dto.name },
    });
    if (exists) throw fieldError('name', `A watchlist named "${dto.name}" already exists`);
    const watchlist = await this.prisma.watchlist.create({
      data: {
        organizationId: principal.organizationId,
        name: dto.name,
        description: dto.description ?? null,
        ownerTeam: dto.ownerTeam ?? null,
      },
    });
    await this.audit.record(
      principal,
      'watchlist.created',
      { type: 'watchlist', id: watchlist.id },
      { name: dto.name },
    );
    return watchlist;
  }

  @Post(':id/members')
  @MinRole('procurement')
  async addMembers(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: WatchlistMembersDto,
  ) {
    await this.own(principal, id);
    const suppliers = await this.prisma.supplier.findMany({
      where: { id: { in: dto.supplierIds }, organizationId: principal.organizationId },
      select: { id: true },
    });
    const found = new Set(suppliers.map((s) => s.id));
    const missing = dto.supplierIds.filter((s) => !found.has(s));
    if (missing.length) throw fieldError('supplierIds', `Unknown suppliers: ${missing.slice(0, 10).join(', ')}`);
    const result = await this.prisma.watchlistMember.createMany({
      data: dto.supplierIds.map((supplierId) => ({
        watchlistId: id,
        supplierId,
        organizationId: principal.organizationId,
      })),
      skipDuplicates: true,
    });
    await this.audit.record(principal, 'watchlist.members_added', { type: 'watchlist', id }, { count: result.count });
    return { added: result.count };
  }

  @Delete(':id/members/:supplierId')
  @HttpCode(204)
  @MinRole('procurement')
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('supplierId', ParseUUIDPipe) supplierId: string,
  ) {
    await this.own(principal, id);
    await this.prisma.watchlistMember.deleteMany({ where: { watchlistId: id, supplierId } });
    await this.audit.record(principal, 'watchlist.member_removed', { type: 'watchlist', id }, { supplierId });
  }

  private async own(principal: Principal, id: string) {
    const watchlist = await this.prisma.watchlist.findFirst({
      where: { id, organizationId: principal.organizationId },
    });
    if (!watchlist) throw new NotFoundException(`Watchlist ${id} not found`);
    return watchlist;
  }
}
