import { afterEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { validateUscc } from '@partnerwatch/domain';
import { generateCompanies, type DemoCompany } from '../../../apps/demo/src/demo-companies';
import {
  ABNORMAL_OPERATIONS_HEADERS,
  DemoRegistry,
  csvLine,
  type DemoRegistryOptions,
  type RegistryChange,
} from '../../../apps/demo/src/demo-registry';

const watched = generateCompanies(40, 2026);
const fixedNow = () => new Date('2026-03-02T03:00:00Z');

interface ExportRow {
  序号: string;
  统一社会信用代码: string;
  企业名称: string;
  列入经营异常名录原因: string;
  列入日期: string;
  作出决定机关: string;
  移出经营异常名录原因: string;
  移出日期: string;
  作出移出决定机关: string;
}

interface Fetched {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

const running: DemoRegistry[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((registry) => registry.stop()));
});

async function startRegistry(options: Partial<DemoRegistryOptions> = {}): Promise<[DemoRegistry, string]> {
  const registry = new DemoRegistry({ watched, seed: 9, now: fixedNow, ...options });
  running.push(registry);
  const baseUrl = await registry.start();
  return [registry, baseUrl + registry.exportPath];
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function parseExport(text: string): { header: string[]; rows: ExportRow[] } {
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...data] = records;
  const rows = data.map(
    (values) => Object.fromEntries(header!.map((name, i) => [name, values[i]!])) as unknown as ExportRow,
  );
  return { header: header!, rows };
}

function decode(fetched: Fetched): string {
  const charset = /charset=([^;]+)/i.exec(fetched.headers.get('content-type') ?? '')?.[1]?.toLowerCase();
  return iconv.decode(fetched.bytes, charset ?? 'utf-8', { stripBOM: false });
}

/** Watched companies whose row is present without removal fields: what a monitor would call listed. */
function activeCodes(rows: ExportRow[]): Set<string> {
  return new Set(rows.filter((row) => row.移出日期 === '').map((row) => row.统一社会信用代码));
}

const codes = (companies: DemoCompany[]) => companies.map((company) => company.uscc).sort();
const watchedCodes = new Set(watched.map((company) => company.uscc));
const onlyWatched = (set: Set<string>) => new Set([...set].filter((code) => watchedCodes.has(code)));

describe('DemoRegistry export', () => {
  it('serves a GB18030 CSV with the official headers and well-formed rows', async () => {
    const [, url] = await startRegistry({ encoding: 'gb18030' });
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=GB18030');
    // GB18030 bytes are not valid UTF-8 for Chinese text: decoding as UTF-8 must not give the header back.
    expect(response.bytes.toString('utf8').startsWith('序号')).toBe(false);
    const text = iconv.decode(response.bytes, 'gb18030');
    expect(text.split('\r\n')).toHaveLength(text.split('\n').length);
    expect(text.endsWith('\r\n')).toBe(true);

    const { header, rows } = parseExport(text);
    expect(header).toEqual([...ABNORMAL_OPERATIONS_HEADERS]);
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(rows.length).toBeLessThanOrEqual(320);
    expect(rows.map((row) => row.序号)).toEqual(rows.map((_, i) => String(i + 1)));
    for (const row of rows) {
      expect(validateUscc(row.统一社会信用代码).ok).toBe(true);
      expect(row.企业名称).toMatch(/公司$/);
      expect(row.列入日期).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.列入日期 <= '2026-03-02').toBe(true);
      expect(row.作出决定机关).toMatch(/市场监督管理局$/);
      const removalFields = [row.移出经营异常名录原因, row.移出日期, row.作出移出决定机关];
      expect(removalFields.every((value) => value === '') || removalFields.every((value) => value !== '')).toBe(true);
      if (row.移出日期) expect(row.移出日期 >= row.列入日期).toBe(true);
    }
    expect(rows.some((row) => row.移出日期 !== '')).toBe(true);
    expect(onlyWatched(activeCodes(rows)).size).toBe(8);
    const suzhou = rows.find((row) => row.企业名称.startsWith('苏州'));
    expect(suzhou?.作出决定机关).toBe('苏州市市场监督管理局');
  });

  it('serves UTF-8 with a BOM and identical content', async () => {
    const [, gbUrl] = await startRegistry({ encoding: 'gb18030' });
    const [, utfUrl] = await startRegistry({ encoding: 'utf-8' });
    const gb = await get(gbUrl);
    const utf = await get(utfUrl);
    expect(utf.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...utf.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decode(utf).slice(1)).toBe(decode(gb));
    expect(utf.headers.get('etag')).not.toBe(gb.headers.get('etag'));
  });

  it('is deterministic for a seed and revision', async () => {
    const [first, firstUrl] = await startRegistry();
    const [second, secondUrl] = await startRegistry();
    expect((await get(firstUrl)).bytes.equals((await get(secondUrl)).bytes)).toBe(true);
    expect(first.advance()).toEqual(second.advance());
    const a = await get(firstUrl);
    const b = await get(secondUrl);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const [, otherUrl] = await startRegistry({ seed: 10 });
    expect((await get(otherUrl)).bytes.equals(a.bytes)).toBe(false);
  });

  it('answers conditional requests with 304', async () => {
    const [, url] = await startRegistry();
    const first = await get(url);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(new Date(lastModified).toISOString()).toBe('2026-03-02T03:00:00.000Z');

    const matching = await get(url, { 'If-None-Match': etag });
    expect(matching.status).toBe(304);
    expect(matching.bytes.length).toBe(0);
    expect(matching.headers.get('etag')).toBe(etag);
    expect((await get(url, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(url, { 'If-None-Match': '"other"' })).status).toBe(200);

    expect((await get(url, { 'If-Modified-Since': lastModified })).status).toBe(304);
    expect((await get(url, { 'If-Modified-Since': 'Mon, 02 Mar 2026 02:59:59 GMT' })).status).toBe(200);
    // If-None-Match takes precedence: a stale tag means a full answer even when the date would match.
    expect((await get(url, { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified })).status).toBe(200);
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    const [registry, url] = await startRegistry();
    const base = url.slice(0, -registry.exportPath.length);
    expect((await get(base + '/')).status).toBe(404);
    expect((await get(base + '/exports/other.csv')).status).toBe(404);
    expect((await get(url + '?page=1')).status).toBe(200);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });
});

