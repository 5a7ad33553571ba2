import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '@partnerwatch/config';
import { PrismaService } from '@partnerwatch/db';
import { SOURCE_CATALOG } from '@partnerwatch/sources';
import { SourceCatalogService, SourceDefinitionError } from '../../apps/worker/src/schedulers/source-catalog.service';
import { startStack, testConfig, type Stack } from '../support/harness';

/** Public sources come from the catalog, SOURCES_FILE and SOURCES_ENABLED; bad definitions stop the worker. */
describe('source catalog', () => {
  let stack: Stack;
  let prisma: PrismaService;
  const file = (name: string, content: unknown) => {
    const p = path.join(tmpdir(), `pw-sources-${process.pid}-${name}.json`);
    writeFileSync(p, JSON.stringify(content));
    return p;
  };
  const service = (overrides: Partial<AppConfig>) =>
    new SourceCatalogService({ ...stack.config, ...overrides } as AppConfig, prisma);

  beforeAll(async () => {
    stack = await startStack(testConfig(), { worker: false });
    prisma = stack.worker.get(PrismaService);
  });
  afterAll(async () => {
    // Leave no enabled public source behind for the next suite's worker to poll.
    await prisma?.source.deleteMany({ where: { organizationId: null, snapshots: { none: {} } } });
    await stack?.close();
  });

  it('creates every catalog source, enabling only those named, with overrides from SOURCES_FILE', async () => {
    const sources = file('ok', [
      { key: 'cn-abnormal-operations', url: 'https://data.example.gov.cn/jyyc.csv', enabled: true },
      {
        key: 'jiangsu-penalties',
        name: 'Jiangsu administrative penalties',
        adapter: 'cn-admin-penalties',
        listKind: 'admin_penalty',
        url: 'https://data.example.gov.cn/xzcf.xlsx',
        guard: { maxRemovedShare: 0.2 },
      },
    ]);
    const result = await service({ SOURCES_ENABLED: 'ofac-sdn, un-consolidated', SOURCES_FILE: sources }).sync();
    expect(result).toEqual({ sources: SOURCE_CATALOG.length + 1, enabled: 3 });
    const rows = await prisma.source.findMany({ where: { organizationId: null } });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(byKey.get('ofac-sdn')).toMatchObject({ enabled: true, adapter: 'ofac-sdn-csv', listKind: 'sanctions' });
    expect(byKey.get('ofac-sdn')!.url).toMatch(/^https:\/\/sanctionslistservice\.ofac\.treas\.gov\//);
    expect(byKey.get('us-csl')).toMatchObject({ enabled: false });
    expect(byKey.get('cn-abnormal-operations')).toMatchObject({
      enabled: true,
      url: 'https://data.example.gov.cn/jyyc.csv',
    });
    expect(byKey.get('jiangsu-penalties')).toMatchObject({ enabled: false, guard: { maxRemovedShare: 0.2 } });
    const catalog = await stack.http.get('/v1/sources/catalog');
    expect(catalog.data.data.find((c: any) => c.key === 'ofac-sdn')).toMatchObject({ enabled: true });
  });

  it('stops with a message naming the source and the field', () => {
    const cases: [Partial<AppConfig>, RegExp][] = [
      [{ SOURCES_ENABLED: 'no-such-list' }, /SOURCES_ENABLED names "no-such-list"/],
      [{ SOURCES_ENABLED: 'world-bank-debarred' }, /"world-bank-debarred": it is enabled but has no url/],
      [
        { SOURCES_FILE: file('bad-field', [{ key: 'ofac-sdn', colour: 'red' }]) },
        /"ofac-sdn": colour is not a known field/,
      ],
      [
        { SOURCES_FILE: file('bad-new', [{ key: 'mine', url: 'https://x.example/a.csv' }]) },
        /"mine": name is required/,
      ],
      [
        { SOURCES_FILE: file('bad-settings', [{ key: 'un-consolidated', settings: { colour: 'red' } }]) },
        /source "un-consolidated": .*colour/,
      ],
      [
        { SOURCES_FILE: file('bad-url', [{ key: 'bis-dpl', url: 'ftp://x' }]) },
        /"bis-dpl": url "ftp:\/\/x" is not an http/,
      ],
    ];
    for (const [overrides, message] of cases) {
      expect(() => service(overrides).definitions()).toThrow(SourceDefinitionError);
      expect(() => service(overrides).definitions()).toThrow(message);
    }
  });
});
