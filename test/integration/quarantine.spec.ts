import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@partnerwatch/db';
import { WebhookReceiver } from '../../apps/demo/src/webhook-receiver';
import { LoopbackRegistry } from '../support/loopback-registry';
import { startStack, testConfig, waitFor, waitForIdleQueues, type Stack } from '../support/harness';
import { uscc } from '../unit/sources/source-fixtures';

/**
 * A broken download must never become a flood of "delisted" alerts: suspicious snapshots are held
 * in quarantine with a clear reason, the last good snapshot stays in force, the organization is
 * alerted, and an admin approves or rejects.
 */
const HEADER =
  '统一社会信用代码,企业名称,列入经营异常名录原因,列入日期,作出决定机关,移出经营异常名录原因,移出日期,作出移出决定机关';

function rows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const code = uscc(`9132050000000${String(i).padStart(4, '0')}`);
    return `${code},苏州测试${i}电子有限公司,通过登记的住所或者经营场所无法联系的,2026-0${1 + (i % 9)}-15,苏州市市场监督管理局,,,`;
  });
}
const csv = (lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

describe('quarantine of suspicious snapshots', () => {
  const registry = new LoopbackRegistry();
  const secret = 'whsec_quarantine_0123456789';
  const receiver = new WebhookReceiver({ secret });
  let stack: Stack;
  let prisma: PrismaService;
  let sourceId: string;

  const pollAndWait = async () => {
    const before = await prisma.snapshot.count({ where: { sourceId } });
    const requests = registry.requests.length;
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => registry.requests.length > requests, 'the poll request');
    await waitForIdleQueues(stack);
    const after = await prisma.snapshot.findMany({ where: { sourceId }, orderBy: { fetchedAt: 'desc' } });
    return after.length > before ? after[0]! : undefined;
  };
  const activeEntries = () => prisma.listEntry.count({ where: { sourceId, active: true } });

  beforeAll(async () => {
    const url = await registry.start();
    const hook = await receiver.start();
    registry.publish(csv(rows(40)));
    stack = await startStack(testConfig({ FETCH_MAX_BYTES: '50000' }));
    prisma = stack.worker.get(PrismaService);
    await stack.http.post('/v1/subscriptions', { name: 'ops', channel: 'webhook', settings: { url: hook, secret } });
    const source = await stack.http.post('/v1/sources', {
      key: `quarantine-${stack.config.QUEUE_PREFIX}`,
      name: 'Abnormal operations (test)',
      adapter: 'cn-abnormal-operations',
      listKind: 'abnormal_operations',
      url,
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    sourceId = source.data.id;
    await waitFor(async () => (await activeEntries()) === 40, 'the first snapshot');
    await waitForIdleQueues(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await registry.stop();
    await receiver.stop();
  });

  let dropped: string;
  let truncated: string;

  it('holds an export that drops 30% of its entries, alerts the organization, and keeps the last good state', async () => {
    registry.publish(csv(rows(28)));
    const snapshot = await pollAndWait();
    expect(snapshot).toMatchObject({ status: 'quarantined', removedCount: 12 });
    expect(snapshot!.statusReason).toBe('it removes 12 of 40 entries (30%), above the 5.0% threshold');
    dropped = snapshot!.id;
    expect(await activeEntries()).toBe(40);
    expect(await prisma.change.count({ where: { snapshotId: dropped } })).toBe(0);

    const alerts = await stack.http.get('/v1/alerts', { params: { type: 'source_quarantined' } });
    expect(alerts.data.data).toHaveLength(1);
    expect(alerts.data.data[0]).toMatchObject({ severity: 'high', supplierId: null, sourceId });
    const hook = await waitFor(
      async () => receiver.received.find((r) => r.event === 'alert.source_quarantined'),
      'the webhook',
    );
    expect((hook.body.alert as any).snapshot, JSON.stringify(hook.body)).toMatchObject({
      id: dropped,
      wouldRemove: 12,
    });

    const health = await stack.http.get(`/v1/sources/${sourceId}`);
    expect(health.data.entryCount).toBe(40);
    expect(health.data.snapshots[0]).toMatchObject({ id: dropped, status: 'quarantined' });
    const list = await stack.http.get('/v1/sources');
    expect(list.data.data.find((s: any) => s.id === sourceId).quarantinedSnapshots).toBe(1);
  });

  it('holds a CSV cut mid-row, saying it is truncated', async () => {
    const whole = csv(rows(40));
    registry.publish(whole.slice(0, whole.length - 30));
    const snapshot = await pollAndWait();
    expect(snapshot!.status).toBe('quarantined');
    expect(snapshot!.statusReason).toMatch(/truncated/);
    truncated = snapshot!.id;
    expect(await activeEntries()).toBe(40);
  });

  it('holds an empty export', async () => {
    registry.publish(csv([]));
    const snapshot = await pollAndWait();
    expect(snapshot).toMatchObject({ status: 'quarantined', statusReason: 'the export is empty' });
    expect(await activeEntries()).toBe(40);
  });

  it('refuses an oversized download before parsing anything, with the reason on the source', async () => {
    registry.publish(csv(rows(600)));
    const snapshot = await pollAndWait();
    expect(snapshot).toBeUndefined();
    const health = await stack.http.get(`/v1/sources/${sourceId}`);
    expect(health.data.lastError).toMatch(/50000-byte limit/);
    expect(health.data.lastPollResult).toBe('error');
    expect(await activeEntries()).toBe(40);
  });

  it('lets an admin reject one snapshot and approve another; only approved ones are applied', async () => {
    const rejected = await stack.http.post(`/v1/sources/${sourceId}/snapshots/${truncated}/reject`, {
      note: 'cut download',
    });
    expect(rejected.status).toBe(201);
    expect((await prisma.snapshot.findUniqueOrThrow({ where: { id: truncated } })).status).toBe('rejected');
    const again = await stack.http.post(`/v1/sources/${sourceId}/snapshots/${truncated}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.data.detail).toContain('rejected');

    const approved = await stack.http.post(`/v1/sources/${sourceId}/snapshots/${dropped}/approve`, {
      note: 'real mass removal',
    });
    expect(approved.status).toBe(202);
    await waitFor(async () => (await activeEntries()) === 28, 'the approved snapshot to apply');
    const snapshot = await prisma.snapshot.findUniqueOrThrow({ where: { id: dropped } });
    expect(snapshot).toMatchObject({ status: 'applied', removedCount: 12 });
    expect(snapshot.decidedBy).toBeTruthy();
    expect(await prisma.change.count({ where: { snapshotId: dropped, type: 'REMOVED' } })).toBe(12);
    const audit = await prisma.auditEvent.findMany({ where: { targetId: { in: [dropped, truncated] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['snapshot.approved', 'snapshot.rejected']);
  });

  it('refuses bad quarantine thresholds, naming the field', async () => {
    const res = await stack.http.patch(`/v1/sources/${sourceId}`, { guard: { maxRemovedShare: 2, colour: 'red' } });
    expect(res.status).toBe(400);
    expect(res.data.errors[0].field).toBe('guard');
    expect(res.data.detail).toContain('guard.maxRemovedShare must be a number from 0 to 1');
  });
});

describe('XML exports that must not be applied', () => {
  const registry = new LoopbackRegistry();
  let stack: Stack;
  let prisma: PrismaService;
  let sourceId: string;

  const entity = (ref: string, name: string) =>
    `<ENTITY><FIRST_NAME>${name}</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>${ref}</REFERENCE_NUMBER>` +
    `<LISTED_ON>2016-11-30</LISTED_ON><ENTITY_ADDRESS><COUNTRY>China</COUNTRY></ENTITY_ADDRESS></ENTITY>`;
  const unXml = (entities: string[]) =>
    `<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-11-22T00:00:00Z">` +
    `<INDIVIDUALS></INDIVIDUALS><ENTITIES>${entities.join('')}</ENTITIES></CONSOLIDATED_LIST>\n`;
  const good = unXml([entity('KPe.001', 'ALPHA TRADING CO.'), entity('KPe.002', 'BETA SHIPPING LTD.')]);

  const pollAndWait = async () => {
    const requests = registry.requests.length;
    await stack.http.post(`/v1/sources/${sourceId}/poll`);
    await waitFor(async () => registry.requests.length > requests, 'the poll request');
    await waitForIdleQueues(stack);
    return prisma.snapshot.findFirstOrThrow({ where: { sourceId }, orderBy: { fetchedAt: 'desc' } });
  };
  const activeKeys = async () =>
    (await prisma.listEntry.findMany({ where: { sourceId, active: true }, select: { entryKey: true } }))
      .map((e) => e.entryKey)
      .sort();

  beforeAll(async () => {
    const url = await registry.start();
    registry.publish(good, 'application/xml');
    stack = await startStack(testConfig());
    prisma = stack.worker.get(PrismaService);
    const source = await stack.http.post('/v1/sources', {
      key: `un-xml-${stack.config.QUEUE_PREFIX}`,
      name: 'UN consolidated (test)',
      adapter: 'un-consolidated-xml',
      listKind: 'sanctions',
      url,
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    sourceId = source.data.id;
    await waitFor(async () => (await activeKeys()).length === 2, 'the first snapshot');
    await waitForIdleQueues(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await registry.stop();
  });

  it('refuses an entity bomb (a DTD) without expanding it, and keeps the last good state', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      '<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&lol3;</FIRST_NAME><REFERENCE_NUMBER>X</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>';
    registry.publish(bomb, 'application/xml');
    const snapshot = await pollAndWait();
    expect(snapshot.status).toBe('failed');
    expect(snapshot.statusReason).toMatch(/DTD is refused/);
    expect((await stack.http.get(`/v1/sources/${sourceId}`)).data.lastError).toMatch(/DTD is refused/);
    expect(await activeKeys()).toEqual(['KPe.001', 'KPe.002']);
  });

  it('refuses a truncated XML export, after reading the complete records before the cut', async () => {
    registry.publish(good.slice(0, good.indexOf('BETA')), 'application/xml');
    const snapshot = await pollAndWait();
    expect(snapshot.status).toBe('failed');
    expect(snapshot.statusReason).toMatch(/truncated/);
    expect(await activeKeys()).toEqual(['KPe.001', 'KPe.002']);
    expect(await prisma.stagedEntry.count({ where: { snapshotId: snapshot.id } })).toBe(0);
  });
});
