#!/usr/bin/env node
// Stands in for Prisma's schema engine where none can be had (no internet, no ../shared shim) so
// that `prisma generate`, which never runs the engine, does not try to download it. Migrations
// are applied without it by scripts/migrate.js.
process.stderr.write(
  'Prisma schema engine unavailable on this machine: apply migrations with `node scripts/migrate.js`; ' +
    'creating new migrations needs internet or ../shared/tools/prisma-schema-engine-wasm.mjs.\n',
);
process.exit(1);
