import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@partnerwatch/db';
import { JobName, Queues, jobId } from '@partnerwatch/queue';
import { WebhookReceiver } from '../../apps/demo/src/webhook-receiver';
import { IngestProcessor } from '../../apps/worker/src/processors/ingest.processor';
import { NotifyProcessor } from '../../apps/worker/src/processors/notify.processor';
import { PollProcessor } from '../../apps/worker/src/processors/poll.processor';
import { ScreenProcessor } from '../../apps/worker/src/processors/screen.processor';
import { LoopbackRegistry } from '../support/loopback-registry';
import { startStack, testConfig, type Stack } from '../support/harness';

/**
 * Every processor runs its job twice (a redelivered job, a retry after a crash) and nothing is
 * doubled: one snapshot, one set of changes, one status event, one alert, one webhook.
 * No BullMQ worker consumes these queues; the test hands real jobs to the processors itself.
 */
const HEADER =
  '统一社会信用代码,企业名称,列入经营异常名录原因,列入日期,作出决定机关,移出经营异常名录原因,移出日期,作出移出决定机关';
const USCC = '91520000214434146R';

describe('processors are idempotent', () => {
  const secret = 'whsec_idempotency_0123456789';
  const registry = new LoopbackRegistry();
  const receiver = new WebhookReceiver({ secret });
  let stack: Stack;
  let prisma: PrismaService;
  let queues: Queues;
  let sourceId: string;
  let supplierId: string;

  beforeAll(async () => {
    const url = await registry.start();
    const hook = await receiver.start();
    registry.publish(
      `\uFEFF${HEADER}\r\n${USCC},中航重机股份有限公司,未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的,2026-10-01,贵阳市市场监督管理局,,,\r\n`,
    );
    stack = await startStack(testConfig(), { worker: false });
    prisma = stack.worker.get(PrismaService);
    queues = stack.worker.get(Queues);
    supplierId = (await stack.http.post('/v1/suppliers', { uscc: USCC, nameZh: '中航重机股份有限公司' })).data.id;
    await stack.http.post('/v1/subscriptions', { name: 'hook', channel: 'webhook', settings: { url: hook, secret } });
    const source = await stack.http.post('/v1/sources', {
      key: `idempotency-${stack.config.QUEUE_PREFIX}`,
      name: 'Abnormal operations',
      adapter: 'cn-abnormal-operations',
      listKind: 'abnormal_operations',
      url,
      intervalSeconds: 3600,
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    sourceId = source.data.id;
  });

  afterAll(async () => {
    await stack?.close();
    await registry.stop();
    await receiver.stop();
  });

  it('poll: the second run of the same job stages nothing new', async () => {
    const processor = stack.worker.get(PollProcessor);
    const job = await queues.poll.add(JobName.poll, { sourceId });
    expect(await processor.process(job)).toBe('staged');
    expect(await processor.process(job)).toBe('not-modified');
    expect(await prisma.snapshot.count({ where: { sourceId } })).toBe(1);
  });

  it('ingest: applying the same snapshot twice writes its entries and changes once', async () => {
    const snapshot = await prisma.snapshot.findFirstOrThrow({ where: { sourceId } });
    const processor = stack.worker.get(IngestProcessor);
    const job = await queues.ingest.add(
      JobName.ingest,
      { snapshotId: snapshot.id },
      { jobId: `${jobId.ingest(snapshot.id)}-test` },
    );
    expect(await processor.process(job)).toMatchObject({ outcome: 'applied', counts: { added: 1 } });
    expect(await processor.process(job)).toMatchObject({ outcome: 'already-applied' });
    expect(await prisma.listEntry.count({ where: { sourceId } })).toBe(1);
    // A source's first snapshot records its entries, not changes: a change is between two snapshots.
    expect(await prisma.change.count({ where: { sourceId } })).toBe(0);
    expect(await prisma.listEntry.count({ where: { sourceId, snapshotId: snapshot.id } })).toBe(1);
    // A first listing has no superseded version yet.
    const entry = await prisma.listEntry.findFirstOrThrow({ where: { sourceId } });
    expect(await prisma.listEntryVersion.count({ where: { entryId: entry.id } })).toBe(0);
    expect(await prisma.listEntryIdentifier.findMany({ where: { entryId: entry.id } })).toEqual([
      { entryId: entry.id, sourceId, scheme: 'uscc', value: USCC },
    ]);
  });

  it('screen: screening the same snapshot twice makes one status event, one alert, one delivery', async () => {
    const snapshot = await prisma.snapshot.findFirstOrThrow({ where: { sourceId } });
    const processor = stack.worker.get(ScreenProcessor);
    const job = await queues.screen.add(JobName.screenSnapshot, { target: 'snapshot', snapshotId: snapshot.id });
    expect(await processor.process(job)).toMatchObject({ events: 1 });
    expect(await processor.process(job)).toMatchObject({ events: 0 });
    const supplierJob = await queues.screen.add(JobName.screenSupplier, { target: 'supplier', supplierId });
    expect(await processor.process(supplierJob)).toMatchObject({ events: 0 });
    expect(await prisma.statusEvent.count({ where: { supplierId } })).toBe(1);
    expect(await prisma.alert.count({ where: { supplierId } })).toBe(1);
    expect(await prisma.delivery.count({ where: { alert: { supplierId } } })).toBe(1);
    expect(await prisma.match.count({ where: { supplierId } })).toBe(1);
  });

  it('notify: sending the same delivery twice reaches the receiver once', async () => {
    const delivery = await prisma.delivery.findFirstOrThrow({ where: { alert: { supplierId } } });
    const processor = stack.worker.get(NotifyProcessor);
    const job = await queues.notify.add(
      JobName.deliver,
      { deliveryId: delivery.id },
      { jobId: `${jobId.deliver(delivery.id)}-test` },
    );
    expect(await processor.process(job)).toBe('delivered');
    expect(await processor.process(job)).toBe('already-done');
    expect(receiver.requests).toBe(1);
    expect(receiver.received[0]!.deliveryId).toBe(delivery.id);
    expect(await prisma.deliveryAttempt.count({ where: { deliveryId: delivery.id } })).toBe(1);
  });
});
