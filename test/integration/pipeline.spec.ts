import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@partnerwatch/db';
import { WebhookReceiver } from '../../apps/demo/src/webhook-receiver';
import { LoopbackRegistry } from '../support/loopback-registry';
import { startStack, testConfig, waitFor, waitForIdleQueues, type Stack } from '../support/harness';

/**
 * The walking skeleton end to end on the real stack: a loopback registry publishes China's
 * abnormal-operations list (official headers, GB18030), the worker polls it through BullMQ on
 * Redis, diffs and applies snapshots in PostgreSQL, screens changes against suppliers by USCC,
 * and delivers signed webhooks to a loopback receiver.
 */
const HEADER =
  '统一社会信用代码,企业名称,列入经营异常名录原因,列入日期,作出决定机关,移出经营异常名录原因,移出日期,作出移出决定机关';
const REASON = '通过登记的住所或者经营场所无法联系的';
const AUTHORITY = '苏州市市场监督管理局';

// Valid GB 32100 codes (check characters verified by the unit tests of the USCC rules).
const HUAWEI = '914403001922038216';
const TENCENT = '9144030071526726XG';
const ALIBABA = '91330100799655058B';
const BACKGROUND = '91310110666007217T';

function row(
  uscc: string,
  name: string,
  listedOn: string,
  removal?: { reason: string; on: string; authority: string },
): string {
  return [
    uscc,
    name,
    REASON,
    listedOn,
    AUTHORITY,
    removal?.reason ?? '',
    removal?.on ?? '',
    removal?.authority ?? '',
  ].join(',');
}

function exportGb18030(rows: string[]): Buffer {
  return iconv.encode([HEADER, ...rows].join('\r\n') + '\r\n', 'gb18030');
}

