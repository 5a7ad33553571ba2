import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { SourceAdapter } from '@partnerwatch/sources';
import { ebrdIneligibleAdapter as adapter } from '../../libs/sources/src/ebrd/ebrd-ineligible.adapter';
import { parseSharedFile, sharedDataPath } from '../support/shared-data';

const FILE = 'ebrd-ineligible-2025-02-09.csv';

const parseFile = () => parseSharedFile(adapter as SourceAdapter, FILE);

describe('EBRD ineligible entities: the real export in shared/data', () => {
  it('parses all 1,322 rows (BOM, padded header names, line breaks in names), none rejected', async () => {
    const { records, errors } = await parseFile();
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1322);
    // Firms listed at several addresses are one row per address, each its own entry.
    expect(new Set(records.map((r) => r.key)).size).toBe(1322);

    // The same rows read with csv-parse, names compared with line breaks and padding folded. Five
    // names hold unescaped quotes inside a quoted field (""Supper Fortuna" LLC", "Rafael "Ace"
    // Freznoza Lim"): malformed CSV that each reader mends its own way, so quotes are left out of
    // the comparison.
    const rows = parse(readFileSync(sharedDataPath(FILE), 'utf8'), {
      columns: true,
      bom: true,
      relax_quotes: true,
    }) as Record<string, string>[];
    const fold = (name: string) => name.replace(/"/g, '').replace(/\s+/g, ' ').trim();
    expect(records.map((r) => fold(r.names[0]!.value))).toEqual(rows.map((row) => fold(row['Firm Name']!)));
    expect(records.filter((r) => r.names[0]!.value.includes('"'))).toHaveLength(5);

    expect(records[0]).toMatchObject({
      names: [{ value: 'China Gezhouba Group Co., Ltd. by Shares Nigeria Co., Ltd.', kind: 'primary' }],
      entityType: 'organization',
      country: 'NG',
      listedOn: '2024-07-01',
      reason: 'Fraudulent Practice',
      authority: 'EBRD',
      attributes: { 'Ineligible Until': '2025-05-31T12:00:59Z', 'Notice Effective At EBRD': '2024-07-01T12:00:59Z' },
    });
    // "Ongoing", "Indefinite" and "Permanent" ends are kept as published; none is a delisting.
    const ends = new Set(records.map((r) => r.attributes['Ineligible Until']).filter((v) => v && !/^\d/.test(v)));
    expect([...ends].sort()).toEqual(['Indefinite', 'Ongoing', 'Permanent']);
    expect(records.some((r) => r.delisting)).toBe(false);
    // Cross-debarments without a start date of their own apply from the EBRD's notice.
    const noStart = records.filter((r) => !r.attributes['Ineligible From']);
    expect(noStart.length).toBeGreaterThan(0);
    expect(noStart.every((r) => r.listedOn === r.attributes['Notice Effective At EBRD']!.slice(0, 10))).toBe(true);
    expect(records.filter((r) => r.attributes.Nationality && !r.country).map((r) => r.attributes.Nationality)).toEqual(
      [],
    );
  });
});
