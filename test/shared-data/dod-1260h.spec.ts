import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { primaryName } from '@partnerwatch/domain';
import type { SourceAdapter } from '@partnerwatch/sources';
import { usDod1260hAdapter as adapter } from '../../libs/sources/src/us-dod-1260h/us-dod-1260h.adapter';
import { parseSharedFile, sharedDataPath } from '../support/shared-data';

const FILE = 'us-dod-1260h-chinese-milcorps-2026-08-20.csv';

const parseFile = () => parseSharedFile(adapter as SourceAdapter, FILE);

describe('DoD 1260H Chinese military companies: the real curated file in shared/data', () => {
  it('parses all 397 designations, none rejected', async () => {
    const { records, errors } = await parseFile();
    expect(errors).toEqual([]);
    expect(records).toHaveLength(397);
    // A company named in several annual tranches has a row per tranche, each its own entry.
    expect(new Set(records.map((r) => r.key)).size).toBe(397);
    const rows = parse(readFileSync(sharedDataPath(FILE), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => primaryName(r))).toEqual(rows.map((row) => row['Clean Name']));

    // Ended designations (21) are delistings; the note says why.
    const ended = records.filter((r) => r.delisting);
    expect(ended).toHaveLength(rows.filter((row) => row['End date']).length);
    expect(ended).toHaveLength(21);
    expect(
      records.find((r) => primaryName(r) === 'China International Engineering Consulting Corporation'),
    ).toMatchObject({
      listedOn: '2022-10-05',
      delisting: { on: '2024-01-31', reason: 'No apparent U.S. nexus' },
      names: [
        { value: 'China International Engineering Consulting Corporation', lang: 'en', kind: 'primary' },
        { value: 'CIECC', lang: 'en', kind: 'alias' },
      ],
    });
    const renamed = records.find((r) => primaryName(r) === 'AVIC Chengdu Aircraft Co., Ltd.');
    expect(renamed?.names.map((n) => n.value)).toEqual([
      'AVIC Chengdu Aircraft Co., Ltd.',
      'Zhonghang Electronic Measuring Instruments Company Limited',
      'ZEMIC',
    ]);
    expect(
      records.every((r) => r.entityType === 'organization' && r.programs?.[0] === 'NDAA FY2021 Section 1260H'),
    ).toBe(true);
  });
});