describe('pipeline: registry export to signed webhook', () => {
  const secret = 'whsec_test_0123456789abcdef';
  const registry = new LoopbackRegistry();
  const receiver = new WebhookReceiver({ secret });
  let stack: Stack;
  let prisma: PrismaService;
  let sourceId: string;
  const supplierIds: Record<string, string> = {};

  beforeAll(async () => {
    const registryUrl = await registry.start();
    const hookUrl = await receiver.start();
    registry.publish(exportGb18030([row(BACKGROUND, '上海某某贸易有限公司', '2024-03-01')]));
    stack = await startStack(testConfig());
    prisma = stack.worker.get(PrismaService);

    for (const [code, nameZh, criticality] of [
      [HUAWEI, '华为技术有限公司', 'critical'],
      [TENCENT, '腾讯科技（深圳）有限公司', 'medium'],
      [ALIBABA, '阿里巴巴（中国）有限公司', 'medium'],
    ] as const) {
      const res = await stack.http.post('/v1/suppliers', { uscc: code, nameZh, criticality, tags: ['tier-1'] });
      expect(res.status, JSON.stringify(res.data)).toBe(201);
      supplierIds[code] = res.data.id;
    }
    const sub = await stack.http.post('/v1/subscriptions', {
      name: 'procurement webhook',
      channel: 'webhook',
      settings: { url: hookUrl, secret },
    });
    expect(sub.status, JSON.stringify(sub.data)).toBe(201);
    expect(sub.data.settings.secret).not.toContain(secret.slice(0, 8));

    const src = await stack.http.post('/v1/sources', {
      key: `cn-abnormal-ops-${stack.config.QUEUE_PREFIX}`,
      name: 'Abnormal operations (Suzhou)',
      adapter: 'cn-abnormal-operations',
      listKind: 'abnormal_operations',
      url: registryUrl,
      intervalSeconds: 3600,
      // A list this small changes by large shares; the quarantine has its own tests.
      guard: { maxRemovedShare: 1 },
    });
    expect(src.status, JSON.stringify(src.data)).toBe(201);
    sourceId = src.data.id;
    // Creating the source schedules it, and the scheduler's first run polls at once.
    await waitFor(
      async () => (await prisma.snapshot.count({ where: { sourceId, status: 'applied' } })) === 1,
      'first snapshot',
    );
    await waitForIdleQueues(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await registry.stop();
    await receiver.stop();
  });

  it('alerts once when a watched supplier is listed, with a signed webhook carrying the evidence', async () => {
    expect(receiver.received).toHaveLength(0); // the first export lists nobody we watch
    registry.publish(
      exportGb18030([
        row(BACKGROUND, '上海某某贸易有限公司', '2024-03-01'),
        row(HUAWEI, '华为技术有限公司', '2026-11-20'),
      ]),
    );
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    const hook = await waitFor(async () => receiver.received[0], 'the LISTED webhook');
    await waitForIdleQueues(stack);

    expect(receiver.received).toHaveLength(1);
    expect(hook.verified).toBe(true);
    expect(hook.event).toBe('alert.listed');
    const alert = hook.body.alert as Record<string, any>;
    expect(alert.supplier.uscc).toBe(HUAWEI);
    // abnormal operations is "medium", raised one step for a critical supplier
    expect(alert.severity).toBe('high');
    expect(alert.listing.reason).toBe(REASON);
    expect(alert.listing.authority).toBe(AUTHORITY);
    expect(alert.listing.listedOn).toBe('2026-11-20');
    expect(alert.evidence.snapshotContentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.body.id).toBe(hook.deliveryId);

    const status = await stack.http.get(`/v1/suppliers/${supplierIds[HUAWEI]}`);
    expect(status.data.statuses).toEqual([
      expect.objectContaining({ status: 'LISTED', reason: REASON, authority: AUTHORITY }),
    ]);
    const deliveries = await stack.http.get('/v1/deliveries');
    expect(deliveries.data.data).toHaveLength(1);
    expect(deliveries.data.data[0]).toMatchObject({ status: 'delivered', attemptCount: 1 });
    expect(deliveries.data.data[0].attempts).toEqual([expect.objectContaining({ ok: true, httpStatus: 200 })]);
  });

  it('costs one conditional request and creates no work when the export has not changed', async () => {
    const snapshotsBefore = await prisma.snapshot.count({ where: { sourceId } });
    const requestsBefore = registry.requests.length;
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => registry.requests.length > requestsBefore, 'the poll');
    await waitForIdleQueues(stack);
    expect(registry.requests.slice(requestsBefore)).toEqual([expect.objectContaining({ status: 304 })]);
    expect(registry.requests.at(-1)!.headers['if-none-match']).toBeDefined();
    expect(await prisma.snapshot.count({ where: { sourceId } })).toBe(snapshotsBefore);
    const source = await stack.http.get(`/v1/sources/${sourceId}`);
    expect(source.data).toMatchObject({ lastPollResult: 'not-modified', entryCount: 2, lastError: null });
  });

  it('records ADDED, MODIFIED and REMOVED changes and alerts on delisting and a new listing', async () => {
    // Huawei's row now carries removal details (delisted by the registry); Tencent is listed;
    // the background company's row disappears.
    registry.publish(
      exportGb18030([
        row(HUAWEI, '华为技术有限公司', '2026-11-20', {
          reason: '依法办理住所或者经营场所变更登记',
          on: '2026-11-21',
          authority: AUTHORITY,
        }),
        row(TENCENT, '腾讯科技（深圳）有限公司', '2026-11-21'),
      ]),
    );
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => receiver.received.length >= 3 && receiver.received, 'two more webhooks');
    await waitForIdleQueues(stack);

    const snapshot = await prisma.snapshot.findFirstOrThrow({ where: { sourceId }, orderBy: { fetchedAt: 'desc' } });
    expect(snapshot).toMatchObject({ status: 'applied', addedCount: 1, modifiedCount: 1, removedCount: 1 });
    const changes = await prisma.change.findMany({ where: { snapshotId: snapshot.id }, include: { entry: true } });
    expect(changes.map((c) => c.type).sort()).toEqual(['ADDED', 'MODIFIED', 'REMOVED']);
    const modified = changes.find((c) => c.type === 'MODIFIED')!;
    expect(modified).toMatchObject({ fromVersion: 1, toVersion: 2 });
    // The superseded version is kept; the current one is the entry itself.
    expect(await prisma.listEntryVersion.count({ where: { entryId: modified.entryId } })).toBe(1);

    expect(receiver.received.map((r) => r.event).sort()).toEqual(['alert.delisted', 'alert.listed', 'alert.listed']);
    const alerts = await stack.http.get('/v1/alerts');
    const huaweiListed = alerts.data.data.find((a: any) => a.type === 'listed' && a.supplierId === supplierIds[HUAWEI]);
    // A delisting closes the open alert of that listing.
    expect(huaweiListed).toMatchObject({ state: 'resolved', resolution: 'delisted' });
    const huawei = await stack.http.get(`/v1/suppliers/${supplierIds[HUAWEI]}`);
    expect(huawei.data.statuses[0].status).toBe('CLEAR');
    const tencent = await stack.http.get(`/v1/suppliers/${supplierIds[TENCENT]}`);
    expect(tencent.data.statuses[0]).toMatchObject({ status: 'LISTED', listedOn: '2026-11-21' });
  });

  it('retries a receiver that is down, with every attempt in the delivery history', async () => {
    receiver.failNext(2);
    const before = receiver.received.length;
    registry.publish(
      exportGb18030([
        row(HUAWEI, '华为技术有限公司', '2026-11-20', {
          reason: '依法办理住所或者经营场所变更登记',
          on: '2026-11-21',
          authority: AUTHORITY,
        }),
        row(TENCENT, '腾讯科技（深圳）有限公司', '2026-11-21'),
        row(ALIBABA, '阿里巴巴（中国）有限公司', '2026-11-22'),
      ]),
    );
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    const hook = await waitFor(async () => receiver.received[before], 'the retried webhook');
    await waitForIdleQueues(stack);
    expect(receiver.received).toHaveLength(before + 1);
    const delivery = await stack.http.get(`/v1/deliveries/${hook.deliveryId}`);
    expect(delivery.data).toMatchObject({ status: 'delivered', attemptCount: 3 });
    expect(delivery.data.attempts.map((a: any) => [a.ok, a.httpStatus])).toEqual([
      [false, 503],
      [false, 503],
      [true, 200],
    ]);
    expect(receiver.duplicates).toBe(0);
  });

  it('screens a new supplier against the current list when it is added', async () => {
    await stack.http.delete(`/v1/suppliers/${supplierIds[ALIBABA]}`);
    const before = receiver.received.length;
    const res = await stack.http.post('/v1/suppliers', {
      uscc: ALIBABA.toLowerCase(),
      nameZh: '阿里巴巴（中国）有限公司',
    });
    expect(res.status).toBe(201);
    expect(res.data.uscc).toBe(ALIBABA);
    const hook = await waitFor(async () => receiver.received[before], 'the webhook for the new supplier');
    expect(hook.event).toBe('alert.listed');
    expect((hook.body.alert as any).supplier.id).toBe(res.data.id);
  });
});
