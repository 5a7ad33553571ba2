import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { identityKey, type ListRecord, type RowError } from '@partnerwatch/domain';
import { staticParseContext } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { bisDplAdapter as adapter } from '../../libs/sources/src/bis/bis-dpl.adapter';
import { diffThroughDatabase } from '../support/diff-harness';
import { sharedDataPath } from '../support/shared-data';

const FILES = {
  '2019-06-29': { file: 'bis-dpl-2019-06-29.txt', rows: 546, distinctKeys: 543 },
  '2022-09-07': { file: 'bis-dpl-2022-09-07.txt', rows: 581, distinctKeys: 579 },
  '2023-11-30': { file: 'bis-dpl-2023-11-30.txt', rows: 665, distinctKeys: 663 },
} as const;

const open = (file: string) => (): Readable => createReadStream(sharedDataPath(file), { highWaterMark: 4096 });

async function parseFile(file: string): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  const context = staticParseContext(adapter.parseSettings({}));
  for await (const item of adapter.parse(open(file)(), context)) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}

/**
 * The file read without the adapter: one line per row (the export has no line breaks inside
 * fields), split on tabs, enclosing quotes stripped and doubled ones undone, cells trimmed; keyed by the rule the adapter documents
 * (name and street; city, state and country when there is no street), whitespace-collapsed and
 * upper-cased.
 */
function readIndependently(file: string): Map<string, string[]> {
  const lines = readFileSync(sharedDataPath(file), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0]!.split('\t').map((cell) => cell.replace(/^"|"$/g, ''));
  const at = (name: string) => header.indexOf(name);
  const norm = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase();
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t').map((cell) => cell.replace(/^"|"$/g, '').replace(/""/g, '"').trim());
    const street = norm(cells[at('Street_Address')]!);
    const locator =
      street || [cells[at('City')]!, cells[at('State')]!, cells[at('Country')]!].map(norm).filter(Boolean).join(', ');
    // A key repeated within one file: the last row wins, as in the database's apply.
    rows.set(identityKey([norm(cells[at('Name')]!), locator]), cells);
  }
  return rows;
}

describe('BIS Denied Persons List: the real exports in shared/data', () => {
  it.each(Object.entries(FILES))(
    '%s parses every row with no rejected row',
    async (_date, { file, rows, distinctKeys }) => {
      const { records, errors } = await parseFile(file);
      expect(errors).toEqual([]);
      expect(records).toHaveLength(rows);
      // BIS publishes a few rows twice, byte for byte (DAQING ZHOU and NEI-CHIEN CHU, and in 2019
      // DAVOUD BANIAMERI): one entry each in the database, where the last copy of a key wins.
      expect(new Set(records.map((r) => r.key)).size).toBe(distinctKeys);
      expect(readIndependently(file).size).toBe(distinctKeys);
      for (const record of records) {
        expect(record.names[0]?.value).toBeTruthy();
        expect(record.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    },
  );

  it('reads names, dates and countries as published', async () => {
    const { records } = await parseFile(FILES['2023-11-30'].file);
    const villa = records.find((r) => r.names[0]?.value === 'AARON ABRAHAM VILLA');
    expect(villa).toMatchObject({
      entityType: 'unknown',
      listedOn: '2022-08-24',
      attributes: {
        City: 'EL PASO',
        State: 'TX',
        Expiration_Date: '01/14/2026',
        FR_Citation: '87 F.R. 52741 8/29/2022',
      },
    });
    expect(records.find((r) => r.names[0]?.value === 'AIR FREIGHT LTD')).toMatchObject({ entityType: 'organization' });
    expect(records.filter((r) => r.attributes.Country === 'PRC').every((r) => r.country === 'CN')).toBe(true);
    // One row has the state, New Mexico, typed into Country: not a country, so left out of `country`.
    const unresolved = records.filter((r) => r.attributes.Country && !r.country).map((r) => r.attributes.Country);
    expect(unresolved).toEqual(['NM']);
  });

  it('diffs 2022-09-07 -> 2023-11-30 through the database exactly as the files differ', async () => {
    const before = readIndependently(FILES['2022-09-07'].file);
    const after = readIndependently(FILES['2023-11-30'].file);
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
    const modified = [...after.keys()]
      .filter((k) => before.has(k) && before.get(k)!.join('\t') !== after.get(k)!.join('\t'))
      .sort();

    const diff = await diffThroughDatabase(
      adapter,
      {},
      { main: open(FILES['2022-09-07'].file) },
      { main: open(FILES['2023-11-30'].file) },
    );
    expect(diff.errors).toEqual([[], []]);
    expect(diff.added).toEqual(added);
    expect(diff.removed).toEqual(removed);
    expect(diff.modified).toEqual(modified);
    // Pinned so a change of keying shows up here, not only as a different set on both sides.
    expect([added.length, removed.length, modified.length]).toEqual([163, 79, 85]);

    // A temporary denial order renewed in the meantime (new effective date, one more FR citation)
    // is the same listing, modified; it would read as removed and added if the dates were keyed.
    const renewed = [...after.entries()].find(
      ([, cells]) => cells[0] === 'AIR FREIGHT LTD' && cells[1] === 'P.O. BOX 28360',
    );
    expect(renewed).toBeDefined();
    expect(before.get(renewed![0])![6]).toBe('05/13/2022');
    expect(renewed![1][6]).toBe('10/31/2023');
    expect(diff.modified).toContain(renewed![0]);
  });
});
