import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ListRecord, RowError } from '@partnerwatch/domain';
import { staticParseContext } from '@partnerwatch/sources';
import { unConsolidatedAdapter as adapter } from '../../libs/sources/src/un/un-consolidated.adapter';
import { diffThroughDatabase } from '../support/diff-harness';
import { sharedDataPath } from '../support/shared-data';

/** The four published versions in ../shared/data and their record counts (MANIFEST-lists.md, section 5). */
const VERSIONS = [
  { file: 'un-consolidated-2018-08-24.xml', individuals: 701, entities: 397 },
  { file: 'un-consolidated-2018-10-29.xml', individuals: 703, entities: 390 },
  { file: 'un-consolidated-2020-03-20.xml', individuals: 709, entities: 305 },
  { file: 'un-consolidated-2026-02-27.xml', individuals: 730, entities: 273 },
];

async function parseFile(file: string): Promise<{ records: ListRecord[]; errors: RowError[] }> {
  const records: ListRecord[] = [];
  const errors: RowError[] = [];
  const context = staticParseContext(adapter.parseSettings({}));
  for await (const item of adapter.parse(createReadStream(sharedDataPath(file)), context)) {
    if ('record' in item) records.push(item.record);
    else if ('error' in item) errors.push(item.error);
  }
  return { records, errors };
}

/**
 * An independent reading of one version, by regular expressions over the text: each INDIVIDUAL or
 * ENTITY element, keyed by its trimmed REFERENCE_NUMBER, with the UN database's own DATAID and
 * VERSIONNUM removed, whitespace collapsed and whitespace between tags dropped.
 */
function scanVersion(file: string, options: { raw?: boolean } = {}): Map<string, string> {
  const text = readFileSync(sharedDataPath(file), 'utf8');
  const entries = new Map<string, string>();
  for (const match of text.matchAll(/<(INDIVIDUAL|ENTITY)>([\s\S]*?)<\/\1>/g)) {
    const body = match[2]!;
    const reference = /<REFERENCE_NUMBER>([^<]*)<\/REFERENCE_NUMBER>/.exec(body)?.[1]?.trim();
    if (!reference) throw new Error(`no REFERENCE_NUMBER in ${file}: ${body.slice(0, 80)}`);
    const content = options.raw
      ? body
      : body
          .replace(/<(DATAID|VERSIONNUM)>[^<]*<\/\1>/g, '')
          .replace(/\s+/g, ' ')
          .replace(/>\s+/g, '>')
          .replace(/\s+</g, '<');
    entries.set(reference, `${match[1]}:${content}`);
  }
  return entries;
}

const modifiedKeys = (before: Map<string, string>, after: Map<string, string>): string[] =>
  [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();

describe('UN consolidated list: the real published versions', () => {
  it.each(VERSIONS)('$file parses with no errors: $individuals individuals and $entities entities', async (version) => {
    const { records, errors } = await parseFile(version.file);
    expect(errors).toEqual([]);
    expect(records.filter((r) => r.entityType === 'person')).toHaveLength(version.individuals);
    expect(records.filter((r) => r.entityType === 'organization')).toHaveLength(version.entities);
    expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
    expect(records.every((r) => r.names[0]?.kind === 'primary' && r.programs?.length === 1)).toBe(true);
    expect(records.every((r) => r.listedOn === undefined || /^\d{4}-\d{2}-\d{2}$/.test(r.listedOn))).toBe(true);
  });

  it('2018-08-24 -> 2018-10-29 through the real diff: +3 / -8 / 9 modified, the keys an independent scan finds', async () => {
    const before = scanVersion('un-consolidated-2018-08-24.xml');
    const after = scanVersion('un-consolidated-2018-10-29.xml');
    const sorted = (keys: Iterable<string>): string[] => [...keys].sort();
    const expected = {
      added: sorted([...after.keys()].filter((k) => !before.has(k))),
      removed: sorted([...before.keys()].filter((k) => !after.has(k))),
      modified: modifiedKeys(before, after),
    };
    // Byte-for-byte comparison of the elements finds the same nine: no entry of this pair differs
    // only in DATAID, VERSIONNUM or layout, so leaving those out of the content hash costs no change.
    expect(
      modifiedKeys(
        scanVersion('un-consolidated-2018-08-24.xml', { raw: true }),
        scanVersion('un-consolidated-2018-10-29.xml', { raw: true }),
      ),
    ).toEqual(expected.modified);
    // MANIFEST-lists.md section 5: "+3 / −8 / 9 modified".
    expect(expected.added).toEqual(['LYi.027', 'QDe.159', 'QDi.419']);
    expect(expected.removed).toEqual([
      'IQe.057',
      'IQe.109',
      'IQe.120',
      'IQe.126',
      'IQe.143',
      'IQe.168',
      'IQe.187',
      'IQe.193',
    ]);
    expect(expected.modified).toEqual([
      'KPe.023',
      'LYi.021',
      'LYi.022',
      'LYi.023',
      'LYi.024',
      'LYi.025',
      'QDi.416',
      'QDi.417',
      'QDi.418',
    ]);

    const open = (file: string) => () => createReadStream(sharedDataPath(file));
    const diff = await diffThroughDatabase(
      adapter,
      {},
      { main: open('un-consolidated-2018-08-24.xml') },
      { main: open('un-consolidated-2018-10-29.xml') },
    );
    expect(diff.errors).toEqual([[], []]);
    expect(diff.rows).toEqual([1098, 1093]);
    expect(diff.added).toEqual(expected.added);
    expect(diff.removed).toEqual(expected.removed);
    expect(diff.modified).toEqual(expected.modified);
    expect([diff.added.length, diff.removed.length, diff.modified.length]).toEqual([3, 8, 9]);
  });
});
