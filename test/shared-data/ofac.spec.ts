import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateUscc, type ListRecord, type RowError } from '@partnerwatch/domain';
import { staticParseContext, type SourceAdapter } from '@partnerwatch/sources';
import { ofacConsolidatedCsvAdapter, ofacSdnCsvAdapter } from '../../libs/sources/src/ofac/ofac.adapter';
import type { OfacSettings } from '../../libs/sources/src/ofac/ofac.settings';
import { diffThroughDatabase, type VersionFiles } from '../support/diff-harness';
import { sharedDataPath } from '../support/shared-data';

/**
 * The real OFAC exports in ../shared/data (MANIFEST-lists.md sections 1 and 2): every file parses
 * without a rejected row, and version-to-version diffs through the database are OFAC's real ones.
 */
const open = (file: string) => (): Readable => createReadStream(sharedDataPath(file));

const SDN_2021_07: VersionFiles = {
  main: open('ofac-sdn-2021-07.csv'),
  alt: open('ofac-alt-2021-07.csv'),
  add: open('ofac-add-2021-07.csv'),
  comments: open('ofac-sdn_comments-2021-07.csv'),
};
const CONSOLIDATED_2025_12_19: VersionFiles = {
  main: open('ofac-cons_prim-2025-12-19.csv'),
  alt: open('ofac-cons_alt-2025-12-19.csv'),
  add: open('ofac-cons_add-2025-12-19.csv'),
  comments: open('ofac-cons_comments-2025-12-19.csv'),
};
// The git-scraped history holds sdn.csv only: each version is its main file alone.
const sdnVersion = (date: string): VersionFiles => ({ main: open(`ofac-sdn-${date}.csv`) });

async function parseAll(
  adapter: SourceAdapter<OfacSettings>,
  files: VersionFiles,
): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  const context = staticParseContext(adapter.parseSettings({}), files);
  for await (const item of adapter.parse(files.main!(), context)) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}

/**
 * An independent reading of a version: the raw bytes of each row by its first field, so "modified"
 * means any byte of the published row changed.
 */
function rawRowsByEntNum(file: string): Map<string, string> {
  const raw = readFileSync(sharedDataPath(file), 'latin1');
  const text = raw.endsWith('\u001a') ? raw.slice(0, -1) : raw;
  const rows = new Map<string, string>();
  for (const line of text.split('\r\n')) if (line.length > 0) rows.set(line.slice(0, line.indexOf(',')), line);
  return rows;
}

function rawDiff(beforeFile: string, afterFile: string): { added: string[]; removed: string[]; modified: string[] } {
  const before = rawRowsByEntNum(beforeFile);
  const after = rawRowsByEntNum(afterFile);
  const sorted = (keys: Iterable<string>) => [...keys].sort();
  return {
    added: sorted([...after.keys()].filter((k) => !before.has(k))),
    removed: sorted([...before.keys()].filter((k) => !after.has(k))),
    modified: sorted([...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k))),
  };
}

interface ChangelogRow {
  rowsBefore: number;
  rowsAfter: number;
  added: number;
  removed: number;
  modified: number;
}

/** The derived changelog's row for one pair of consecutive versions (its commit ids are 7-character prefixes). */
function changelogRow(fromCommit: string, toCommit: string): ChangelogRow {
  const lines = readFileSync(sharedDataPath('ofac-sdn-changelog-2021-08-18_2024-05-03.tsv'), 'utf8').split('\n');
  const header = lines[0]!.split('\t');
  const column = (cells: string[], name: string) => Number(cells[header.indexOf(name)]);
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    if (cells.length < header.length) continue;
    if (fromCommit.startsWith(cells[0]!) && toCommit.startsWith(cells[1]!)) {
      return {
        rowsBefore: column(cells, 'rows_before'),
        rowsAfter: column(cells, 'rows_after'),
        added: column(cells, 'added_ent_num'),
        removed: column(cells, 'removed_ent_num'),
        modified: column(cells, 'modified_ent_num'),
      };
    }
  }
  throw new Error(`no changelog row for ${fromCommit} -> ${toCommit}`);
}

