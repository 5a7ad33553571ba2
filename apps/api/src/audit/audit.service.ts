import { Injectable } from '@nestjs/common';
import { PrismaService, type Prisma } from '@partnerwatch/db';
import type { Principal } from '../auth/principal';

/** Who did what to which object, for every write through the API. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(
    principal: Principal,
    action: string,
    target: { type: string; id?: string },
    data: Prisma.InputJsonObject = {},
    tx: Prisma.TransactionClient = this.prisma,
  ): Promise<void> {
    await tx.auditEvent.create({
      data: {
        organizationId: principal.organizationId,
        actorType: 'api_key',
        actorId: principal.apiKeyId,
        action,
        targetType: target.type,
        targetId: target.id ?? null,
        data,
      },
    });
  }
}
