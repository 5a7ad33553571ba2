import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Machines that cannot download Prisma's native schema engine use the WASM stand-in from ../shared
// (see ../shared/README.md). Machines with internet leave the variable unset.
const offlineEngine = path.resolve(__dirname, '../shared/tools/prisma-schema-engine-wasm.mjs');
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(offlineEngine)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = offlineEngine;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/partnerwatch',
  },
});
