import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, openCsvTable, SourceFormatError, type CsvRowItem } from '@partnerwatch/sources';
import { collect } from './source-fixtures';

const text = (value: string, chunkSize = 5): Readable => {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += chunkSize) chunks.push(value.slice(i, i + chunkSize));
  return Readable.from(chunks);
};

async function rowsOf(value: string, delimiter?: ',' | '\t'): Promise<{ header: string[]; rows: CsvRowItem[] }> {
  const table = await openCsvTable(text(value), delimiter ? { delimiter } : {});
  return { header: table.header, rows: await collect(table.rows) };
}

describe('openCsvTable', () => {
  it('keys rows by trimmed, NFKC-normalised, unique header names', async () => {
    const { header, rows } = await rowsOf(' 企业名称 ,ｃｏｄｅ,code,\n 北京星河贸易有限公司 , A1 ,B2,x,extra\n');
    expect(header).toEqual(['企业名称', 'code', 'code (2)', 'column 4']);
    expect(rows).toEqual([
      {
        row: 2,
        values: {
          企业名称: '北京星河贸易有限公司',
          code: 'A1',
          'code (2)': 'B2',
          'column 4': 'x',
          'column 5': 'extra',
        },
      },
    ]);
  });

  it('detects tab and comma delimiters from the header line', async () => {
    expect(detectDelimiter('名称\t代码\t日期')).toBe('\t');
    expect(detectDelimiter('名称,代码')).toBe(',');
    const tsv = await rowsOf('名称\t说明\n甲公司\t含,逗号\n');
    expect(tsv.rows).toEqual([{ row: 2, values: { 名称: '甲公司', 说明: '含,逗号' } }]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reports the line where each row starts (%s, blank lines, multi-line fields)', async (_name, eol) => {
    const csv = ['a,b', '1,"x', 'y"', '', '2,z', ',', '3,"p', 'q', 'r"', '4,w', ''].join(eol);
    const { rows } = await rowsOf(csv);
    expect(rows.map((r) => [r.row, 'values' in r ? r.values.a : r.error])).toEqual([
      [2, '1'],
      [5, '2'],
      [7, '3'],
      [10, '4'],
    ]);
  });

  it('keeps stray quotes inside unquoted values', async () => {
    const { rows } = await rowsOf('名称,代码\n某公司"分公司",1\n');
    expect(rows).toEqual([{ row: 2, values: { 名称: '某公司"分公司"', 代码: '1' } }]);
  });

  it('rejects a quote that never closes instead of dropping the rest of the file', async () => {
    await expect(rowsOf('a,b\n1,2\n3,"never closed\n4,5\n')).rejects.toThrow(SourceFormatError);
  });

  it('rejects an empty export', async () => {
    await expect(rowsOf('\n \n')).rejects.toThrow(/empty/);
  });

  it('accepts a header without a trailing newline', async () => {
    expect(await rowsOf('a,b')).toEqual({ header: ['a', 'b'], rows: [] });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const table = await openCsvTable(text('a\n' + '1\n'.repeat(1000)), { signal: controller.signal });
    const seen: CsvRowItem[] = [];
    await expect(
      (async () => {
        for await (const row of table.rows) {
          seen.push(row);
          if (seen.length === 3) controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen.length).toBeLessThan(1000);
  });
});
