import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { PgPool } from './pg-pool.service';
import { StagingRepository } from './repositories/staging.repository';
import { SnapshotApplyRepository } from './repositories/snapshot-apply.repository';
import { ScreeningRepository } from './repositories/screening.repository';

const providers = [PrismaService, PgPool, StagingRepository, SnapshotApplyRepository, ScreeningRepository];

@Global()
@Module({ providers, exports: providers })
export class DbModule {}