describe('OFAC SDN CSV, real exports', () => {
  it.each([
    ['2024-02-20', 13931],
    ['2024-02-23', 14484],
    ['2024-05-02', 14973],
    ['2024-05-03', 14965],
  ])('sdn.csv of %s parses into its %i rows with none rejected', async (date, rows) => {
    const { records, errors } = await parseAll(ofacSdnCsvAdapter, sdnVersion(date));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(rows);
    expect(new Set(records.map((r) => r.key)).size).toBe(rows);
  });

  it('2024-02-20 -> 02-23 through the database: +553 / -0 / ~8, the real changes', async () => {
    const expected = rawDiff('ofac-sdn-2024-02-20.csv', 'ofac-sdn-2024-02-23.csv');
    const changelog = changelogRow(
      'ce44edfb8efce6a5d592a50c45c8e3f24e205430',
      '19efeec0acf6038f4573423adb8a621e96038aa7',
    );
    expect(changelog).toEqual({ rowsBefore: 13931, rowsAfter: 14484, added: 553, removed: 0, modified: 8 });

    const diff = await diffThroughDatabase(ofacSdnCsvAdapter, {}, sdnVersion('2024-02-20'), sdnVersion('2024-02-23'));
    expect(diff.errors).toEqual([[], []]);
    expect(diff.rows).toEqual([changelog.rowsBefore, changelog.rowsAfter]);
    expect(diff.added).toHaveLength(changelog.added);
    expect(diff.removed).toHaveLength(changelog.removed);
    expect(diff.modified).toHaveLength(changelog.modified);
    expect(diff).toMatchObject(expected);
    expect(diff.modified).toEqual(['10392', '16713', '16862', '23543', '34992', '41021', '46735', '46753']);

    // The manifest: 551 of the additions are in programme RUSSIA-EO14024 alone.
    const after = new Map((await parseAll(ofacSdnCsvAdapter, sdnVersion('2024-02-23'))).records.map((r) => [r.key, r]));
    const russiaOnly = diff.added.filter((key) => after.get(key)!.programs?.join('|') === 'RUSSIA-EO14024');
    expect(russiaOnly).toHaveLength(551);
  });

  it('2024-05-02 -> 05-03 through the database: +0 / -8 / ~0, the delisted aircraft', async () => {
    const expected = rawDiff('ofac-sdn-2024-05-02.csv', 'ofac-sdn-2024-05-03.csv');
    const changelog = changelogRow(
      'a6ab072f37ae46d10e8ee17749dc507577b1d2b7',
      'a5ec3c5ee4aae1b36ba24897a051787ea5429d30',
    );
    expect(changelog).toEqual({ rowsBefore: 14973, rowsAfter: 14965, added: 0, removed: 8, modified: 0 });

    const diff = await diffThroughDatabase(ofacSdnCsvAdapter, {}, sdnVersion('2024-05-02'), sdnVersion('2024-05-03'));
    expect(diff.errors).toEqual([[], []]);
    expect(diff).toMatchObject({ added: [], modified: [], removed: expected.removed });
    expect(diff.removed).toEqual(['38556', '38557', '38558', '38559', '38560', '38563', '38565', '38566']);

    const before = new Map(
      (await parseAll(ofacSdnCsvAdapter, sdnVersion('2024-05-02'))).records.map((r) => [r.key, r]),
    );
    const removedNames = diff.removed.map((key) => before.get(key)!.names[0]!.value);
    expect(removedNames).toEqual(expect.arrayContaining(['9H-MAO', '9H-ARK', '9H-EAA', '9H-SIS']));
    expect(diff.removed.filter((key) => before.get(key)!.entityType === 'aircraft')).toHaveLength(7);
  });

  it('finds the Unified Social Credit Codes in the remarks of Chinese entities', async () => {
    const { records } = await parseAll(ofacSdnCsvAdapter, sdnVersion('2024-05-03'));
    const withUscc = records.filter((r) => r.identifiers.some((i) => i.scheme === 'uscc'));
    const remarked = records.filter((r) => r.attributes.Remarks?.includes('Unified Social Credit Code'));
    expect(remarked).toHaveLength(84);
    // Every remark that states a USCC gives it as an identifier (plus registration numbers that are USCCs).
    for (const record of remarked) expect(withUscc).toContain(record);
    for (const record of withUscc) {
      for (const id of record.identifiers.filter((i) => i.scheme === 'uscc'))
        expect(validateUscc(id.value).ok).toBe(true);
    }
    const raybeam = records.find((r) => r.key === '22685')!;
    expect(raybeam.names[0]!.value).toBe('RAYBEAM OPTRONICS CO. LTD.');
    expect(raybeam.identifiers).toContainEqual({ scheme: 'uscc', value: '9113100033607322XK' });
    expect(records.find((r) => r.key === '24977')!.identifiers).toContainEqual({
      scheme: 'uscc',
      value: '91222401MA0Y31E659',
    });
  });
});

describe('OFAC four-file sets, real exports', () => {
  it('2021-07 SDN set joins aliases, addresses and remark continuations', async () => {
    const { records, errors } = await parseAll(ofacSdnCsvAdapter, SDN_2021_07);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(8976);
    // Every alias row (11,910 on 4,139 entries) and every address row that holds an address (11,440
    // on 6,579 entries; the rest are all `-0-`) lands on its entry.
    expect(records.filter((r) => r.attributes.aliases)).toHaveLength(4139);
    expect(records.filter((r) => r.attributes.addresses)).toHaveLength(6579);

    const bank = records.find((r) => r.key === '306')!;
    expect(bank.names).toEqual([
      { value: 'BANCO NACIONAL DE CUBA', kind: 'primary' },
      { value: 'NATIONAL BANK OF CUBA', kind: 'alias' },
    ]);
    expect(bank.country).toBe('CH');
    expect(bank.attributes.addresses).toBe(
      'Zweierstrasse 35, Zurich CH-8022, Switzerland; Avenida de Concha Espina 8, Madrid E-28036, Spain; ' +
        'Dai-Ichi Bldg. 6th Floor, 10-2 Nihombashi, 2-chome, Chuo-ku, Tokyo 103, Japan; ' +
        'Federico Boyd Avenue & 51 Street, Panama City, Panama',
    );

    // sdn_comments.csv continues the cut Remarks of LI, Jiadong mid-word ("...; P" + "hone Number ...").
    const li = records.find((r) => r.key === '28264')!;
    expect(li.attributes.Remarks!.endsWith('; P')).toBe(true);
    expect(li.attributes.remarks_extension!.startsWith('hone Number 8613314257947')).toBe(true);
    expect(li.identifiers).toContainEqual({ scheme: 'other', value: '210302198701102136' });
    expect(li.entityType).toBe('person');
    expect(li.programs).toEqual(['DPRK3', 'CYBER2']);
  });

  it('2025-12-19 Non-SDN consolidated set parses with every side file joined', async () => {
    const { records, errors } = await parseAll(ofacConsolidatedCsvAdapter, CONSOLIDATED_2025_12_19);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(442);
    expect(records.filter((r) => r.attributes.remarks_extension)).toHaveLength(10);
    const uscc = records.flatMap((r) => r.identifiers.filter((i) => i.scheme === 'uscc'));
    expect(uscc.length).toBeGreaterThanOrEqual(58);
  });
});
