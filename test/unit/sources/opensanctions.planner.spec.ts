import { describe, expect, it } from 'vitest';
import { SourceFormatError, SourceSettingsError, type FetchPlan, type PlanContext } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { openSanctionsFtmAdapter as adapter } from '../../../libs/sources/src/opensanctions/opensanctions.adapter';
import { compareOpenSanctionsVersions } from '../../../libs/sources/src/opensanctions/opensanctions.planner';
import type { OpenSanctionsSettings } from '../../../libs/sources/src/opensanctions/opensanctions-settings';

const BASE = 'https://data.example.org';
const INDEX_URL = `${BASE}/datasets/latest/sanctions/index.json`;
const DELTA_INDEX_URL = `${BASE}/artifacts/sanctions/20240528134729-3iv/delta.json`;
const deltaUrl = (version: string) => `${BASE}/artifacts/sanctions/${version}/entities.delta.json`;
const VERSIONS = ['20240527194702-wnk', '20240528014702-pfh', '20240528074703-npf', '20240528134729-3iv'];

function datasetIndex(version: string, withDelta = true): Record<string, unknown> {
  return {
    name: 'sanctions',
    version,
    ...(withDelta ? { delta_url: DELTA_INDEX_URL } : {}),
    resources: [
      { name: 'names.txt', url: `${BASE}/datasets/latest/sanctions/names.txt` },
      { name: 'entities.ftm.json', url: `${BASE}/datasets/latest/sanctions/entities.ftm.json`, size: 1000 },
    ],
  };
}

// Listed out of order on purpose: the plan must sort by version, not trust the object's order.
const DELTA_INDEX = {
  versions: Object.fromEntries([VERSIONS[2]!, VERSIONS[0]!, VERSIONS[3]!, VERSIONS[1]!].map((v) => [v, deltaUrl(v)])),
  updated_at: '2024-05-28T14:47:29Z',
};

interface Planned {
  plan: FetchPlan;
  fetched: string[];
}

async function plan(
  cursor: string | null,
  documents: Record<string, unknown>,
  settings: unknown = { indexUrl: INDEX_URL },
): Promise<Planned> {
  const fetched: string[] = [];
  const context: PlanContext<OpenSanctionsSettings> = {
    url: `${BASE}/unused`,
    settings: adapter.parseSettings(settings),
    cursor,
    signal: new AbortController().signal,
    fetchJson: (url) => {
      fetched.push(url);
      if (!(url in documents)) return Promise.reject(new Error(`unexpected fetch of ${url}`));
      return Promise.resolve(documents[url]);
    },
  };
  return { plan: await adapter.plan!(context), fetched };
}

const FULL = (cursor: string): FetchPlan => ({
  mode: 'full',
  resources: [{ name: 'entities.ftm.json', url: `${BASE}/datasets/latest/sanctions/entities.ftm.json` }],
  cursor,
});

