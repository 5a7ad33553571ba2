import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * One fresh PostgreSQL database per test run, migrated with the project's own migrations, dropped
 * afterwards; each test file gets its own Redis key prefix (test/support/harness.ts). Nothing a
 * previous run left behind can change the outcome.
 */
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `partnerwatch_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Tests need PostgreSQL at ${ADMIN_URL} (set TEST_DATABASE_ADMIN_URL): ${String(error)}`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  // The project's own migrator: same migrations and bookkeeping as `prisma migrate deploy`, no
  // schema engine needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain JS helper the shell scripts run too
  const { migrate } = require(path.resolve(__dirname, '../../scripts/migrate.js')) as {
    migrate: (url: string, log?: (line: string) => void) => Promise<void>;
  };
  await migrate(databaseUrl, () => undefined);
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  return async () => {
    const client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
}
