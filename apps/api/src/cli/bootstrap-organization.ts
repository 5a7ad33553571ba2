import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Role } from '../../../../generated/prisma/client';
import { generateApiKey } from '../auth/api-key';

export interface BootstrapResult {
  organizationId: string;
  slug: string;
  apiKey: string;
  created: boolean;
}

/**
 * Creates an organization (or finds it by slug) and a new admin API key for it. The key is
 * returned once; only its hash is stored.
 */
export async function bootstrapOrganization(
  databaseUrl: string,
  input: { name: string; slug: string; keyName?: string; role?: Role },
): Promise<BootstrapResult> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    return await prisma.$transaction(async (tx) => {
      const existing = await tx.organization.findUnique({ where: { slug: input.slug } });
      const organization = existing ?? (await tx.organization.create({ data: { name: input.name, slug: input.slug } }));
      const { key, prefix, secretHash } = generateApiKey();
      const apiKey = await tx.apiKey.create({
        data: {
          organizationId: organization.id,
          name: input.keyName ?? 'bootstrap admin',
          prefix,
          secretHash,
          role: input.role ?? 'admin',
        },
      });
      await tx.auditEvent.create({
        data: {
          organizationId: organization.id,
          actorType: 'cli',
          action: existing ? 'api_key.created' : 'organization.created',
          targetType: 'api_key',
          targetId: apiKey.id,
          data: { role: apiKey.role, name: apiKey.name },
        },
      });
      return { organizationId: organization.id, slug: organization.slug, apiKey: key, created: !existing };
    });
  } finally {
    await prisma.$disconnect();
  }
}
