import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A registry on loopback publishing whatever bytes a test gives it, with a strong ETag, and
 * answering conditional GETs with 304 as real registries do. Records every request's headers.
 */
export class LoopbackRegistry {
  readonly requests: { path: string; headers: IncomingHttpHeaders; status: number }[] = [];
  private body: Buffer = Buffer.alloc(0);
  private etag = '';
  private server?: Server;
  /** When set, answers this status instead of the export (a registry having a bad day). */
  failWith?: number;

  publish(body: Buffer | string, contentType = 'text/csv; charset=utf-8'): void {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.etag = `"${createHash('sha256').update(this.body).digest('hex').slice(0, 32)}"`;
    this.contentType = contentType;
  }
  private contentType = 'text/csv';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const record = (status: number) => this.requests.push({ path: req.url ?? '', headers: req.headers, status });
      if (this.failWith) {
        record(this.failWith);
        res.writeHead(this.failWith).end('unavailable');
        return;
      }
      if (req.headers['if-none-match'] === this.etag) {
        record(304);
        res.writeHead(304, { etag: this.etag }).end();
        return;
      }
      record(200);
      res
        .writeHead(200, { 'content-type': this.contentType, etag: this.etag, 'content-length': this.body.length })
        .end(this.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/export.csv`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
