/**
 * npm run bench:ingest — the ingest path at the scale of a national register.
 *
 * Generates a 2,000,000-row abnormal-operations CSV (official headers, valid USCCs), serves it
 * from a loopback registry with an ETag, and measures through the real worker services (fetch,
 * hash, stream-parse, COPY into staging, set-based diff, apply in one transaction):
 *   (a) first ingest, with the process's peak RSS;
 *   (b) re-ingest after 0.5% of rows were added, removed or modified;
 *   (c) an unchanged re-ingest (a conditional GET answered 304, and the same bytes re-served
 *       under a new ETag, recognised by hash);
 * and PostgreSQL's own COPY of the same file into an unlogged table, in the same run.
 * Each timing is the median of BENCH_RUNS runs (default 1 for (a) and (b), which take tens of
 * seconds each; 5 for (c)). Environment: BENCH_ROWS (default 2000000), DATABASE_ADMIN_URL.
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '@partnerwatch/config';
import { USCC_ALPHABET, usccCheckCharacter } from '@partnerwatch/domain';
import { PrismaService } from '@partnerwatch/db';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { PollingService } from '../apps/worker/src/polling/polling.service';
import { IngestService } from '../apps/worker/src/ingest/ingest.service';

const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const HEADER =
  '统一社会信用代码,企业名称,列入经营异常名录原因,列入日期,作出决定机关,移出经营异常名录原因,移出日期,作出移出决定机关';
const CITIES = ['苏州', '无锡', '杭州', '宁波', '深圳', '广州', '成都', '武汉', '青岛', '厦门', '合肥', '天津'];
const WORDS = ['华信', '永泰', '鼎盛', '金润', '宏达', '锦程', '恒通', '瑞丰', '新源', '博远', '中科', '嘉禾'];
const TRADES = ['精密电子', '机械制造', '新材料', '供应链管理', '纺织', '化工', '物流', '包装印刷', '光电'];
const REASONS = [
  '通过登记的住所或者经营场所无法联系的',
  '未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的',
  '公示企业信息隐瞒真实情况、弄虚作假的',
];

function uscc(n: number): string {
  let body = '';
  let x = n;
  for (let i = 0; i < 8; i++) {
    body = USCC_ALPHABET.charAt(x % 31) + body;
    x = Math.floor(x / 31);
  }
  const first17 = `91320500${body}0`.slice(0, 17);
  return first17 + usccCheckCharacter(first17)!;
}

/** Row n of the export at a given revision; revision 1 changes 0.5% of rows (added, removed, modified). */
function row(n: number, revision: number): string | undefined {
  const bucket = n % 600; // 3 of every 600 rows change: 0.5%
  if (revision === 1 && bucket === 0) return undefined; // removed
  const city = CITIES[n % CITIES.length]!;
  const name = `${city}${WORDS[(n >> 3) % WORDS.length]}${TRADES[(n >> 5) % TRADES.length]}有限公司${n}`;
  const reason = REASONS[n % REASONS.length]!;
  const listed = `20${20 + (n % 6)}-0${1 + (n % 9)}-1${n % 10}`;
  const authority = `${city}市市场监督管理局`;
  const removed = revision === 1 && bucket === 1;
  const delisting = n % 5 === 0 || removed ? ['补报了未报年份的年度报告并公示', '2026-03-01', authority] : ['', '', ''];
  return [uscc(n), name, reason, listed, authority, ...delisting].join(',');
}

