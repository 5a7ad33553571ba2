export * from './prisma.service';
export * from './pg-pool.service';
export * from './db.module';
export * from './repositories/staging.repository';
export * from './repositories/snapshot-apply.repository';
export * from './repositories/screening.repository';
export { Prisma } from '../../../generated/prisma/client';
export type * from '../../../generated/prisma/client';
export * from './uuid-v7';
