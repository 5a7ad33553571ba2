import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { checkSupplierUscc, normalizeSupplierIdentifiers } from '@partnerwatch/matching';
import { Prisma, PrismaService } from '@partnerwatch/db';
import { JobName, Queues } from '@partnerwatch/queue';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { fieldError } from '../common/validation';
import { pageArgs, toPage } from '../common/pagination';
import type { CreateSupplierDto, ListSuppliersQuery, UpdateSupplierDto } from './dto/supplier.dto';

const supplierView = {
  include: {
    identifiers: { select: { scheme: true, value: true } },
    statuses: {
      select: {
        sourceId: true,
        listKind: true,
        status: true,
        since: true,
        reason: true,
        authority: true,
        listedOn: true,
        entryIds: true,
        source: { select: { key: true, name: true } },
      },
    },
    watchlists: { select: { watchlistId: true } },
  },
} satisfies Prisma.SupplierDefaultArgs;

@Injectable()
export class SuppliersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateSupplierDto) {
    const { uscc, warnings } = this.checkUscc(dto.uscc);
    if (!uscc && !dto.nameZh && !dto.nameEn) {
      throw fieldError('nameZh', 'A supplier needs a USCC or at least one name (nameZh or nameEn)');
    }
    try {
      const supplier = await this.prisma.$transaction(async (tx) => {
        const created = await tx.supplier.create({
          data: {
            organizationId: principal.organizationId,
            externalId: dto.externalId ?? null,
            uscc,
            nameZh: dto.nameZh?.trim() ?? null,
            nameEn: dto.nameEn?.trim() ?? null,
            aliases: dto.aliases ?? [],
            country: dto.country?.toUpperCase() ?? (uscc ? 'CN' : null),
            tags: dto.tags ?? [],
            criticality: dto.criticality ?? 'medium',
            relationship: dto.relationship ?? 'supplier',
            identifiers: { create: this.identifierRows(principal.organizationId, dto) },
          },
          ...supplierView,
        });
        await this.audit.record(
          principal,
          'supplier.created',
          { type: 'supplier', id: created.id },
          { uscc, nameZh: dto.nameZh ?? null },
          tx,
        );
        return created;
      });
      await this.enqueueScreening(supplier.id);
      return { ...supplier, warnings };
    } catch (error) {
      throw this.uniqueViolation(error);
    }
  }

  async update(principal: Principal, id: string, dto: UpdateSupplierDto) {
    await this.get(principal, id);
    const { uscc, warnings } = dto.uscc !== undefined ? this.checkUscc(dto.uscc) : { uscc: undefined, warnings: [] };
    try {
      const supplier = await this.prisma.$transaction(async (tx) => {
        if (dto.identifiers) {
          await tx.supplierIdentifier.deleteMany({ where: { supplierId: id } });
          await tx.supplierIdentifier.createMany({
            data: this.identifierRows(principal.organizationId, dto).map((r) => ({ ...r, supplierId: id })),
          });
        }
        const updated = await tx.supplier.update({
          where: { id },
          data: {
            ...(dto.externalId !== undefined ? { externalId: dto.externalId } : {}),
            ...(uscc !== undefined ? { uscc } : {}),
            ...(dto.nameZh !== undefined ? { nameZh: dto.nameZh.trim() } : {}),
            ...(dto.nameEn !== undefined ? { nameEn: dto.nameEn.trim() } : {}),
            ...(dto.aliases !== undefined ? { aliases: dto.aliases } : {}),
            ...(dto.country !== undefined ? { country: dto.country.toUpperCase() } : {}),
            ...(dto.tags !== undefined ? { tags: dto.tags } : {}),
            ...(dto.criticality !== undefined ? { criticality: dto.criticality } : {}),
            ...(dto.relationship !== undefined ? { relationship: dto.relationship } : {}),
          },
          ...supplierView,
        });
        await this.audit.record(
          principal,
          'supplier.updated',
          { type: 'supplier', id },
          { fields: Object.keys(dto) },
          tx,
        );
        return updated;
      });
      await this.enqueueScreening(id);
      return { ...supplier, warnings };
    } catch (error) {
      throw this.uniqueViolation(error);
    }
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
    await this.prisma.$transaction(async (tx) => {
      await tx.supplier.delete({ where: { id } });
      await this.audit.record(principal, 'supplier.deleted', { type: 'supplier', id }, {}, tx);
    });
  }

  async get(principal: Principal, id: string) {
    const supplier = await this.prisma.supplier.findFirst({
      where: { id, organizationId: principal.organizationId },
      ...supplierView,
    });
    if (!supplier) throw new NotFoundException(`Supplier ${id} not found`);
    return supplier;
  }

  async list(principal: Principal, query: ListSuppliersQuery) {
    const q = query.q?.trim();
    const where: Prisma.SupplierWhereInput = {
      organizationId: principal.organizationId,
      ...(q
        ? {
            OR: [
              { nameZh: { contains: q, mode: 'insensitive' } },
              { nameEn: { contains: q, mode: 'insensitive' } },
              { aliases: { has: q } },
              { uscc: q.toUpperCase() },
              { externalId: q },
            ],
          }
        : {}),
      ...(query.tag ? { tags: { has: query.tag } } : {}),
      ...(query.status === 'LISTED' ? { statuses: { some: { status: 'LISTED' } } } : {}),
      ...(query.status === 'CLEAR' ? { statuses: { none: { status: 'LISTED' } } } : {}),
    };
    const rows = await this.prisma.supplier.findMany({
      where,
      orderBy: { id: 'asc' },
      ...pageArgs(query),
      ...supplierView,
    });
    return toPage(rows, query);
  }

  private checkUscc(raw: string | undefined): { uscc: string | null; warnings: string[] } {
    const checked = checkSupplierUscc(raw);
    if ('error' in checked) throw fieldError('uscc', checked.error);
    return checked;
  }

  private identifierRows(organizationId: string, dto: CreateSupplierDto) {
    return normalizeSupplierIdentifiers(dto.identifiers ?? []).map((i) => ({ organizationId, ...i }));
  }

  private async enqueueScreening(supplierId: string): Promise<void> {
    await this.queues.screen.add(JobName.screenSupplier, { target: 'supplier', supplierId });
  }

  private uniqueViolation(error: unknown): unknown {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const target = String((error.meta as { target?: unknown } | undefined)?.target ?? 'uscc or externalId');
      return new ConflictException(
        `Another supplier of this organization already has this ${target.includes('external') ? 'externalId' : 'USCC'}`,
      );
    }
    return error;
  }
}
