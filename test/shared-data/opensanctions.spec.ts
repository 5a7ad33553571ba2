import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { primaryName, type ListRecord } from '@partnerwatch/domain';
import {
  PgPool,
  SnapshotApplyRepository,
  StagingRepository,
  type StagedRecord,
  type StagedRemoval,
} from '@partnerwatch/db';
import { loadConfig } from '@partnerwatch/config';
import { staticParseContext, type FetchPlan, type ParseItem, type PlanContext } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { openSanctionsFtmAdapter as adapter } from '../../libs/sources/src/opensanctions/opensanctions.adapter';
import type { OpenSanctionsSettings } from '../../libs/sources/src/opensanctions/opensanctions-settings';
import { sharedDataPath } from '../support/shared-data';

const ENTITIES_FILE = 'opensanctions-entities-ftm-sample-yente-916a474.json';
const CATALOG_FILE = 'opensanctions-catalog-index-2024-06-13.json';
const DELTA_INDEX_FILE = 'opensanctions-sanctions-delta-index-2024-05-28.json';
/** The versions whose delta files are in shared/data (the delta index also lists an older one). */
const DELTA_VERSIONS = ['20240527194702-wnk', '20240528014702-pfh', '20240528074703-npf', '20240528134729-3iv'];
const deltaFile = (version: string) => `opensanctions-sanctions-delta-${version}.json`;

/** What the test knows from reading the files with JSON.parse, independently of the adapter. */
interface RawEntity {
  id: string;
  caption: string;
  schema: string;
  target?: boolean;
}
interface RawOp {
  op: string;
  entity: RawEntity;
}

const jsonLines = <T>(file: string): T[] =>
  readFileSync(sharedDataPath(file), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);

const open = (file: string) => (): Readable => createReadStream(sharedDataPath(file), { highWaterMark: 1024 });

/** Parse the plan's resources in order, each opened from its shared/data file. */
async function parsePlanFiles(files: Record<string, string>, settings: unknown = {}): Promise<ParseItem[]> {
  const resources = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, open(file)]));
  const context = staticParseContext(adapter.parseSettings(settings), resources);
  const items: ParseItem[] = [];
  for await (const item of adapter.parse(context.open(Object.keys(files)[0]!), context)) items.push(item);
  return items;
}

const describeItem = (item: ParseItem): string =>
  'record' in item ? `record ${item.record.key}` : 'remove' in item ? `remove ${item.remove}` : 'error';

const parsedFiles = new Map<string, unknown>();
/** A shared/data JSON file, parsed once: the catalog is 2.8 MB and is planned against ~170 times. */
function readJson(file: string): unknown {
  if (!parsedFiles.has(file)) parsedFiles.set(file, JSON.parse(readFileSync(sharedDataPath(file), 'utf8')));
  return parsedFiles.get(file);
}

/** A plan through a fetchJson that serves local files for the URLs the test names. */
async function planWith(
  cursor: string | null,
  settings: unknown,
  documents: Record<string, string>,
): Promise<FetchPlan> {
  const context: PlanContext<OpenSanctionsSettings> = {
    url: 'https://data.opensanctions.org/unused',
    settings: adapter.parseSettings(settings),
    cursor,
    signal: new AbortController().signal,
    fetchJson: (url) => {
      const file = documents[url];
      if (!file) return Promise.reject(new Error(`unexpected fetch of ${url}`));
      return Promise.resolve(readJson(file));
    },
  };
  return adapter.plan!(context);
}

