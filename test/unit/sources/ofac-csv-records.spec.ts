import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '@partnerwatch/sources';
import { readCsvRecords, type CsvRecord } from '../../../libs/sources/src/ofac/csv-records.reader';
import { collect } from './source-fixtures';

/** The text in chunks of `size` characters, to cut quotes and line breaks at every position. */
async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const read = (text: string, size = text.length || 1, maxRecordSize?: number): Promise<CsvRecord[]> =>
  collect(readCsvRecords(pieces(text, size), maxRecordSize ? { maxRecordSize } : {}));

describe('readCsvRecords (header-less CSV reader used by the OFAC and CSL parsers)', () => {
  it('reads quoted and unquoted cells with the line each record starts on', async () => {
    const text = 'a,"b, c",d\r\n\r\n"multi\r\nline","say ""hi"""\nlast,\rx\n';
    const expected: CsvRecord[] = [
      { row: 1, cells: ['a', 'b, c', 'd'], terminated: true },
      { row: 3, cells: ['multi\r\nline', 'say "hi"'], terminated: true },
      { row: 5, cells: ['last', ''], terminated: true },
      { row: 6, cells: ['x'], terminated: true },
    ];
    for (const size of [1, 2, 3, 5, 100]) expect(await read(text, size)).toEqual(expected);
  });

  it('marks a last record without a line break, and one cut inside quotes', async () => {
    expect(await read('a,b\r\nc,d')).toEqual([
      { row: 1, cells: ['a', 'b'], terminated: true },
      { row: 2, cells: ['c', 'd'], terminated: false },
    ]);
    expect(await read('a,b\r\nc,"d e')).toEqual([
      { row: 1, cells: ['a', 'b'], terminated: true },
      {
        row: 2,
        cells: ['c', 'd e'],
        terminated: false,
        problem: 'the export ends inside a quoted field of column 2',
        cutInQuotes: true,
      },
    ]);
  });

  it('opens quotes after padding, keeps text after a closing quote and flags it', async () => {
    expect(await read('-0- , "x",y\n"a"b,c\n')).toEqual([
      { row: 1, cells: ['-0- ', 'x', 'y'], terminated: true },
      {
        row: 2,
        cells: ['ab', 'c'],
        terminated: true,
        problem: 'unexpected text after a closing quote in column 1',
      },
    ]);
  });

  it('reads tab-separated records', async () => {
    expect(await collect(readCsvRecords(pieces('a\tb,c\n', 2), { delimiter: '\t' }))).toEqual([
      { row: 1, cells: ['a', 'b,c'], terminated: true },
    ]);
  });

  it('rejects a quote that never closes within the record size limit', async () => {
    await expect(read(`a,"${'x'.repeat(200)}\n${'y'.repeat(200)}`, 16, 100)).rejects.toThrow(SourceFormatError);
  });
});
