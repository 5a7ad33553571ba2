import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { identityKey, primaryName, type ListRecord, type RowError } from '@partnerwatch/domain';
import { staticParseContext } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { cnSanctionsAdapter as adapter } from '../../libs/sources/src/cn-sanctions/cn-sanctions.adapter';
import { diffThroughDatabase } from '../support/diff-harness';
import { sharedDataPath } from '../support/shared-data';

const BEFORE = 'cn-sanctions-opensanctions-2026-07-27.csv';
const AFTER = 'cn-sanctions-opensanctions-2026-08-07.csv';

const open = (file: string) => (): Readable => createReadStream(sharedDataPath(file), { highWaterMark: 4096 });

async function parseFile(file: string): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  for await (const item of adapter.parse(open(file)(), staticParseContext(adapter.parseSettings({})))) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}

type Row = Record<string, string>;

/** The file read with csv-parse instead of the adapter's reader. */
const readRows = (file: string): Row[] =>
  parse(readFileSync(sharedDataPath(file), 'utf8'), { columns: true, trim: true, bom: true }) as Row[];

/** DD.MM.YYYY or DD.MM.YY to ISO, as the file writes dates. */
function isoDate(raw: string): string {
  const match = /^(\d{2})\.(\d{2})\.(\d{2}|\d{4})$/.exec(raw);
  if (!match) return raw;
  return `${match[3]!.length === 2 ? `20${match[3]}` : match[3]}-${match[2]}-${match[1]}`;
}

/**
 * Keys by the rule the adapter documents: name, body, list and date (case and spacing folded), the
 * n-th repeat of the same listing suffixed with #n; rows compared as the whole row.
 */
function keyed(file: string): Map<string, Row> {
  const norm = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase();
  const seen = new Map<string, number>();
  const rows = new Map<string, Row>();
  for (const row of readRows(file)) {
    const parts = [norm(row.Name!), norm(row.Body!), norm(row.List!), isoDate(row.Date!)];
    const identity = identityKey(parts);
    const n = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, n);
    rows.set(n === 1 ? identity : identityKey([...parts, `#${n}`]), row);
  }
  return rows;
}

describe("China's curated sanctions lists: the real files in shared/data", () => {
  it.each([
    [BEFORE, 603],
    [AFTER, 610],
  ])('%s parses every row with no rejected row', async (file, rows) => {
    const { records, errors } = await parseFile(file);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(rows);
    // Every row is an entry of its own: the 18 listings the curators entered twice (from the
    // English press release and from the Chinese decision) are keyed apart by occurrence.
    expect(new Set(records.map((r) => r.key)).size).toBe(rows);
    expect([...keyed(file).keys()].sort()).toEqual(records.map((r) => r.key).sort());
  });

  it('reads English and Chinese names, list kinds, entity types and end dates', async () => {
    const { records } = await parseFile(AFTER);
    const byName = (name: string) => records.find((r) => primaryName(r) === name);

    expect(byName('Altana Technologies, Inc.')).toMatchObject({
      entityType: 'organization',
      listKind: 'sanctions',
      programs: ['List of Targets of Countermeasures'],
      country: 'US',
      listedOn: '2026-08-05',
      authority: 'Ministry of Commerce',
      names: [
        { value: 'Altana Technologies, Inc.', lang: 'en', kind: 'primary' },
        { value: '阿尔塔纳技术公司', lang: 'zh', kind: 'primary' },
        { value: 'Altana Technologies', lang: 'en', kind: 'alias' },
        { value: 'Altana', lang: 'en', kind: 'alias' },
      ],
    });
    expect(byName('Skyla')).toMatchObject({ listedOn: '2022-08-03', delisting: { on: '2023-07-13' } });

    // The export-control control and watch lists (tagged export.control: 193 rows) are export
    // control; the UEL, AFSL countermeasures and Taiwan Affairs Office lists are sanctions.
    const kinds = new Map<string, number>();
    for (const r of records) kinds.set(r.listKind!, (kinds.get(r.listKind!) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ export_control: 193, sanctions: 417 });
    expect(records.filter((r) => r.programs?.[0] === 'UEL').every((r) => r.listKind === 'sanctions')).toBe(true);

    const types = new Map<string, number>();
    for (const r of records) types.set(r.entityType, (types.get(r.entityType) ?? 0) + 1);
    expect(Object.fromEntries(types)).toEqual({ organization: 415, person: 195 });

    // 512 rows pair an English with a Chinese name (the manifest's count, of this file; 505 on 07-27).
    expect(
      records.filter((r) => r.names.some((n) => n.lang === 'en') && r.names.some((n) => n.lang === 'zh')).length,
    ).toBe(512);
    // Two EU bodies carry "EU": not an ISO 3166 country, so `country` is left out and the text kept.
    const unresolved = records.filter((r) => r.attributes.Country && !r.country).map((r) => r.attributes.Country);
    expect(unresolved).toEqual(['EU', 'EU']);
  });

  it('diffs 2026-07-27 -> 2026-08-07 through the database exactly as the files differ', async () => {
    const before = keyed(BEFORE);
    const after = keyed(AFTER);
    const same = (a: Row, b: Row) => JSON.stringify(a) === JSON.stringify(b);
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
    const modified = [...after.keys()].filter((k) => before.has(k) && !same(before.get(k)!, after.get(k)!)).sort();
    // The files themselves: seven MOFCOM countermeasure targets of 2026-08-05 added, nothing else.
    expect(added.map((k) => after.get(k)!.Name).sort()).toEqual([
      'Altana Technologies, Inc.',
      'Applied DNA Sciences, Inc.',
      'Compliance Testing LLC',
      'Human Rights in China',
      'Responsible Business Alliance',
      'Stratum Reservoir, LLC.',
      'Verite Group, Inc.',
    ]);
    expect(removed).toEqual([]);
    expect(modified).toEqual([]);

    // The 07-27 file has CR LF line ends and the 08-07 file LF: a line-based diff would see every
    // row changed; the database must see only the seven.
    const diff = await diffThroughDatabase(adapter, {}, { main: open(BEFORE) }, { main: open(AFTER) });
    expect(diff.errors).toEqual([[], []]);
    expect(diff.rows).toEqual([603, 610]);
    expect(diff.added).toEqual(added);
    expect(diff.removed).toEqual(removed);
    expect(diff.modified).toEqual(modified);
  });
});
