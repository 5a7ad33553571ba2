import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import axios, { type AxiosResponse } from 'axios';

export interface FetchRequest {
  url: string;
  /** Validators from the last applied snapshot; sent so an unchanged export costs one 304. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchOptions {
  /** Connect/response timeout (axios `timeout`), and the longest the body may stall between chunks. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Directory for the downloaded file; created when missing. */
  workDir: string;
  /** Cancels the whole download (e.g. the job's deadline or worker shutdown). */
  signal?: AbortSignal;
  /** Upper bound for the whole download, headers to last byte. None by default. */
  totalTimeoutMs?: number;
}

export interface FetchedExport {
  kind: 'fetched';
  /** Temp file holding the body; the caller deletes it (removeFetchedFile) after use. */
  path: string;
  sha256: string;
  sizeBytes: number;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  fetchedAt: Date;
}

export type FetchResult = { kind: 'not-modified' } | FetchedExport;

/** A download failed. `permanent` tells the job whether retrying could help. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly url: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class FetchHttpError extends FetchError {
  override name = 'FetchHttpError';
  constructor(
    message: string,
    url: string,
    readonly status: number,
    permanent: boolean,
  ) {
    super(message, url, permanent);
  }
}

/** The export is larger than the configured cap; the same URL will keep being too large. */
export class FetchTooLargeError extends FetchError {
  override name = 'FetchTooLargeError';
  constructor(
    url: string,
    readonly maxBytes: number,
    readonly sizeBytes?: number,
  ) {
    const size = sizeBytes === undefined ? 'more than' : `${sizeBytes} bytes, more than`;
    super(`GET ${url}: the export is ${size} the ${maxBytes}-byte limit`, url, true);
  }
}

const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 405, 406, 410, 414, 451]);
const TRANSIENT_STATUSES = new Set([408, 425, 429]);

/** Whether an HTTP status is worth retrying: server trouble and throttling are, "not there" is not. */
export function isPermanentHttpStatus(status: number): boolean {
  if (TRANSIENT_STATUSES.has(status) || status >= 500) return false;
  if (PERMANENT_STATUSES.has(status)) return true;
  // Other 4xx and unfollowed 3xx will not change by asking again.
  return status >= 300 && status < 500;
}

// A private instance so interceptors or defaults set elsewhere in the process do not apply.
const client = axios.create();

/**
 * Conditional GET of a registry export into a temp file, hashing and counting bytes as they pass,
 * so a large export never sits in memory and an oversized one is cut off early.
 */
export async function fetchExport(request: FetchRequest, options: FetchOptions): Promise<FetchResult> {
  const url = parseHttpUrl(request.url);
  options.signal?.throwIfAborted();

  // Our own aborts (stall, total deadline) carry a FetchError as the reason; the caller's carry theirs.
  const internal = new AbortController();
  const signal = options.signal ? AbortSignal.any([internal.signal, options.signal]) : internal.signal;
  const deadline =
    options.totalTimeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            internal.abort(
              new FetchError(`GET ${url}: download took longer than ${options.totalTimeoutMs} ms`, url, false),
            ),
          options.totalTimeoutMs,
        );

  const headers: Record<string, string> = { 'User-Agent': options.userAgent, Accept: '*/*' };
  if (request.etag) headers['If-None-Match'] = request.etag;
  if (request.lastModified) headers['If-Modified-Since'] = request.lastModified;

  let filePath: string | undefined;
  let response: AxiosResponse<Readable> | undefined;
  /** When the body last delivered bytes; set once the response has arrived. */
  let lastDataAt: number | undefined;
  const stalled = (): FetchError => new FetchError(`GET ${url}: no data for ${options.timeoutMs} ms`, url, false);
  try {
    response = await client.request<Readable>({
      url,
      method: 'GET',
      responseType: 'stream',
      headers,
      timeout: options.timeoutMs,
      maxRedirects: options.maxRedirects,
      signal,
      // Every status is handled below, with the permanence the job needs.
      validateStatus: () => true,
    });
    const body = response.data;
    const fetchedAt = new Date();
    const status = response.status;

    if (status === 304) {
      body.destroy();
      return { kind: 'not-modified' };
    }
    if (status < 200 || status >= 300) {
      body.destroy();
      const hint =
        status >= 300 && status < 400 ? ` (redirect not followed; maxRedirects is ${options.maxRedirects})` : '';
      throw new FetchHttpError(
        `GET ${url} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}${hint}`,
        url,
        status,
        isPermanentHttpStatus(status),
      );
    }
    const declaredLength = Number(header(response, 'content-length'));
    if (Number.isFinite(declaredLength) && declaredLength > options.maxBytes) {
      body.destroy();
      throw new FetchTooLargeError(url, options.maxBytes, declaredLength);
    }

    await mkdir(options.workDir, { recursive: true });
    filePath = path.join(options.workDir, `export-${randomUUID()}.download`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let stall: NodeJS.Timeout | undefined;
    const armStallTimer = (): void => {
      lastDataAt = Date.now();
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => internal.abort(stalled()), options.timeoutMs);
    };
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sizeBytes += chunk.length;
        if (sizeBytes > options.maxBytes) {
          callback(new FetchTooLargeError(url, options.maxBytes));
          return;
        }
        hash.update(chunk);
        armStallTimer();
        callback(null, chunk);
      },
    });
    armStallTimer();
    try {
      await pipeline(body, meter, createWriteStream(filePath, { flags: 'wx' }), { signal });
    } finally {
      if (stall) clearTimeout(stall);
    }
    return {
      kind: 'fetched',
      path: filePath,
      sha256: hash.digest('hex'),
      sizeBytes,
      etag: header(response, 'etag'),
      lastModified: header(response, 'last-modified'),
      contentType: header(response, 'content-type'),
      fetchedAt,
    };
  } catch (error) {
    response?.data.destroy();
    if (filePath) await removeFetchedFile(filePath);
    if (options.signal?.aborted) throw options.signal.reason;
    if (internal.signal.aborted && internal.signal.reason instanceof FetchError) throw internal.signal.reason;
    // axios's own socket timeout (armed a moment before ours) can fire first; it surfaces as a bare
    // "aborted" reset, so an error after a silence of about timeoutMs is reported as the stall it is.
    if (
      !(error instanceof FetchError) &&
      lastDataAt !== undefined &&
      Date.now() - lastDataAt >= options.timeoutMs * 0.9
    ) {
      throw stalled();
    }
    throw toFetchError(error, url);
  } finally {
    if (deadline) clearTimeout(deadline);
  }
}

/** Delete a downloaded export; a file already gone is fine. */
export async function removeFetchedFile(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
}

function parseHttpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError(`"${raw}" is not a valid URL`, raw, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(`"${raw}" is not an http: or https: URL`, raw, true);
  }
  return url.href;
}

function header(response: AxiosResponse, name: string): string | null {
  const value: unknown = response.headers[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

const PERMANENT_AXIOS_CODES = new Set(['ERR_FR_TOO_MANY_REDIRECTS', 'ERR_INVALID_URL', 'ERR_BAD_OPTION_VALUE']);

function toFetchError(error: unknown, url: string): FetchError {
  if (error instanceof FetchError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new FetchError(`GET ${url} timed out: ${detail}`, url, false, { cause: error });
  }
  if (code !== undefined && PERMANENT_AXIOS_CODES.has(code)) {
    return new FetchError(`GET ${url} failed: ${detail}`, url, true, { cause: error });
  }
  // Network trouble (refused, reset, DNS) may pass; let the job retry with backoff.
  return new FetchError(`GET ${url} failed${code ? ` (${code})` : ''}: ${detail}`, url, false, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