describe('OpenSanctions FtM entities (yente fixture)', () => {
  it('parses with zero errors and keeps exactly the targets', async () => {
    const raw = jsonLines<RawEntity>(ENTITIES_FILE);
    const items = await parsePlanFiles({ main: ENTITIES_FILE });
    expect(items.filter((i) => 'error' in i)).toEqual([]);
    const records = items.flatMap((i) => ('record' in i ? [i.record] : []));
    const targets = raw.filter((e) => e.target === true);
    expect(targets.length).toBeLessThan(raw.length);
    expect(records.map((r) => r.key)).toEqual(targets.map((e) => e.id));
    expect(records.map((r) => primaryName(r))).toEqual(targets.map((e) => e.caption));
    const inter = records.find((r) => r.key === 'NK-2GdmHtZTeNXjNVrBGEXZNj');
    expect(inter).toMatchObject({
      entityType: 'organization',
      country: 'BY',
      listedOn: '2022-06-03',
      identifiers: [{ scheme: 'registration', value: '808000714' }],
      authority: 'eu_fsf',
      programs: ['sanction'],
    });
    const kuzmenko = records.find((r) => r.key === 'NK-2Ka3UvopqbpZmVDFjWd4LA');
    expect(kuzmenko).toMatchObject({ entityType: 'person', country: 'RU', identifiers: [{ scheme: 'tax' }] });
  });
});

describe('OpenSanctions catalog index.json (2024-06-13)', () => {
  const CATALOG_URL = 'https://data.opensanctions.org/datasets/latest/index.json';
  interface RawDataset {
    name: string;
    version?: string;
    delta_url?: string;
    resources?: { name: string; url: string }[];
  }
  const catalog = JSON.parse(readFileSync(sharedDataPath(CATALOG_FILE), 'utf8')) as { datasets: RawDataset[] };
  const sanctions = catalog.datasets.find((d) => d.name === 'sanctions')!;

  it('plans the whole export of a dataset it lists, then follows its delta index', async () => {
    const settings = { indexUrl: CATALOG_URL, dataset: 'sanctions' };
    const entities = sanctions.resources!.find((r) => r.name === 'entities.ftm.json')!;
    const first = await planWith(null, settings, { [CATALOG_URL]: CATALOG_FILE });
    expect(first).toEqual({
      mode: 'full',
      resources: [{ name: 'entities.ftm.json', url: entities.url }],
      cursor: sanctions.version,
    });
    // Already at the catalog's version: nothing to fetch.
    expect(await planWith(sanctions.version!, settings, { [CATALOG_URL]: CATALOG_FILE })).toEqual({
      mode: 'delta',
      resources: [],
      cursor: sanctions.version,
    });
    // Older than every version the delta index lists: the whole export again.
    const documents = { [CATALOG_URL]: CATALOG_FILE, [sanctions.delta_url!]: DELTA_INDEX_FILE };
    expect(await planWith('20240501000000-old', settings, documents)).toEqual(first);
  });

  it('plans every dataset that publishes entities.ftm.json', async () => {
    const withEntities = catalog.datasets.filter((d) => d.resources?.some((r) => r.name === 'entities.ftm.json'));
    expect(withEntities.length).toBeGreaterThan(100);
    for (const dataset of withEntities) {
      const plan = await planWith(
        null,
        { indexUrl: CATALOG_URL, dataset: dataset.name },
        { [CATALOG_URL]: CATALOG_FILE },
      );
      expect(plan.resources).toEqual([
        { name: 'entities.ftm.json', url: dataset.resources!.find((r) => r.name === 'entities.ftm.json')!.url },
      ]);
      expect(plan.cursor).toBe(dataset.version);
    }
  });
});