async function writeExport(file: string, revision: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (chunk: string): Promise<void> | undefined =>
    out.write(chunk) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(`${HEADER}\r\n`);
  let batch = '';
  for (let n = 0; n < ROWS; n++) {
    const line = row(n, revision);
    if (line) batch += `${line}\r\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  // Added rows in revision 1: 1 in 600.
  if (revision === 1) for (let n = ROWS; n < ROWS + ROWS / 600; n++) batch += `${row(n, 0)}\r\n`;
  await write(batch);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function etagOf(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(`"${hash.digest('hex').slice(0, 32)}"`))
      .on('error', reject);
  });
}

class FileRegistry {
  file = '';
  etag = '';
  private server?: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.headers['if-none-match'] === this.etag) return void res.writeHead(304, { etag: this.etag }).end();
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        etag: this.etag,
        'content-length': statSync(this.file).size,
      });
      createReadStream(this.file).pipe(res);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/abnormal.csv`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => Math.round(ms / 10) / 100;

function peakRssMb(): number {
  // VmHWM: the high-water mark of resident memory since the process started (Linux).
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (kb) return Math.round(kb / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

async function main(): Promise<void> {
  const dir = path.join(tmpdir(), `pw-bench-ingest-${randomBytes(3).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const v0 = path.join(dir, 'v0.csv');
  const v1 = path.join(dir, 'v1.csv');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`generating ${ROWS} rows...`);
  await writeExport(v0, 0);
  await writeExport(v1, 1);
  log(`export: ${(statSync(v0).size / 1e6).toFixed(0)} MB`);

  const dbName = `pw_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  // BENCH_LOG_SQL=1: PostgreSQL logs every statement over 200 ms, to see where the time goes.
  if (process.env.BENCH_LOG_SQL === '1')
    await admin.query(`ALTER DATABASE ${dbName} SET log_min_duration_statement = 200`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain JS helper the shell scripts run too
  const { migrate } = require(path.resolve(__dirname, '../../scripts/migrate.js')) as {
    migrate: (u: string, l?: () => void) => Promise<void>;
  };
  await migrate(dbUrl.toString(), () => undefined);

  const config = loadConfig({
    DATABASE_URL: dbUrl.toString(),
    QUEUE_PREFIX: `pwbench-${randomBytes(3).toString('hex')}`,
    WORK_DIR: dir,
    LOG_LEVEL: 'error',
    FETCH_TIMEOUT_MS: '120000',
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, { startWorkers: false }), {
    logger: ['error'],
  });
  const polling = app.get(PollingService);
  const ingest = app.get(IngestService);
  const prisma = app.get(PrismaService);
  const registry = new FileRegistry();
  const url = await registry.start();
  const source = await prisma.source.create({
    data: {
      key: 'bench-abnormal-ops',
      name: 'bench',
      adapter: 'cn-abnormal-operations',
      listKind: 'abnormal_operations',
      url,
      enabled: true,
    },
  });

  /** Poll then apply the snapshot it staged, as the poll and ingest jobs do. */
  const pollAndApply = async (): Promise<{ ms: number; result: string; outcome?: string }> => {
    const start = performance.now();
    const result = await polling.poll(source.id);
    let outcome: string | undefined;
    if (result === 'staged') {
      const snapshot = await prisma.snapshot.findFirstOrThrow({
        where: { sourceId: source.id },
        orderBy: { fetchedAt: 'desc' },
      });
      outcome = (await ingest.ingest(snapshot.id)).outcome;
    }
    return { ms: performance.now() - start, result, ...(outcome ? { outcome } : {}) };
  };

  // PostgreSQL's own COPY of the same file, for scale.
  const copyRuns: number[] = [];
  const pg = new Client({ connectionString: dbUrl.toString() });
  await pg.connect();
  for (let i = 0; i < Math.max(RUNS, 3); i++) {
    await pg.query('DROP TABLE IF EXISTS bench_copy');
    await pg.query(
      'CREATE UNLOGGED TABLE bench_copy (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text)',
    );
    const start = performance.now();
    await pipeline(
      createReadStream(v0),
      pg.query(copyFrom('COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    copyRuns.push(performance.now() - start);
  }
  await pg.query('DROP TABLE bench_copy');
  await pg.end();
  const copyMs = median(copyRuns);
  log(`postgres COPY: ${seconds(copyMs)} s (median of ${copyRuns.length})`);

  // (a) first ingest
  registry.file = v0;
  registry.etag = await etagOf(v0);
  const first = await pollAndApply();
  const firstRss = peakRssMb();
  log(`first ingest: ${seconds(first.ms)} s (${first.result}, ${first.outcome}), peak RSS ${firstRss} MB`);

  // (b) 0.5% changed
  registry.file = v1;
  registry.etag = await etagOf(v1);
  const delta = await pollAndApply();
  const snapshot = await prisma.snapshot.findFirstOrThrow({
    where: { sourceId: source.id },
    orderBy: { fetchedAt: 'desc' },
  });
  log(
    `0.5% changed: ${seconds(delta.ms)} s (${delta.outcome}: +${snapshot.addedCount} -${snapshot.removedCount} ~${snapshot.modifiedCount})`,
  );

  // (c) unchanged: a 304, and the same bytes under a new ETag (recognised by hash)
  const notModified: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run = await pollAndApply();
    if (run.result !== 'not-modified') throw new Error(`expected not-modified, got ${run.result}`);
    notModified.push(run.ms);
  }
  const rehashed: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 3); i++) {
    registry.etag = `"new-etag-${i}"`;
    const run = await pollAndApply();
    if (run.result !== 'unchanged') throw new Error(`expected unchanged, got ${run.result}`);
    rehashed.push(run.ms);
  }
  log(
    `unchanged: ${seconds(median(notModified))} s with a 304; ${seconds(median(rehashed))} s re-downloaded and hashed`,
  );

  const result = {
    rows: ROWS,
    first_s: seconds(first.ms),
    first_rss_mb: firstRss,
    copy_s: seconds(copyMs),
    copy_ratio: Math.round((first.ms / copyMs) * 10) / 10,
    delta_s: seconds(delta.ms),
    unchanged_s: seconds(median(notModified)),
    unchanged_rehash_s: seconds(median(rehashed)),
  };

  await registry.stop();
  await app.close();
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
  log(`BENCH ${JSON.stringify(result)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
