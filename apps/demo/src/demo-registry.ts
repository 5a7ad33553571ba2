import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { authorityFor, generateCompanies, type DemoCompany } from './demo-companies';
import { Rng } from './prng';

/** Official column headers of the 经营异常名录 export, in publication order. */
export const ABNORMAL_OPERATIONS_HEADERS = [
  '序号',
  '统一社会信用代码',
  '企业名称',
  '列入经营异常名录原因',
  '列入日期',
  '作出决定机关',
  '移出经营异常名录原因',
  '移出日期',
  '作出移出决定机关',
] as const;

export const ABNORMAL_OPERATIONS_EXPORT_PATH = '/exports/abnormal-operations.csv';

export type RegistryEncoding = 'utf-8' | 'gb18030';

export interface DemoRegistryOptions {
  /** Companies the monitor watches; the registry lists and delists these over revisions. */
  watched: DemoCompany[];
  /** Unwatched companies that fill the list like the real one; about 340 are generated when omitted. */
  background?: DemoCompany[];
  seed?: number;
  encoding?: RegistryEncoding;
  /** Clock for revision times and listing dates; tests pin it. */
  now?: () => Date;
}

export interface RegistryChange {
  revision: number;
  /** Watched companies newly carrying an active listing. */
  listed: DemoCompany[];
  /** Watched companies whose row now carries 移出日期, 移出原因 and 作出移出决定机关. */
  removedByDate: DemoCompany[];
  /** Watched companies whose row disappeared from the export, as after credit repair. */
  removedRows: DemoCompany[];
  /** Background rows added, removed by date or deleted. */
  backgroundChurn: number;
}

export interface DemoRegistryStartOptions {
  port?: number;
  host?: string;
  /** Advance on a timer every this many milliseconds; stopped by stop(). */
  autoAdvanceMs?: number;
  /** Called after every advance made while the registry is started, whether by the timer or by a caller. */
  onAdvance?: (change: RegistryChange) => void;
}

interface Removal {
  reason: string;
  date: string;
  authority: string;
}

interface Row {
  company: DemoCompany;
  reason: string;
  listedOn: string;
  authority: string;
  removal?: Removal;
}

interface Published {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

/**
 * Listing grounds from the 企业经营异常名录管理暂行办法, weighted roughly as they occur (missed annual reports
 * dominate), each with the removal grounds that the same regulation pairs with it.
 */
const GROUNDS: readonly (readonly [{ listing: string; removals: readonly string[] }, number])[] = [
  [
    {
      listing: '未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的',
      removals: ['补报了未报年份的年度报告并公示'],
    },
    6,
  ],
  [
    {
      listing: '通过登记的住所或者经营场所无法联系的',
      removals: ['依法办理住所或者经营场所变更登记', '提出通过登记的住所或者经营场所可以重新取得联系'],
    },
    4,
  ],
  [{ listing: '未在责令的期限内公示有关企业信息的', removals: ['按照责令要求履行了公示义务'] }, 1.5],
  [{ listing: '公示企业信息隐瞒真实情况、弄虚作假的', removals: ['更正了其公示的信息'] }, 1],
];

const INITIAL_BACKGROUND_LISTED = 300;
const GENERATED_BACKGROUND_POOL = 340;
const INITIAL_WATCHED_LISTED = 8;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Calendar date in China (UTC+8, no daylight saving), which is what the registry prints. */
function chinaDate(time: Date): string {
  return new Date(time.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / DAY_MS);
}

/** HTTP dates have one-second resolution; revision times are kept on whole seconds so If-Modified-Since is exact. */
function wholeSeconds(time: Date): number {
  return Math.floor(time.getTime() / 1000) * 1000;
}

/** RFC 4180 field: quoted only when it holds a quote, comma, line break or edge whitespace. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/**
 * A loopback stand-in for a provincial market regulator publishing the List of Enterprises with Abnormal Operations
 * as a CSV export. Each revision is a deterministic function of the seed, the companies and the clock, so a demo or a
 * test can predict exactly which watched companies get listed and delisted.
 */
export class DemoRegistry {
  private readonly watched: DemoCompany[];
  private readonly background: DemoCompany[];
  private readonly rng: Rng;
  private readonly encoding: RegistryEncoding;
  private readonly now: () => Date;
  private readonly rows = new Map<string, Row>();
  private readonly watchedCodes: Set<string>;
  private currentRevision = 0;
  private revisionTime: number;
  /** Alternates removal styles so every demo run shows both a dated removal and a vanished row. */
  private nextRemovalByDate = true;
  private published: Published;
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onAdvance: ((change: RegistryChange) => void) | undefined;