describe('OpenSanctions sanctions deltas (2024-05-27/28)', () => {
  const DATASET_INDEX_URL = 'https://data.opensanctions.org/datasets/latest/sanctions/index.json';
  const DELTA_INDEX_URL = 'https://data.opensanctions.org/artifacts/sanctions/20240528134729-3iv/delta.json';
  const deltaIndex = JSON.parse(readFileSync(sharedDataPath(DELTA_INDEX_FILE), 'utf8')) as {
    versions: Record<string, string>;
  };
  const oldest = Object.keys(deltaIndex.versions).sort()[0]!;

  /** What each file should yield, from JSON.parse of its lines. */
  const expectedItems = (version: string): string[] =>
    jsonLines<RawOp>(deltaFile(version)).map((op) =>
      op.op === 'DEL' || op.entity.target !== true ? `remove ${op.entity.id}` : `record ${op.entity.id}`,
    );

  it.each(DELTA_VERSIONS)('%s parses with zero errors into its operations', async (version) => {
    const items = await parsePlanFiles({ [`delta-${version}`]: deltaFile(version) });
    expect(items.filter((i) => 'error' in i)).toEqual([]);
    expect(items.map(describeItem)).toEqual(expectedItems(version));
    expect(items.length).toBeGreaterThan(0);
  });

  it('plans the newer versions of the delta index in order', async () => {
    // The dataset index is made up here: only its version and delta_url matter to the plan.
    const datasetIndex = {
      name: 'sanctions',
      version: DELTA_VERSIONS[3],
      delta_url: DELTA_INDEX_URL,
      resources: [{ name: 'entities.ftm.json', url: 'entities.ftm.json' }],
    };
    const context = (cursor: string): PlanContext<OpenSanctionsSettings> => ({
      url: 'https://data.opensanctions.org/unused',
      settings: adapter.parseSettings({ indexUrl: DATASET_INDEX_URL }),
      cursor,
      signal: new AbortController().signal,
      fetchJson: (url) => {
        if (url === DATASET_INDEX_URL) return Promise.resolve(datasetIndex);
        if (url === DELTA_INDEX_URL) return Promise.resolve(deltaIndex);
        return Promise.reject(new Error(`unexpected fetch of ${url}`));
      },
    });
    const plan = await adapter.plan!(context(oldest));
    expect(plan).toEqual({
      mode: 'delta',
      resources: DELTA_VERSIONS.map((v) => ({ name: `delta-${v}`, url: deltaIndex.versions[v] })),
      cursor: DELTA_VERSIONS[3],
    });
    expect((await adapter.plan!(context(DELTA_VERSIONS[1]!))).resources.map((r) => r.name)).toEqual(
      DELTA_VERSIONS.slice(2).map((v) => `delta-${v}`),
    );
  });

  describe('through the database', () => {
    let pg: PgPool;
    let apply: SnapshotApplyRepository;
    let staging: StagingRepository;
    const sources: string[] = [];

    beforeAll(() => {
      pg = new PgPool(loadConfig({ DATABASE_URL: inject('databaseUrl') }));
      apply = new SnapshotApplyRepository(pg);
      staging = new StagingRepository(pg);
    });
    afterAll(async () => {
      if (sources.length > 0) await pg.pool.query('DELETE FROM source WHERE id = ANY($1::uuid[])', [sources]);
      await pg.onModuleDestroy();
    });

    async function createSource(): Promise<string> {
      const id = randomUUID();
      sources.push(id);
      await pg.pool.query(
        `INSERT INTO source (id, key, name, adapter, list_kind, url, updated_at)
         VALUES ($1, $2, 'opensanctions test', $3, 'sanctions', 'https://data.opensanctions.org/unused', now())`,
        [id, `opensanctions-${id}`, adapter.id],
      );
      return id;
    }

    /** Stage the parse items as one snapshot through the pipeline's own staging (COPY) and apply it. */
    async function applySnapshot(
      sourceId: string,
      mode: 'full' | 'delta',
      cursor: string,
      items: ParseItem[],
    ): Promise<{ added: number; removed: number; modified: number }> {
      const snapshotId = randomUUID();
      await pg.pool.query(
        `INSERT INTO snapshot (id, source_id, content_hash, size_bytes, fetched_at, status, mode, cursor)
         VALUES ($1, $2, $3, 0, clock_timestamp(), 'staging', $4, $5)`,
        [snapshotId, sourceId, snapshotId, mode, cursor],
      );
      async function* staged(): AsyncGenerator<StagedRecord | StagedRemoval> {
        for (const item of items) {
          if ('error' in item) throw new Error(`unexpected parse error: ${item.error.message}`);
          yield 'record' in item ? { key: item.record.key, record: item.record } : { key: item.remove, removed: true };
        }
      }
      expect(await staging.stage(snapshotId, staged())).toBe(items.length);
      await pg.pool.query(`UPDATE snapshot SET status = 'staged', row_count = $2 WHERE id = $1`, [
        snapshotId,
        items.length,
      ]);
      const outcome = await apply.apply(snapshotId);
      if (outcome.outcome !== 'applied') throw new Error(`snapshot not applied: ${JSON.stringify(outcome)}`);
      return outcome.counts;
    }

    async function activeEntries(sourceId: string): Promise<Map<string, ListRecord>> {
      const { rows } = await pg.pool.query<{ entry_key: string; record: ListRecord }>(
        'SELECT entry_key, record FROM list_entry WHERE source_id = $1 AND active',
        [sourceId],
      );
      return new Map(rows.map((r) => [r.entry_key, r.record]));
    }

    async function sourceCursor(sourceId: string): Promise<string | null> {
      const { rows } = await pg.pool.query<{ cursor: string | null }>('SELECT cursor FROM source WHERE id = $1', [
        sourceId,
      ]);
      return rows[0]?.cursor ?? null;
    }

    /** The expected list, computed from the raw files alone: key -> caption of its last version. */
    function expectedAfter(versions: readonly string[]): Map<string, string> {
      const active = new Map<string, string>();
      for (const entity of jsonLines<RawEntity>(ENTITIES_FILE)) {
        if (entity.target === true) active.set(entity.id, entity.caption);
      }
      for (const version of versions) {
        for (const { op, entity } of jsonLines<RawOp>(deltaFile(version))) {
          if (op !== 'DEL' && entity.target === true) active.set(entity.id, entity.caption);
          else active.delete(entity.id);
        }
      }
      return active;
    }

    // Sorted here, not by the database, whose collation may order keys differently.
    const captions = (entries: Map<string, ListRecord>): [string, string | undefined][] =>
      [...entries]
        .map(([key, record]): [string, string | undefined] => [key, primaryName(record)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sortedPairs = (map: Map<string, string>): [string, string][] =>
      [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

    it('a full snapshot, then each delta as its own snapshot in version order', async () => {
      const sourceId = await createSource();
      await applySnapshot(sourceId, 'full', oldest, await parsePlanFiles({ main: ENTITIES_FILE }));
      expect(captions(await activeEntries(sourceId))).toEqual(sortedPairs(expectedAfter([])));

      for (const [position, version] of DELTA_VERSIONS.entries()) {
        const before = new Set((await activeEntries(sourceId)).keys());
        const counts = await applySnapshot(
          sourceId,
          'delta',
          version,
          await parsePlanFiles({ [`delta-${version}`]: deltaFile(version) }),
        );
        const expected = expectedAfter(DELTA_VERSIONS.slice(0, position + 1));
        const active = await activeEntries(sourceId);
        expect(captions(active), version).toEqual(sortedPairs(expected));
        expect(counts.added, version).toBe([...expected.keys()].filter((k) => !before.has(k)).length);
        expect(counts.removed, version).toBe([...before].filter((k) => !expected.has(k)).length);
        expect(await sourceCursor(sourceId)).toBe(version);
      }
    });

    it('all deltas in one snapshot end in the same list, later operations winning', async () => {
      const sourceId = await createSource();
      await applySnapshot(sourceId, 'full', oldest, await parsePlanFiles({ main: ENTITIES_FILE }));
      const files = Object.fromEntries(DELTA_VERSIONS.map((v) => [`delta-${v}`, deltaFile(v)]));
      const counts = await applySnapshot(sourceId, 'delta', DELTA_VERSIONS[3]!, await parsePlanFiles(files));
      const expected = expectedAfter(DELTA_VERSIONS);
      expect(captions(await activeEntries(sourceId))).toEqual(sortedPairs(expected));
      // Added in one version and deleted in a later one: never an entry.
      const everAdded = DELTA_VERSIONS.flatMap((v) => jsonLines<RawOp>(deltaFile(v)))
        .filter((op) => op.op === 'ADD')
        .map((op) => op.entity.id);
      expect(counts.added).toBe(everAdded.filter((id) => expected.has(id)).length);
      expect(counts.removed).toBe(0);
      expect(await sourceCursor(sourceId)).toBe(DELTA_VERSIONS[3]);
    });
  });
});
