import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FetchError,
  FetchHttpError,
  fetchExport,
  FetchTooLargeError,
  removeFetchedFile,
  type FetchOptions,
} from '@partnerwatch/sources';

const ETAG = '"abnormal-v1"';
const LAST_MODIFIED = 'Tue, 05 Sep 2023 08:00:00 GMT';
const BODY = Buffer.from('统一社会信用代码,企业名称\n91110108MA01A2B3CX,北京星河贸易有限公司\n'.repeat(200), 'utf8');
const MiB = 1024 * 1024;

let server: http.Server;
let base: string;
let workDir: string;
const seenHeaders: http.IncomingHttpHeaders[] = [];

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  seenHeaders.push(req.headers);
  switch (req.url) {
    case '/export':
      if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
        res.writeHead(304, { ETag: ETAG, 'Last-Modified': LAST_MODIFIED }).end();
        return;
      }
      res.writeHead(200, { ETag: ETAG, 'Last-Modified': LAST_MODIFIED, 'Content-Type': 'text/csv; charset=utf-8' });
      res.end(BODY);
      return;
    case '/moved':
      res.writeHead(302, { Location: '/export' }).end();
      return;
    case '/big-chunked': {
      // No Content-Length: the cap has to be enforced while streaming.
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 3 * MiB) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    case '/big-declared':
      res.writeHead(200, { 'Content-Length': String(3 * MiB) });
      res.end(); // the client must give up on the header alone
      return;
    case '/stall':
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      res.write('a,b\n'); // then nothing, until the client gives up
      return;
    case '/missing':
      res.writeHead(404).end('not here');
      return;
    case '/gone':
      res.writeHead(410).end();
      return;
    case '/busy':
      res.writeHead(503, { 'Retry-After': '60' }).end('try later');
      return;
    case '/throttled':
      res.writeHead(429).end();
      return;
    default:
      res.writeHead(500).end();
  }
}

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  seenHeaders.length = 0;
  if (workDir) await rm(workDir, { recursive: true, force: true });
  workDir = await mkdtemp(path.join(os.tmpdir(), 'partnerwatch-fetch-'));
});

const options = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({
  timeoutMs: 5_000,
  maxBytes: MiB,
  maxRedirects: 3,
  userAgent: 'partnerwatch-test/1.0',
  // A sub-directory that does not exist yet: the fetcher creates it.
  workDir: path.join(workDir, 'downloads'),
  ...overrides,
});

async function filesLeft(): Promise<string[]> {
  const dir = path.join(workDir, 'downloads');
  return existsSync(dir) ? readdir(dir) : [];
}

describe('fetchExport', () => {
  it('downloads to a file with the right SHA-256, size and validators', async () => {
    const result = await fetchExport({ url: `${base}/export` }, options());
    if (result.kind !== 'fetched') throw new Error('expected a download');
    expect(result.sizeBytes).toBe(BODY.length);
    expect(result.sha256).toBe(createHash('sha256').update(BODY).digest('hex'));
    expect(await readFile(result.path)).toEqual(BODY);
    expect(result.etag).toBe(ETAG);
    expect(result.lastModified).toBe(LAST_MODIFIED);
    expect(result.contentType).toBe('text/csv; charset=utf-8');
    expect(result.fetchedAt).toBeInstanceOf(Date);
    expect(seenHeaders[0]?.['user-agent']).toBe('partnerwatch-test/1.0');
    expect(seenHeaders[0]?.['if-none-match']).toBeUndefined();

    await removeFetchedFile(result.path);
    expect(existsSync(result.path)).toBe(false);
    await removeFetchedFile(result.path); // already gone is fine
  });

  it('sends If-None-Match and returns not-modified on 304', async () => {
    expect(await fetchExport({ url: `${base}/export`, etag: ETAG }, options())).toEqual({ kind: 'not-modified' });
    expect(seenHeaders[0]?.['if-none-match']).toBe(ETAG);
    expect(await filesLeft()).toEqual([]);
  });

  it('sends If-Modified-Since and returns not-modified on 304', async () => {
    const result = await fetchExport({ url: `${base}/export`, etag: null, lastModified: LAST_MODIFIED }, options());
    expect(result).toEqual({ kind: 'not-modified' });
    expect(seenHeaders[0]?.['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('downloads again when the validators no longer match', async () => {
    const result = await fetchExport({ url: `${base}/export`, etag: '"old"' }, options());
    expect(result.kind).toBe('fetched');
  });

  it('follows redirects up to maxRedirects', async () => {
    expect((await fetchExport({ url: `${base}/moved` }, options())).kind).toBe('fetched');
    const refused = fetchExport({ url: `${base}/moved` }, options({ maxRedirects: 0 }));
    await expect(refused).rejects.toMatchObject({ status: 302, permanent: true });
  });

  it('cuts off a streamed body over maxBytes and leaves no file', async () => {
    const failure = fetchExport({ url: `${base}/big-chunked` }, options());
    await expect(failure).rejects.toBeInstanceOf(FetchTooLargeError);
    await expect(failure).rejects.toMatchObject({ permanent: true, maxBytes: MiB });
    expect(await filesLeft()).toEqual([]);
  });

  it('rejects a declared Content-Length over maxBytes before reading the body', async () => {
    const failure = fetchExport({ url: `${base}/big-declared` }, options());
    await expect(failure).rejects.toBeInstanceOf(FetchTooLargeError);
    await expect(failure).rejects.toThrow(/3145728 bytes, more than the 1048576-byte limit/);
    expect(await filesLeft()).toEqual([]);
  });

  it.each([
    ['/missing', 404],
    ['/gone', 410],
  ])('treats %s (%i) as permanent', async (route, status) => {
    const failure = fetchExport({ url: `${base}${route}` }, options());
    await expect(failure).rejects.toBeInstanceOf(FetchHttpError);
    await expect(failure).rejects.toMatchObject({ status, permanent: true });
    await expect(failure).rejects.toThrow(new RegExp(`${route}.*HTTP ${status}`));
  });

  it.each([
    ['/busy', 503],
    ['/throttled', 429],
  ])('treats %s (%i) as transient', async (route, status) => {
    const failure = fetchExport({ url: `${base}${route}` }, options());
    await expect(failure).rejects.toMatchObject({ status, permanent: false });
  });

  it('gives up on a stalled body as a transient failure and leaves no file', async () => {
    const failure = fetchExport({ url: `${base}/stall` }, options({ timeoutMs: 300 }));
    await expect(failure).rejects.toBeInstanceOf(FetchError);
    await expect(failure).rejects.toMatchObject({ permanent: false });
    await expect(failure).rejects.toThrow(/stall: no data for 300 ms/);
    expect(await filesLeft()).toEqual([]);
  });

  it('treats a refused connection as transient', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchExport({ url: `http://127.0.0.1:${port}/x` }, options())).rejects.toMatchObject({
      permanent: false,
    });
  });

  it('refuses URLs that are not http or https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/list.csv', 'not a url']) {
      await expect(fetchExport({ url }, options())).rejects.toMatchObject({ name: 'FetchError', permanent: true });
    }
    expect(seenHeaders).toEqual([]);
  });

  it('stops when the caller aborts, with the caller’s reason, and leaves no file', async () => {
    const controller = new AbortController();
    const failure = fetchExport({ url: `${base}/stall` }, options({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    await expect(failure).rejects.toMatchObject({ name: 'AbortError' });
    expect(await filesLeft()).toEqual([]);
  });
});