  constructor(options: DemoRegistryOptions) {
    const seed = options.seed ?? 1;
    this.watched = dedupe(options.watched);
    this.watchedCodes = new Set(this.watched.map((company) => company.uscc));
    this.background = dedupe(options.background ?? this.generateBackground(seed)).filter(
      (company) => !this.watchedCodes.has(company.uscc),
    );
    this.rng = new Rng(seed);
    this.encoding = options.encoding ?? 'utf-8';
    this.now = options.now ?? (() => new Date());
    this.revisionTime = wholeSeconds(this.now());
    this.seedRevisionZero();
    this.published = this.publish();
  }

  get revision(): number {
    return this.currentRevision;
  }

  get exportPath(): string {
    return ABNORMAL_OPERATIONS_EXPORT_PATH;
  }

  /** Move to the next revision and report what happened to the watched companies. */
  advance(): RegistryChange {
    this.currentRevision += 1;
    // Strictly later than the previous revision, even when advanced within the same second, so Last-Modified moves.
    this.revisionTime = Math.max(wholeSeconds(this.now()), this.revisionTime + 1000);
    const today = chinaDate(new Date(this.revisionTime));

    const removedByDate: DemoCompany[] = [];
    const removedRows: DemoCompany[] = [];
    const active = this.watched.filter((company) => this.isActive(company));
    for (const company of this.rng.sample(active, this.rng.int(1, 2))) {
      if (this.nextRemovalByDate) {
        this.fillRemoval(this.rows.get(company.uscc)!, today);
        removedByDate.push(company);
      } else {
        this.rows.delete(company.uscc);
        removedRows.push(company);
      }
      this.nextRemovalByDate = !this.nextRemovalByDate;
    }

    // Companies delisted in this step are not relisted in it: a reader would see no change for them.
    const justDelisted = new Set([...removedByDate, ...removedRows].map((company) => company.uscc));
    const candidates = this.watched.filter((company) => !this.isActive(company) && !justDelisted.has(company.uscc));
    const listed = this.rng.sample(candidates, this.rng.int(2, 4));
    for (const company of listed) this.rows.set(company.uscc, this.newRow(company, today));

    const backgroundChurn = this.churnBackground(today);
    this.published = this.publish();
    const change: RegistryChange = {
      revision: this.currentRevision,
      listed: sortByCode(listed),
      removedByDate: sortByCode(removedByDate),
      removedRows: sortByCode(removedRows),
      backgroundChurn,
    };
    this.notify(change);
    return change;
  }

  /** The CSV text of the current revision, before encoding. */
  csvText(): string {
    return this.render();
  }

