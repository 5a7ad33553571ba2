#!/usr/bin/env node
// Applies pending migrations from prisma/migrations to DATABASE_URL, the way `prisma migrate
// deploy` does, and records them in Prisma's own _prisma_migrations table (same checksum), so the
// two are interchangeable. It needs no schema engine: machines without internet and without
// ../shared can still migrate. Each migration runs in one transaction; a failed one changes nothing.
const { createHash, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const MIGRATIONS = path.resolve(__dirname, '../prisma/migrations');

async function migrate(databaseUrl, log = (line) => process.stdout.write(`${line}\n`)) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One migrator at a time (several workers starting together).
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    const names = fs
      .readdirSync(MIGRATIONS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    let count = 0;
    for (const name of names) {
      const sql = fs.readFileSync(path.join(MIGRATIONS, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const done = applied.get(name);
      if (done) {
        if (!done.finished_at) throw new Error(`migration ${name} was started but never finished: resolve it by hand`);
        if (done.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed and was rolled back: ${error.message}`);
      }
      log(`applied migration ${name}`);
      count++;
    }
    if (count === 0) log('database schema is up to date');
  } finally {
    await client.end();
  }
}

module.exports = { migrate };

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is missing: set it to the postgresql:// URL to migrate\n');
    process.exit(78);
  }
  migrate(url).catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
