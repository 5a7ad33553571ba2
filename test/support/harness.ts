import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import axios, { type AxiosInstance } from 'axios';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { loadConfig, type AppConfig } from '@partnerwatch/config';
import { Queues } from '@partnerwatch/queue';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { bootstrapOrganization } from '../../apps/api/src/cli/bootstrap-organization';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** Configuration for one test file: the run's database, and a Redis key prefix of its own. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: `pwtest-${randomBytes(4).toString('hex')}`,
    NOTIFY_BACKOFF_MS: '100',
    NOTIFY_MAX_ATTEMPTS: '5',
    FETCH_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}

/** Remove every key under the file's queue prefix. */
export async function clearQueuePrefix(config: AppConfig): Promise<void> {
  const redis = new Redis(config.REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface Stack {
  config: AppConfig;
  api: INestApplication;
  worker: INestApplicationContext;
  baseUrl: string;
  /** An axios client authenticated as the organization's admin. */
  http: AxiosInstance;
  organizationId: string;
  apiKey: string;
  client(apiKey: string): AxiosInstance;
  close(): Promise<void>;
}

/** The API (listening on a loopback port) and a worker consuming the file's queues, in this process. */
export async function startStack(config: AppConfig, options: { worker?: boolean } = {}): Promise<Stack> {
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { startWorkers: options.worker !== false }),
    { logger: process.env.TEST_VERBOSE ? ['log', 'warn', 'error'] : ['error'] },
  );
  const api = await createApiApp(config, process.env.TEST_VERBOSE ? {} : { logger: false });
  await api.listen(0, '127.0.0.1');
  const baseUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  const org = await bootstrapOrganization(config.DATABASE_URL, {
    name: `Test org ${config.QUEUE_PREFIX}`,
    slug: `org-${config.QUEUE_PREFIX}`,
  });
  const client = (apiKey: string) =>
    axios.create({ baseURL: baseUrl, headers: { authorization: `Bearer ${apiKey}` }, validateStatus: () => true });
  return {
    config,
    api,
    worker,
    baseUrl,
    http: client(org.apiKey),
    organizationId: org.organizationId,
    apiKey: org.apiKey,
    client,
    async close() {
      // Test files share the run's database: switch this file's sources off so that the next
      // file's worker does not schedule polls of registries this file has already stopped.
      const { PrismaService } = await import('@partnerwatch/db');
      await worker
        .get(PrismaService)
        .source.updateMany({ where: { organizationId: org.organizationId }, data: { enabled: false } });
      await api.close();
      await worker.close();
      await clearQueuePrefix(config);
    },
  };
}

/** Poll `check` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wait until the file's queues have nothing waiting, delayed or running. */
export async function waitForIdleQueues(stack: { worker: INestApplicationContext }, timeoutMs = 20_000): Promise<void> {
  const queues = stack.worker.get(Queues);
  await waitFor(async () => (await queues.pendingCount()) === 0, 'queues to drain', timeoutMs);
}
