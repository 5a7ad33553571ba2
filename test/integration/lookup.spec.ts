import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@partnerwatch/db';
import { Queues, jobId } from '@partnerwatch/queue';
import { startStack, testConfig, waitFor, waitForIdleQueues, type Stack } from '../support/harness';
import { uscc } from '../unit/sources/source-fixtures';

/**
 * Per-company lookup sources: a Credit China style service on loopback answers one USCC at a
 * time. A sweep queues one lookup per watched company; each answer is diffed against what earlier
 * lookups of that company found, so a record that disappears counts as removed; the per-source
 * quota holds across workers.
 */
const LISTED = uscc('91320500MA1LKKK00');
const CLEAN = uscc('91320500MA1LKKK01');

class LookupService {
  /** USCC -> records the service returns for it. */
  records = new Map<string, object[]>();
  requests: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const code = new URL(req.url ?? '/', 'http://x').searchParams.get('uscc') ?? '';
      this.requests.push(code);
      const list = this.records.get(code) ?? [];
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 200, message: 'success', data: { total: list.length, list } }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/abnormal?uscc={uscc}`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }
}

describe('lookup sources', () => {
  const service = new LookupService();
  let stack: Stack;
  let prisma: PrismaService;
  let sourceId: string;
  const supplierIds: Record<string, string> = {};

  const sweepAndWait = async (lookups: number) => {
    const before = service.requests.length;
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => service.requests.length >= before + lookups, `${lookups} lookups`);
    await waitForIdleQueues(stack);
  };

  beforeAll(async () => {
    const url = await service.start();
    service.records.set(LISTED, [
      {
        entname: '苏州查询测试电子有限公司',
        uniscid: LISTED,
        specause: '通过登记的住所或者经营场所无法联系的',
        abntime: '2026-11-01',
        decorg: '苏州市市场监督管理局',
      },
    ]);
    stack = await startStack(testConfig());
    prisma = stack.worker.get(PrismaService);
    for (const [code, criticality] of [
      [LISTED, 'critical'],
      [CLEAN, 'low'],
    ] as const) {
      supplierIds[code] = (
        await stack.http.post('/v1/suppliers', { uscc: code, nameZh: `测试${code}`, criticality })
      ).data.id;
    }
    const bad = await stack.http.post('/v1/sources', {
      key: `lookup-bad-${stack.config.QUEUE_PREFIX}`,
      name: 'x',
      adapter: 'credit-china-json',
      listKind: 'abnormal_operations',
      mode: 'lookup',
      url: 'https://example.com/api?code=1',
      settings: { list: 'abnormal_operations' },
    });
    expect(bad.status).toBe(400);
    expect(bad.data.errors[0]).toMatchObject({ field: 'url' });
    const source = await stack.http.post('/v1/sources', {
      key: `lookup-${stack.config.QUEUE_PREFIX}`,
      name: 'Credit China abnormal operations (lookup)',
      adapter: 'credit-china-json',
      listKind: 'abnormal_operations',
      mode: 'lookup',
      url,
      settings: { list: 'abnormal_operations' },
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    sourceId = source.data.id;
    // The scheduler's first run sweeps at once.
    await waitFor(async () => service.requests.length >= 2, 'the first sweep');
    await waitForIdleQueues(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await service.stop();
  });

  it('looks each watched company up and lists the one the service has a record for', async () => {
    expect(new Set(service.requests)).toEqual(new Set([LISTED, CLEAN]));
    const listed = await stack.http.get(`/v1/suppliers/${supplierIds[LISTED]}`);
    expect(listed.data.statuses).toEqual([
      expect.objectContaining({ status: 'LISTED', authority: '苏州市市场监督管理局' }),
    ]);
    const clean = await stack.http.get(`/v1/suppliers/${supplierIds[CLEAN]}`);
    expect(clean.data.statuses).toEqual([]);
    const alerts = (await stack.http.get('/v1/alerts', { params: { supplierId: supplierIds[LISTED] } })).data.data;
    // abnormal operations is medium, one step higher for a critical supplier
    expect(alerts).toEqual([expect.objectContaining({ type: 'listed', severity: 'high' })]);
  });

  it('creates nothing when the answers have not changed', async () => {
    const snapshots = await prisma.snapshot.count({ where: { sourceId } });
    await sweepAndWait(2);
    expect(await prisma.snapshot.count({ where: { sourceId } })).toBe(snapshots);
  });

  it('counts a record that silently disappears as removed, and the supplier as delisted', async () => {
    service.records.set(LISTED, []);
    await sweepAndWait(2);
    const status = await stack.http.get(`/v1/suppliers/${supplierIds[LISTED]}`);
    expect(status.data.statuses[0].status).toBe('CLEAR');
    const removed = await prisma.change.findMany({ where: { sourceId, type: 'REMOVED' } });
    expect(removed).toHaveLength(1);
    const alerts = (await stack.http.get('/v1/alerts', { params: { supplierId: supplierIds[LISTED] } })).data.data;
    expect(alerts.map((a: { type: string }) => a.type)).toEqual(['delisted', 'listed']);
    // The other company's lookups never touched this entry.
    expect(await prisma.listEntry.count({ where: { sourceId, active: true } })).toBe(0);
  });

  it('holds lookups beyond the per-minute quota back until the next minute', async () => {
    await stack.http.patch(`/v1/sources/${sourceId}`, { rateLimitPerMinute: 1 });
    // Spend this minute's single lookup, then sweep: the second company's lookup must wait.
    const queues = stack.worker.get(Queues);
    const before = service.requests.length;
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => {
      const delayed = await queues.lookup.getDelayed();
      return delayed.length >= 1 || service.requests.length >= before + 2 ? true : undefined;
    }, 'one lookup to be held back');
    expect(service.requests.length).toBeLessThan(before + 2);
    const held = await queues.lookup.getDelayed();
    expect(held.map((j) => j.id)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${jobId.lookup(sourceId, '').replace(/-$/, '')}`))]),
    );
  });
});