describe('DemoRegistry.advance', () => {
  it('changes the ETag, Last-Modified and the listed set exactly as reported', async () => {
    let clock = new Date('2026-03-02T03:00:00Z').getTime();
    const [registry, url] = await startRegistry({ encoding: 'gb18030', now: () => new Date(clock) });
    let previous = await get(url);
    let previousRows = parseExport(decode(previous)).rows;
    const seen = { removedByDate: 0, removedRows: 0 };

    for (let step = 1; step <= 6; step++) {
      clock += 3_600_000;
      const change = registry.advance();
      expect(change.revision).toBe(step);
      expect(registry.revision).toBe(step);
      expect(change.listed.length).toBeGreaterThanOrEqual(2);
      expect(change.listed.length).toBeLessThanOrEqual(4);
      expect(change.removedByDate.length + change.removedRows.length).toBeGreaterThanOrEqual(1);
      expect(change.removedByDate.length + change.removedRows.length).toBeLessThanOrEqual(2);
      expect(change.backgroundChurn).toBeGreaterThan(0);
      seen.removedByDate += change.removedByDate.length;
      seen.removedRows += change.removedRows.length;

      expect((await get(url, { 'If-None-Match': previous.headers.get('etag')! })).status).toBe(200);
      const current = await get(url);
      expect(current.headers.get('etag')).not.toBe(previous.headers.get('etag'));
      expect(Date.parse(current.headers.get('last-modified')!)).toBe(clock);
      const rows = parseExport(decode(current)).rows;

      const before = onlyWatched(activeCodes(previousRows));
      const after = onlyWatched(activeCodes(rows));
      expect([...after].filter((code) => !before.has(code)).sort()).toEqual(codes(change.listed));
      expect([...before].filter((code) => !after.has(code)).sort()).toEqual(
        codes([...change.removedByDate, ...change.removedRows]),
      );

      const byCode = new Map(rows.map((row) => [row.统一社会信用代码, row]));
      for (const company of change.listed) {
        const row = byCode.get(company.uscc)!;
        expect(row.企业名称).toBe(company.nameZh);
        expect(row.列入日期).toBe(new Date(clock + 8 * 3_600_000).toISOString().slice(0, 10));
      }
      for (const company of change.removedByDate) {
        const row = byCode.get(company.uscc)!;
        expect(row.移出日期).not.toBe('');
        expect(row.移出经营异常名录原因).not.toBe('');
        expect(row.作出移出决定机关).toBe(row.作出决定机关);
      }
      for (const company of change.removedRows) expect(byCode.has(company.uscc)).toBe(false);

      previous = current;
      previousRows = rows;
    }
    // Removal styles alternate, so a few steps always show both kinds.
    expect(seen.removedByDate).toBeGreaterThan(0);
    expect(seen.removedRows).toBeGreaterThan(0);
  });

  it('keeps Last-Modified moving when advanced within one second', async () => {
    const [registry, url] = await startRegistry({ seed: 3 });
    const stamps: number[] = [Date.parse((await get(url)).headers.get('last-modified')!)];
    for (let i = 0; i < 3; i++) {
      registry.advance();
      stamps.push(Date.parse((await get(url)).headers.get('last-modified')!));
    }
    // A client holding the previous date must not get a false 304 for a newer revision.
    expect(stamps).toEqual(stamps.map((_, i) => fixedNow().getTime() + i * 1000));
    expect((await get(url, { 'If-Modified-Since': new Date(stamps[2]!).toUTCString() })).status).toBe(200);
    expect(registry.csvText().startsWith(ABNORMAL_OPERATIONS_HEADERS.join(','))).toBe(true);
  });

  it('advances on a timer while started and stops with stop()', async () => {
    const changes: RegistryChange[] = [];
    const registry = new DemoRegistry({ watched, seed: 5, now: fixedNow });
    running.push(registry);
    await registry.start({ autoAdvanceMs: 20, onAdvance: (change) => changes.push(change) });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await registry.stop();
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.map((change) => change.revision)).toEqual(changes.map((_, i) => i + 1));
    const revision = registry.revision;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(registry.revision).toBe(revision);
  });
});

describe('csvLine', () => {
  it('quotes only fields that need it and ends with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny', ''])).toBe('a,"b,c","say ""hi""","x\ny",\r\n');
  });
});
