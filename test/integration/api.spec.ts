import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapOrganization } from '../../apps/api/src/cli/bootstrap-organization';
import { startStack, testConfig, type Stack } from '../support/harness';

/** The API's contract at the edges: keys, roles, tenants, validation and problem+json errors. */
describe('API access and validation', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(testConfig(), { worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses requests without a valid key, as problem+json', async () => {
    const anonymous = await stack.client('').get('/v1/suppliers', { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.data).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/v1/suppliers' });
    const forged = await stack.client('pw_0123456789ab_notarealsecretnotarealsecret').get('/v1/suppliers');
    expect(forged.status).toBe(401);
    expect((await stack.http.get('/health')).data).toEqual({ status: 'ok' });
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await bootstrapOrganization(stack.config.DATABASE_URL, {
      name: 'ignored',
      slug: `org-${stack.config.QUEUE_PREFIX}`,
      role: 'viewer',
    });
    const client = stack.client(viewer.apiKey);
    expect((await client.get('/v1/suppliers')).status).toBe(200);
    const write = await client.post('/v1/suppliers', { nameZh: '测试有限公司' });
    expect(write.status).toBe(403);
    expect(write.data.detail).toContain('procurement');
    expect((await stack.http.get('/v1/suppliers')).data.data).toHaveLength(0);
  });

  it('names the field that is wrong and changes nothing', async () => {
    const badShape = await stack.http.post('/v1/suppliers', { uscc: '12345', nameZh: '某公司' });
    expect(badShape.status).toBe(400);
    expect(badShape.data.errors).toEqual([expect.objectContaining({ field: 'uscc' })]);
    const badEnum = await stack.http.post('/v1/suppliers', { nameZh: '某公司', criticality: 'extreme', colour: 'red' });
    expect(badEnum.status).toBe(400);
    expect(badEnum.data.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'criticality']);
    const badSource = await stack.http.post('/v1/sources', {
      key: 'x-source',
      name: 'x',
      adapter: 'no-such-adapter',
      listKind: 'sanctions',
      url: 'https://example.com/x.csv',
    });
    expect(badSource.status).toBe(400);
    expect(badSource.data.errors[0].field).toBe('adapter');
    const badHook = await stack.http.post('/v1/subscriptions', {
      name: 'x',
      channel: 'webhook',
      settings: { url: 'ftp://example.com', secret: 'short' },
    });
    expect(badHook.status).toBe(400);
    expect(badHook.data.errors[0]).toMatchObject({ field: 'settings' });
    expect((await stack.http.get('/v1/suppliers')).data.data).toHaveLength(0);
    expect((await stack.http.get('/v1/subscriptions')).data.data).toHaveLength(0);
  });

  it('keeps a USCC that fails its check character, with a warning', async () => {
    const res = await stack.http.post('/v1/suppliers', { uscc: '91350211M00013FA1N', nameZh: '厦门某早期企业' });
    expect(res.status).toBe(201);
    expect(res.data.uscc).toBe('91350211M00013FA1N');
    expect(res.data.warnings).toEqual([expect.stringContaining('expected 3')]);
    const duplicate = await stack.http.post('/v1/suppliers', { uscc: '91350211m00013fa1n', nameZh: '重复' });
    expect(duplicate.status).toBe(409);
  });

  it("answers 404 for another organization's ids", async () => {
    const other = await bootstrapOrganization(stack.config.DATABASE_URL, {
      name: 'Other',
      slug: `other-${stack.config.QUEUE_PREFIX}`,
    });
    const mine = await stack.http.post('/v1/suppliers', { nameEn: 'Mine Ltd.' });
    const theirs = stack.client(other.apiKey);
    expect((await theirs.get(`/v1/suppliers/${mine.data.id}`)).status).toBe(404);
    expect((await theirs.patch(`/v1/suppliers/${mine.data.id}`, { nameEn: 'Taken' })).status).toBe(404);
    expect((await theirs.delete(`/v1/suppliers/${mine.data.id}`)).status).toBe(404);
    expect((await theirs.get('/v1/suppliers')).data.data).toHaveLength(0);
    expect((await stack.http.get(`/v1/suppliers/${mine.data.id}`)).data.nameEn).toBe('Mine Ltd.');
  });

  it('paginates suppliers with a cursor and searches Chinese and English names', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await stack.http.post('/v1/suppliers', { nameZh: `分页测试${i}有限公司`, nameEn: `Paging ${i} Co.` })).status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { data: { id: string }[]; nextCursor: string | null } } = await stack.http.get(
        '/v1/suppliers',
        {
          params: { q: '分页测试', limit: 2, ...(cursor ? { cursor } : {}) },
        },
      );
      seen.push(...page.data.data.map((s) => s.id));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect((await stack.http.get('/v1/suppliers', { params: { q: 'paging 3' } })).data.data).toHaveLength(1);
  });

  it('audits writes', async () => {
    const res = await stack.http.post('/v1/watchlists', { name: 'Tier 1', ownerTeam: 'Procurement' });
    expect(res.status).toBe(201);
    const { PrismaService } = await import('@partnerwatch/db');
    const prisma = stack.worker.get(PrismaService);
    const audit = await prisma.auditEvent.findFirst({ where: { targetId: res.data.id } });
    expect(audit).toMatchObject({
      action: 'watchlist.created',
      actorType: 'api_key',
      organizationId: stack.organizationId,
    });
  });
});
