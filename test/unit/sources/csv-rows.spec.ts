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

  it('reports a quote that never closes as a truncated export instead of dropping the rest silently', async () => {
    const { rows } = await rowsOf('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(rows).toEqual([
      { row: 2, values: { a: '1', b: '2' } },
      { row: 3, error: expect.stringContaining('truncated'), truncated: true },
    ]);
  });

  it('reports a last row cut mid-row as truncated, and a complete last row without a line break as a row', async () => {
    const cut = await rowsOf('a,b,c\n1,2,3\n4,5');
    expect(cut.rows.at(-1)).toEqual({ row: 3, error: expect.stringContaining('2 of 3 columns'), truncated: true });
    const whole = await rowsOf('a,b,c\n1,2,3\n4,5,6');
    expect(whole.rows.at(-1)).toEqual({ row: 3, values: { a: '4', b: '5', c: '6' } });
  });

  it('rejects a record longer than the limit (a quote that never closes in a large file)', async () => {
    const table = await openCsvTable(text('a,b\n1,"' + 'x'.repeat(5000) + '\n', 100), { maxRecordSize: 1000 });
    await expect(collect(table.rows)).rejects.toThrow(SourceFormatError);
  });

  it('gives the same rows whatever the chunking: quotes, escaped quotes and CRLF split across chunks', async () => {
    const csv = 'name,note\r\n"Acme ""East"" Ltd.","a\r\nb"\r\nBeta,"x,y"\r\n';
    const expected = [
      { row: 2, values: { name: 'Acme "East" Ltd.', note: 'a\r\nb' } },
      { row: 4, values: { name: 'Beta', note: 'x,y' } },
    ];
    for (const size of [1, 2, 3, 7, 1000]) {
      const table = await openCsvTable(text(csv, size));
      expect(await collect(table.rows), `chunk size ${size}`).toEqual(expected);
    }
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
