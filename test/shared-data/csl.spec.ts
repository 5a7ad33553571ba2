import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateUscc, type ListRecord, type RowError } from '@partnerwatch/domain';
import { staticParseContext, type SourceAdapter } from '@partnerwatch/sources';
import { usCslCsvAdapter, usCslJsonAdapter } from '../../libs/sources/src/csl/csl.adapter';
import { diffThroughDatabase } from '../support/diff-harness';
import { sharedDataPath } from '../support/shared-data';

/**
 * The real (truncated) CSL CSV in ../shared/data (MANIFEST-lists.md section 3): 4,228 lines after the
 * header, of which one is a second copy of the header and the last is cut inside a quoted cell.
 */
const FILE = 'us-csl-2023-11-30.csv';
const openCsv = (): Readable => createReadStream(sharedDataPath(FILE));

async function parseAll<S>(
  adapter: SourceAdapter<S>,
  input: () => Readable,
  settings: unknown = {},
): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  for await (const item of adapter.parse(input(), staticParseContext(adapter.parseSettings(settings)))) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}

const count = <T>(values: readonly T[]): Map<T, number> => {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

describe('US Consolidated Screening List CSV, real export', () => {
  it('parses every row but the cut last one, which is reported as truncated', async () => {
    const { records, errors } = await parseAll(usCslCsvAdapter, openCsv);
    // The repeated header line is skipped silently (not a listing, not an unreadable row).
    expect(errors).toEqual([{ row: 4233, message: expect.stringContaining('truncated'), truncated: true }]);
    // 4,228 lines in the manifest's count = 4,226 listings + the header copy + the cut row.
    expect(records).toHaveLength(4226);
    // Treasury lists share OFAC ids (SSI and NS-MBS, SDN and PLC): the list code keeps the keys apart.
    expect(new Set(records.map((r) => r.key)).size).toBe(4226);
  });

  it('counts each list as the manifest does and gives it its list kind', async () => {
    const { records } = await parseAll(usCslCsvAdapter, openCsv);
    const byList = count(records.map((r) => `${r.key.slice(0, r.key.indexOf(':'))} ${r.listKind}`));
    expect(Object.fromEntries(byList)).toEqual({
      // 1,738 in the manifest, including the cut last row.
      'SDN sanctions': 1737,
      'EL export_control': 919,
      'DPL export_control': 577,
      'SSI sanctions': 288,
      'UVL export_control': 186,
      'ISN sanctions': 144,
      'DTC debarment': 142,
      'PLC sanctions': 78,
      'MEU export_control': 71,
      'CMIC sanctions': 68,
      'NS-MBS sanctions': 14,
      'FSE sanctions': 1,
      'CAP sanctions': 1,
    });
  });

  it('reads USCCs, aliases and countries of Chinese entries', async () => {
    const { records } = await parseAll(usCslCsvAdapter, openCsv);
    const withUscc = records.filter((r) => r.identifiers.some((i) => i.scheme === 'uscc'));
    expect(withUscc).toHaveLength(
      records.filter((r) => r.attributes.ids?.includes('Unified Social Credit Code')).length,
    );
    expect(withUscc).toHaveLength(58);
    for (const record of withUscc) {
      for (const id of record.identifiers.filter((i) => i.scheme === 'uscc'))
        expect(validateUscc(id.value).ok).toBe(true);
    }
    const telecom = records.find((r) => r.key === 'CMIC:30882')!;
    expect(telecom).toMatchObject({
      entityType: 'organization',
      listKind: 'sanctions',
      country: 'CN',
      programs: ['CMIC-EO13959'],
      identifiers: [{ scheme: 'uscc', value: '9111000071093019X7' }],
    });
    expect(telecom.names.map((n) => n.value)).toEqual([
      'China Telecom Corporation Limited',
      'CHINA TELECOM',
      'CHINA TELECOM CO., LTD',
      'CHINA TELECOM CORP LTD',
    ]);
    const aaspt = records.find((r) => r.key === 'MEU:dcc742038bcb47f1bf9e805ef279484d')!;
    expect(aaspt).toMatchObject({ listKind: 'export_control', country: 'CN', listedOn: '2020-12-23' });
    expect(records.filter((r) => r.listKind === 'export_control' && r.country === 'CN').length).toBeGreaterThan(200);
  });

  it('is stable through the database: the same export twice changes nothing', async () => {
    const diff = await diffThroughDatabase(usCslCsvAdapter, {}, { main: openCsv }, { main: openCsv });
    expect(diff.rows).toEqual([4226, 4226]);
    expect(diff).toMatchObject({ added: [], removed: [], modified: [] });
    expect(diff.errors.map((e) => e.map((x) => x.truncated))).toEqual([[true], [true]]);
  });

  it('gives the same records from the same rows as trade.gov JSON', async () => {
    const csv = await parseAll(usCslCsvAdapter, openCsv);
    // The CSV's own rows as the API's records: multi-value cells as arrays.
    const multi = ['programs', 'alt_names', 'addresses', 'citizenships', 'dates_of_birth', 'nationalities', 'ids'];
    const split = (value: string) => value.split(';').map((v) => v.trim());
    const results = csv.records.map((record) => {
      const json: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(record.attributes)) {
        json[column] = multi.includes(column) ? split(value) : value;
      }
      return json;
    });
    const document = Buffer.from(JSON.stringify({ total: results.length, results }));
    const json = await parseAll(usCslJsonAdapter, () => Readable.from([document]));
    expect(json.errors).toEqual([]);
    // The CSV keeps a multi-value cell as written ("a;b" in a few rows), JSON joins its array with "; ".
    const sameSpacing = (record: ListRecord): ListRecord => {
      const attributes = { ...record.attributes };
      for (const column of multi) if (attributes[column]) attributes[column] = split(attributes[column]).join('; ');
      return { ...record, attributes };
    };
    expect(json.records.map(sameSpacing)).toEqual(csv.records.map(sameSpacing));
  });
});
