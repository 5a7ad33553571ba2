import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => path.resolve(__dirname, `libs/${name}/src/index.ts`);

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
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one PostgreSQL database and one Redis; files run one at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
