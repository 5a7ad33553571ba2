import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS, verifyWebhook } from '@partnerwatch/notify';

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  timestamp: number;
  body: Record<string, unknown>;
  verified: boolean;
  verifyError?: string;
  receivedAt: Date;
}

export interface WebhookReceiverOptions {
  secret: string;
  /** Answer 503 to this many requests before accepting any (a receiver that is down for a while). */
  failFirst?: number;
  onReceive?: (webhook: ReceivedWebhook) => void;
}

/**
 * A webhook endpoint on loopback that checks each request's HMAC signature the way an
 * integrator's receiver should, dedupes on the delivery id, and records what arrived.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests answered, including refused ones and duplicates. */
  requests = 0;
  private server?: Server;
  private failuresLeft: number;
  private readonly seen = new Set<string>();

  constructor(private readonly options: WebhookReceiverOptions) {
    this.failuresLeft = options.failFirst ?? 0;
  }

  /** Distinct deliveries received more than once (a receiver dedupes these; the sender should not cause them). */
  duplicates = 0;

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}/hooks/partnerwatch`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver temporarily unavailable');
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const signature = header(WEBHOOK_HEADERS.signature);
    const timestamp = header(WEBHOOK_HEADERS.timestamp);
    const verification = verifyWebhook(this.options.secret, raw, {
      ...(signature ? { signature } : {}),
      ...(timestamp ? { timestamp } : {}),
    });
    if (!verification.ok) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`signature rejected: ${verification.reason}`);
      return;
    }
    const deliveryId = header(WEBHOOK_HEADERS.delivery) ?? '';
    if (this.seen.has(deliveryId)) {
      this.duplicates++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"duplicate":true}');
      return;
    }
    this.seen.add(deliveryId);
    const webhook: ReceivedWebhook = {
      deliveryId,
      event: header(WEBHOOK_HEADERS.event) ?? '',
      timestamp: Number(timestamp),
      body: JSON.parse(raw) as Record<string, unknown>,
      verified: true,
      receivedAt: new Date(),
    };
    this.received.push(webhook);
    this.options.onReceive?.(webhook);
    res
      .writeHead(200, { 'content-type': 'application/json', 'x-request-id': `rcv-${this.received.length}` })
      .end('{"ok":true}');
  }
}