  start(port?: number, host?: string, options?: Omit<DemoRegistryStartOptions, 'port' | 'host'>): Promise<string>;
  start(options: DemoRegistryStartOptions): Promise<string>;
  async start(
    portOrOptions: number | DemoRegistryStartOptions = {},
    host?: string,
    extra: Omit<DemoRegistryStartOptions, 'port' | 'host'> = {},
  ): Promise<string> {
    const options: DemoRegistryStartOptions =
      typeof portOrOptions === 'number' ? { ...extra, port: portOrOptions, host } : { ...portOrOptions };
    if (this.server) throw new Error('DemoRegistry is already started');
    if (options.autoAdvanceMs !== undefined && !(options.autoAdvanceMs > 0)) {
      throw new RangeError(`autoAdvanceMs must be positive, got ${options.autoAdvanceMs}`);
    }
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.server = undefined;
      throw error;
    }
    this.onAdvance = options.onAdvance;
    if (options.autoAdvanceMs !== undefined) {
      this.timer = setInterval(() => this.advance(), options.autoAdvanceMs);
      // The server keeps the process alive while it runs; the timer alone should not.
      this.timer.unref();
    }
    const address = server.address() as AddressInfo;
    const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${hostname}:${address.port}`;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.onAdvance = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive clients (fetch keeps sockets open) would otherwise hold close() open indefinitely.
      server.closeAllConnections();
    });
  }

  private generateBackground(seed: number): DemoCompany[] {
    // A different stream from the watched companies, which callers usually generate from the same seed.
    const taken = new Set(this.watched.flatMap((company) => [company.uscc, company.nameZh, company.nameEn]));
    return generateCompanies(GENERATED_BACKGROUND_POOL + this.watched.length, seed + 0x5eed)
      .filter((company) => !taken.has(company.uscc) && !taken.has(company.nameZh) && !taken.has(company.nameEn))
      .slice(0, GENERATED_BACKGROUND_POOL);
  }

  private seedRevisionZero(): void {
    const today = chinaDate(new Date(this.revisionTime));
    const initialBackground = this.rng.sample(this.background, INITIAL_BACKGROUND_LISTED);
    for (const company of initialBackground) {
      // The real list carries years of history, and many rows were already moved out with their removal shown.
      const listedOn = addDays(today, -this.rng.int(20, 1000));
      const row = this.newRow(company, listedOn);
      if (this.rng.chance(0.2)) this.fillRemoval(row, addDays(listedOn, this.rng.int(1, daysBetween(listedOn, today))));
      this.rows.set(company.uscc, row);
    }
    for (const company of this.rng.sample(this.watched, INITIAL_WATCHED_LISTED)) {
      this.rows.set(company.uscc, this.newRow(company, addDays(today, -this.rng.int(1, 180))));
    }
  }

  private newRow(company: DemoCompany, listedOn: string): Row {
    const grounds = this.rng.weighted(GROUNDS);
    return { company, reason: grounds.listing, listedOn, authority: authorityFor(company) };
  }

  private fillRemoval(row: Row, date: string): void {
    const grounds = GROUNDS.find(([item]) => item.listing === row.reason)?.[0];
    const reason = grounds ? this.rng.pick(grounds.removals) : '补报了未报年份的年度报告并公示';
    row.removal = { reason, date, authority: row.authority };
  }

  private isActive(company: DemoCompany): boolean {
    const row = this.rows.get(company.uscc);
    return row !== undefined && row.removal === undefined;
  }

  /** A few unwatched rows change each revision, so the export never differs only by the watched companies. */
  private churnBackground(today: string): number {
    let changed = 0;
    const actions = this.rng.int(2, 5);
    for (let i = 0; i < actions; i++) {
      const action = this.rng.weighted([
        ['list', 45],
        ['remove', 35],
        ['delete', 20],
      ] as const);
      if (action === 'list') {
        const unlisted = this.background.filter((company) => !this.rows.has(company.uscc));
        if (unlisted.length === 0) continue;
        const company = this.rng.pick(unlisted);
        this.rows.set(company.uscc, this.newRow(company, today));
      } else if (action === 'remove') {
        const active = this.background.filter((company) => this.isActive(company));
        if (active.length === 0) continue;
        this.fillRemoval(this.rows.get(this.rng.pick(active).uscc)!, today);
      } else {
        const present = this.background.filter((company) => this.rows.has(company.uscc));
        if (present.length === 0) continue;
        this.rows.delete(this.rng.pick(present).uscc);
      }
      changed += 1;
    }
    return changed;
  }

  private render(): string {
    // Newest listings first, as the regulators' portals order them; the code breaks ties so order is stable.
    const rows = [...this.rows.values()].sort(
      (a, b) => b.listedOn.localeCompare(a.listedOn) || a.company.uscc.localeCompare(b.company.uscc),
    );
    let text = csvLine(ABNORMAL_OPERATIONS_HEADERS);
    rows.forEach((row, index) => {
      text += csvLine([
        String(index + 1),
        row.company.uscc,
        row.company.nameZh,
        row.reason,
        row.listedOn,
        row.authority,
        row.removal?.reason ?? '',
        row.removal?.date ?? '',
        row.removal?.authority ?? '',
      ]);
    });
    return text;
  }

  private publish(): Published {
    const text = this.render();
    const body =
      this.encoding === 'gb18030'
        ? iconv.encode(text, 'gb18030')
        : // Excel only recognises UTF-8 CSV by its BOM, and real exports carry it.
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { body, etag, lastModified: new Date(this.revisionTime) };
  }

  private notify(change: RegistryChange): void {
    if (!this.onAdvance) return;
    try {
      this.onAdvance(change);
    } catch (error) {
      // An observer's bug must not kill the timer-driven registry in the middle of a demo.
      process.emitWarning(`DemoRegistry onAdvance callback failed: ${String(error)}`);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://registry.invalid').pathname;
    if (path !== ABNORMAL_OPERATIONS_EXPORT_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method Not Allowed\n');
      return;
    }
    const published = this.published;
    const headers = {
      ETag: published.etag,
      'Last-Modified': published.lastModified.toUTCString(),
      'Cache-Control': 'no-cache',
    };
    if (notModified(req, published)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': `text/csv; charset=${this.encoding === 'gb18030' ? 'GB18030' : 'utf-8'}`,
      'Content-Length': String(published.body.length),
      'Content-Disposition': 'attachment; filename="abnormal-operations.csv"',
    });
    res.end(req.method === 'HEAD' ? undefined : published.body);
  }
}

/** RFC 9110: If-None-Match (weak comparison) wins; If-Modified-Since is only consulted without it. */
function notModified(req: IncomingMessage, published: Published): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim())
      .some((tag) => tag === '*' || tag.replace(/^W\//, '') === published.etag);
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && published.lastModified.getTime() <= since;
}

function dedupe(companies: readonly DemoCompany[]): DemoCompany[] {
  const byCode = new Map<string, DemoCompany>();
  for (const company of companies) if (!byCode.has(company.uscc)) byCode.set(company.uscc, company);
  return [...byCode.values()];
}

function sortByCode(companies: DemoCompany[]): DemoCompany[] {
  return [...companies].sort((a, b) => a.uscc.localeCompare(b.uscc));
}
