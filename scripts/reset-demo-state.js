// Gives `npm run demo` a clean slate: recreates the demo database and clears the demo's queue keys,
// so every run starts from revision 0 of the demo registry. Refuses to touch anything not named
// like a demo database.
const { Client } = require('pg');
const { Redis } = require('ioredis');

async function main() {
  const databaseUrl = new URL(process.env.DATABASE_URL);
  const name = decodeURIComponent(databaseUrl.pathname.slice(1));
  if (!/demo/.test(name))
    throw new Error(`refusing to reset "${name}": the demo only resets a database with "demo" in its name`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();

  const prefix = process.env.QUEUE_PREFIX;
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

main().catch((error) => {
  process.stderr.write(`could not reset the demo state: ${error.message}\n`);
  process.exit(1);
});