describe('opensanctions-ftm plan', () => {
  const latest = { [INDEX_URL]: datasetIndex(VERSIONS[3]!), [DELTA_INDEX_URL]: DELTA_INDEX };

  it('fetches the whole export the first time, with the dataset version as cursor', async () => {
    const { plan: result, fetched } = await plan(null, latest);
    expect(result).toEqual(FULL(VERSIONS[3]!));
    expect(fetched).toEqual([INDEX_URL]);
  });

  it('then fetches the deltas of the newer versions, oldest first', async () => {
    const { plan: result, fetched } = await plan(VERSIONS[0]!, latest);
    expect(result).toEqual({
      mode: 'delta',
      resources: VERSIONS.slice(1).map((v) => ({ name: `delta-${v}`, url: deltaUrl(v) })),
      cursor: VERSIONS[3],
    });
    expect(fetched).toEqual([INDEX_URL, DELTA_INDEX_URL]);
  });

  it('returns an empty delta when nothing is newer', async () => {
    // The dataset's own version is the cursor: the delta index is not even read.
    const same = await plan(VERSIONS[3]!, latest);
    expect(same.plan).toEqual({ mode: 'delta', resources: [], cursor: VERSIONS[3] });
    expect(same.fetched).toEqual([INDEX_URL]);
    // The dataset index is newer but its delta index does not list anything newer yet.
    const lagging = await plan(VERSIONS[3]!, {
      [INDEX_URL]: datasetIndex('20240529000000-new'),
      [DELTA_INDEX_URL]: DELTA_INDEX,
    });
    expect(lagging.plan).toEqual({ mode: 'delta', resources: [], cursor: VERSIONS[3] });
    // A stale index never moves the cursor backwards.
    const stale = await plan(VERSIONS[3]!, { [INDEX_URL]: datasetIndex(VERSIONS[1]!) });
    expect(stale.plan).toEqual({ mode: 'delta', resources: [], cursor: VERSIONS[3] });
  });

  it('falls back to the whole export when the deltas cannot bridge from the cursor', async () => {
    // Older than the oldest version the delta index still lists: the deltas in between are gone.
    expect((await plan('20240520000000-old', latest)).plan).toEqual(FULL(VERSIONS[3]!));
    // Inside the listed range but not listed: the next delta is not against the cursor.
    expect((await plan('20240528000000-xyz', latest)).plan).toEqual(FULL(VERSIONS[3]!));
    // An empty delta index.
    expect((await plan(VERSIONS[0]!, { ...latest, [DELTA_INDEX_URL]: { versions: {} } })).plan).toEqual(
      FULL(VERSIONS[3]!),
    );
  });

  it('fetches the whole export when deltas are off or the dataset publishes none', async () => {
    const off = await plan(VERSIONS[0]!, latest, { indexUrl: INDEX_URL, useDeltas: false });
    expect(off.plan).toEqual(FULL(VERSIONS[3]!));
    expect(off.fetched).toEqual([INDEX_URL]);
    const none = await plan(VERSIONS[0]!, { [INDEX_URL]: datasetIndex(VERSIONS[3]!, false) });
    expect(none.plan).toEqual(FULL(VERSIONS[3]!));
  });

  it('without an indexUrl, fetches the source URL whole', async () => {
    const { plan: result, fetched } = await plan('anything', {}, {});
    expect(result).toEqual({ mode: 'full', resources: [{ name: 'main', url: `${BASE}/unused` }] });
    expect(fetched).toEqual([]);
  });

  it('picks the dataset from the catalog index and resolves relative URLs', async () => {
    const catalogUrl = `${BASE}/datasets/latest/index.json`;
    const catalog = {
      datasets: [
        { name: 'other', version: '1', resources: [{ name: 'entities.ftm.json', url: 'other/entities.ftm.json' }] },
        {
          name: 'sanctions',
          version: VERSIONS[3],
          delta_url: '/artifacts/sanctions/delta.json',
          resources: [{ name: 'entities.ftm.json', url: 'sanctions/entities.ftm.json' }],
        },
      ],
    };
    const settings = { indexUrl: catalogUrl, dataset: 'sanctions' };
    const first = await plan(null, { [catalogUrl]: catalog }, settings);
    expect(first.plan).toEqual({
      mode: 'full',
      resources: [{ name: 'entities.ftm.json', url: `${BASE}/datasets/latest/sanctions/entities.ftm.json` }],
      cursor: VERSIONS[3],
    });
    const next = await plan(
      VERSIONS[2]!,
      { [catalogUrl]: catalog, [`${BASE}/artifacts/sanctions/delta.json`]: DELTA_INDEX },
      settings,
    );
    expect(next.plan.resources.map((r) => r.name)).toEqual([`delta-${VERSIONS[3]}`]);

    await expect(plan(null, { [catalogUrl]: catalog }, { indexUrl: catalogUrl })).rejects.toThrow(
      /catalog of 2 datasets; set "dataset"/,
    );
    await expect(plan(null, { [catalogUrl]: catalog }, { indexUrl: catalogUrl, dataset: 'nope' })).rejects.toThrow(
      SourceSettingsError,
    );
  });

  it('rejects indexes that are not what they should be', async () => {
    await expect(plan(null, { [INDEX_URL]: [] })).rejects.toThrow(SourceFormatError);
    await expect(plan(null, { [INDEX_URL]: { name: 'sanctions', resources: [] } })).rejects.toThrow(
      /publishes no entities.ftm.json/,
    );
    await expect(
      plan(null, { [INDEX_URL]: datasetIndex(VERSIONS[3]!) }, { indexUrl: INDEX_URL, dataset: 'peps' }),
    ).rejects.toThrow(/index of "sanctions"/);
    await expect(plan(VERSIONS[0]!, { ...latest, [DELTA_INDEX_URL]: { versions: [] } })).rejects.toThrow(
      /no "versions" object/,
    );
  });
});

describe('opensanctions-ftm versions and settings', () => {
  it('orders versions by their timestamp', () => {
    const shuffled = [
      '20240528134729-3iv',
      '20240527194702-wnk',
      '20240528014702-aaa',
      '20240528014702-pfh',
      '20240528',
    ];
    expect([...shuffled].sort(compareOpenSanctionsVersions)).toEqual([
      '20240527194702-wnk',
      '20240528',
      '20240528014702-aaa',
      '20240528014702-pfh',
      '20240528134729-3iv',
    ]);
  });

  it('validates settings and fills in the defaults', () => {
    expect(adapter.parseSettings(undefined)).toEqual({ targetsOnly: true, useDeltas: true });
    expect(adapter.parseSettings({ indexUrl: INDEX_URL, useDeltas: false, targetsOnly: false })).toEqual({
      indexUrl: INDEX_URL,
      targetsOnly: false,
      useDeltas: false,
    });
    expect(() => adapter.parseSettings({ useDelta: false })).toThrow(/unknown field "useDelta"/);
    expect(() => adapter.parseSettings({ useDeltas: 'yes' })).toThrow(/"useDeltas" must be true or false/);
    expect(() => adapter.parseSettings({ indexUrl: 'file:///etc/passwd' })).toThrow(/"indexUrl" must be an http/);
    expect(() => adapter.parseSettings({ dataset: 'sanctions' })).toThrow(/"dataset" needs "indexUrl"/);
    expect(() => adapter.parseSettings([])).toThrow(SourceSettingsError);
  });

  it('describes itself', () => {
    expect(adapter.id).toBe('opensanctions-ftm');
    expect(adapter.defaultListKind).toBe('sanctions');
  });
});
