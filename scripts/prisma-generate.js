#!/usr/bin/env node
// `prisma generate` (run after install) never runs the schema engine, but Prisma's CLI downloads one
// unless told where it is. Point it at ../shared's offline engine when present, else at a stub that
// explains itself, so installing works on machines without internet.
const { existsSync } = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const shared = path.resolve(__dirname, '../../shared/tools/prisma-schema-engine-wasm.mjs');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= existsSync(shared) ? shared : path.join(__dirname, 'schema-engine-unavailable.js');
const cli = path.resolve(__dirname, '../node_modules/prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
