import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';

/**
 * A plain pg pool for the set-based paths Prisma cannot express: COPY into staging, the snapshot
 * diff in temporary tables, bulk screening joins.
 */
@Injectable()
export class PgPool implements OnModuleDestroy {
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 6 });
    // An idle client losing its connection (PostgreSQL restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Run `work` in one transaction on one connection; rolls back on any error. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
