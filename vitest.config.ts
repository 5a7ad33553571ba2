import { existsSync } from 'node:fs';
import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => path.resolve(__dirname, `libs/${name}/src/index.ts`);

// Tests under test/shared-data read the real exports in ../shared/data where they are. Without that
// folder they are left out (and say so); CI sets REQUIRE_SHARED_DATA=1 so there they always run.
const sharedData = path.resolve(__dirname, '../shared/data');
const haveSharedData = existsSync(sharedData);
if (!haveSharedData) {
  if (process.env.REQUIRE_SHARED_DATA === '1') {
    throw new Error(`REQUIRE_SHARED_DATA=1 but ${sharedData} does not exist`);
  }
  process.stderr.write(`note: ${sharedData} not found; the tests in test/shared-data are left out of this run\n`);
}

export default defineConfig({
  // SWC instead of esbuild: Nest's dependency injection needs emitDecoratorMetadata.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@partnerwatch/domain': lib('domain'),
      '@partnerwatch/config': lib('config'),
      '@partnerwatch/db': lib('db'),
      '@partnerwatch/queue': lib('queue'),
      '@partnerwatch/sources': lib('sources'),
      '@partnerwatch/matching': lib('matching'),
      '@partnerwatch/notify': lib('notify'),
    },
  },
  test: {
    include: ['test/**/*.spec.ts', 'libs/**/*.spec.ts', 'apps/**/*.spec.ts'],
    exclude: ['**/node_modules/**', ...(haveSharedData ? [] : ['test/shared-data/**'])],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one PostgreSQL database and one Redis; files run one at a time.
    fileParallelism: false,
    pool: 'forks',
    // Known exceljs 4.4 defect: its streaming reader spools a worksheet that precedes the shared
    // strings to a temp file, and now and then a stream on that file fails to open after the
    // parse has finished. The rows were all read; the stray error is not the test's. Only that
    // error is let through; every other unhandled error still fails the run. Replacing the exceljs
    // reader is on the list (see the closing note).
    onUnhandledError(error: unknown) {
      const e = error as { code?: string; path?: string };
      return !(e.code === 'ENOENT' && typeof e.path === 'string' && /[\\/]tmp-\d+-[A-Za-z0-9]+$/.test(e.path));
    },
  },
});
