import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSL_COLUMNS } from '../../libs/sources/src/csl/csl-record.mapper';
import { LoopbackRegistry } from '../support/loopback-registry';
import { startStack, testConfig, waitFor, waitForIdleQueues, type Stack } from '../support/harness';
import { uscc } from '../unit/sources/source-fixtures';

/**
 * The Consolidated Screening List mixes lists of different meaning in one export: an entry's own
 * list kind (Entity List: export control; ITAR debarred: debarment), not the source's, decides the
 * alert's severity and what it says.
 */
const ENTITY_LIST = 'Entity List (EL) - Bureau of Industry and Security';
const DTC = 'ITAR Debarred (DTC) - State Department';
const ON_ENTITY_LIST = uscc('91440300MA5DXXXX0');
const DEBARRED = uscc('91440300MA5DYYYY0');

function csl(rows: Partial<Record<(typeof CSL_COLUMNS)[number], string>>[]): string {
  const line = (values: string[]) => values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
  return [line([...CSL_COLUMNS]), ...rows.map((r) => line(CSL_COLUMNS.map((c) => r[c] ?? '')))].join('\n') + '\n';
}

describe('per-entry list kinds', () => {
  const registry = new LoopbackRegistry();
  let stack: Stack;

  beforeAll(async () => {
    const url = await registry.start();
    registry.publish(
      csl([
        {
          _id: 'el-1',
          source: ENTITY_LIST,
          type: 'Entity',
          name: 'Shenzhen Example Microelectronics Co., Ltd.',
          ids: `Unified Social Credit Code (USCC), ${ON_ENTITY_LIST}, CN`,
          start_date: '2024-05-09',
        },
        {
          _id: 'dtc-1',
          source: DTC,
          type: 'Entity',
          name: 'Shenzhen Example Defense Trading Co., Ltd.',
          ids: `Unified Social Credit Code (USCC), ${DEBARRED}, CN`,
          start_date: '2021-03-02',
        },
      ]),
    );
    stack = await startStack(testConfig());
    for (const [code, nameEn] of [
      [ON_ENTITY_LIST, 'Shenzhen Example Microelectronics Co., Ltd.'],
      [DEBARRED, 'Shenzhen Example Defense Trading Co., Ltd.'],
    ]) {
      expect((await stack.http.post('/v1/suppliers', { uscc: code, nameEn, criticality: 'medium' })).status).toBe(201);
    }
    const source = await stack.http.post('/v1/sources', {
      key: `csl-${stack.config.QUEUE_PREFIX}`,
      name: 'Consolidated Screening List (test)',
      adapter: 'us-csl-csv',
      listKind: 'export_control',
      url,
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    await waitFor(async () => (await stack.http.get('/v1/alerts')).data.data.length === 2, 'two alerts');
    await waitForIdleQueues(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await registry.stop();
  });

  it("grades each alert by its entry's list, matched by the USCC buried in the list's ids", async () => {
    const alerts = (await stack.http.get('/v1/alerts')).data.data as any[];
    const bySupplier = new Map(alerts.map((a) => [a.details.supplier.uscc, a]));
    expect(bySupplier.get(ON_ENTITY_LIST)).toMatchObject({
      severity: 'critical',
      details: { listing: { listKind: 'export_control' } },
    });
    expect(bySupplier.get(DEBARRED)).toMatchObject({
      severity: 'high',
      details: { listing: { listKind: 'debarment' } },
    });
  });
});
