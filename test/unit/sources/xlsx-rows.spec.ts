import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import {
  cellText,
  numberText,
  openXlsxTable,
  readXlsxRows,
  type XlsxRow,
} from '../../../libs/sources/src/tabular/xlsx-rows';
import { chunked, collect } from './source-fixtures';

/** A workbook built in memory with exceljs' (non-streaming) writer. */
async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same with exceljs' streaming writer, which lays the archive out differently (shared strings last). */
async function streamedXlsx(rows: unknown[][], useSharedStrings = true): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings });
  const sheet = workbook.addWorksheet('Data');
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** World Bank layout: a title line, then "Ineligibility Period" merged over "From Date" and "To Date". */
function worldBankLike(workbook: ExcelJS.Workbook, data: unknown[][]): void {
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(['Downloaded on: 07/01/2025 10:37']);
  sheet.mergeCells('A1:F1');
  sheet.addRow(['Firm Name', 'Additional Firm Info', 'Address', 'Country', 'Ineligibility Period', null, 'Grounds']);
  sheet.addRow([null, null, null, null, 'From Date', 'To Date', null]);
  for (const column of ['A', 'B', 'C', 'D', 'G']) sheet.mergeCells(`${column}2:${column}3`);
  sheet.mergeCells('E2:F2');
  for (const row of data) sheet.addRow(row);
}

const WB_DATA = [
  [
    'MR. RUFAT MAJIDOV',
    '*677',
    'BINAGADI HIGHWAY, BAKU',
    'Azerbaijan',
    '2024-12-10',
    '2027-08-09',
    'Obstructive Practices',
  ],
  ['GRAND MOTORS LLC', '*678', 'BAKU', 'Azerbaijan', '2024-12-10', 'Ongoing', 'Obstructive practices'],
];

describe('readXlsxRows', () => {
  it('gives each cell the text Excel shows: dates as ISO dates, numbers in full', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Types');
      sheet.addRow(['text', 'number', 'date']);
      sheet.getCell('A2').value = '  padded  ';
      sheet.getCell('B2').value = 110108012345678;
      sheet.getCell('C2').value = new Date(Date.UTC(2023, 0, 5));
      sheet.getCell('D2').value = new Date(Date.UTC(2023, 0, 5, 12, 30));
      sheet.getCell('A3').value = { richText: [{ text: '北京' }, { text: '星河', font: { bold: true } }] };
      sheet.getCell('B3').value = { formula: 'B2*2', result: 220216024691356 };
      sheet.getCell('C3').value = true;
      sheet.getCell('D3').value = { text: 'gov.cn', hyperlink: 'https://www.gov.cn' };
      sheet.getCell('E3').value = { error: '#N/A' };
      sheet.getCell('B5').value = 1e21;
      sheet.getCell('D5').value = -1.5e-7;
    });
    const rows = await collect(readXlsxRows(chunked(bytes, 7)));
    expect(rows).toEqual<XlsxRow[]>([
      { row: 1, cells: ['text', 'number', 'date'] },
      { row: 2, cells: ['  padded  ', '110108012345678', '2023-01-05', '2023-01-05T12:30:00'] },
      { row: 3, cells: ['北京星河', '220216024691356', 'TRUE', 'gov.cn', '#N/A'] },
      // Row 4 is empty and not stored; columns before the first value are ''.
      { row: 5, cells: ['', '1000000000000000000000', '', '-0.00000015'] },
    ]);
  });

  it('reads the workbooks exceljs writes as a stream (shared strings after the worksheet)', async () => {
    const bytes = await streamedXlsx([
      ['名称', '代码'],
      ['甲公司', 42],
      ['乙公司', new Date(Date.UTC(2024, 1, 29))],
    ]);
    const rows = await collect(readXlsxRows(chunked(bytes, 1000)));
    expect(rows.map((r) => r.cells)).toEqual([
      ['名称', '代码'],
      ['甲公司', '42'],
      ['乙公司', '2024-02-29'],
    ]);
  });

  it.each([
    ['shared strings', true],
    ['inline strings', false],
  ])('keeps Chinese text whole across chunk boundaries (%s)', async (_layout, useSharedStrings) => {
    // Far more than one 16 KiB inflate chunk of three-byte characters: exceljs on its own garbles
    // a character at every chunk boundary.
    // ASCII runs of varying length shift the characters against the chunk boundaries.
    const names = Array.from({ length: 3000 }, (_, i) => [
      `${'x'.repeat(i % 3)}${i}号：北京星河贸易有限公司第${i}分公司`,
    ]);
    const bytes = await streamedXlsx(names, useSharedStrings);
    const rows = await collect(readXlsxRows(chunked(bytes, 1024)));
    expect(rows.map((r) => r.cells[0])).toEqual(names.map((row) => row[0]));
  });

  it('reads the named worksheet, or says which worksheets there are', async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet('Notes').addRow(['read me']);
      workbook.addWorksheet('List').addRow(['the list']);
    });
    expect((await collect(readXlsxRows(chunked(bytes)))).map((r) => r.cells)).toEqual([['read me']]);
    expect((await collect(readXlsxRows(chunked(bytes), { sheet: 'List' }))).map((r) => r.cells)).toEqual([
      ['the list'],
    ]);
    const missing = collect(readXlsxRows(chunked(bytes), { sheet: 'Debarred' }));
    await expect(missing).rejects.toThrow(SourceFormatError);
    await expect(collect(readXlsxRows(chunked(bytes), { sheet: 'Debarred' }))).rejects.toThrow(/Notes, List/);
  });

  it.each([
    ['a CSV file', Buffer.from('Firm Name,Country\nACME,China\n'), /not an XLSX workbook.*"Firm Name,Countr"/],
    ['an HTML error page', Buffer.from('<!DOCTYPE html><html>503</html>'), /looks like an HTML or XML page/],
    ['a legacy .xls file', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /legacy Excel 97-2003/],
    ['nothing', Buffer.alloc(0), /empty/],
    ['an empty zip archive', Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]), /empty zip/],
  ])('refuses %s with a SourceFormatError', async (_what, bytes, message) => {
    const rows = collect(readXlsxRows(Readable.from([bytes])));
    await expect(rows).rejects.toThrow(SourceFormatError);
    await expect(collect(readXlsxRows(Readable.from([bytes])))).rejects.toThrow(message);
  });

  it('fails a workbook cut short with a SourceFormatError, never a shorter list', async () => {
    const data = Array.from({ length: 2000 }, (_, i) => [`Firm ${i}`, `Street ${i}`, 'China', i]);
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Sheet1');
      sheet.addRow(['Firm Name', 'Address', 'Country', 'N']);
      for (const row of data) sheet.addRow(row);
    });
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    await expect(collect(readXlsxRows(chunked(cut, 4096)))).rejects.toThrow(SourceFormatError);
    await expect(collect(readXlsxRows(chunked(cut, 4096)))).rejects.toThrow(/damaged or was cut short/);
  });

  it('stops with the abort reason when the signal aborts', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Sheet1');
      for (let i = 0; i < 100; i++) sheet.addRow([`row ${i}`]);
    });
    const controller = new AbortController();
    const read = async (): Promise<number> => {
      let seen = 0;
      for await (const _row of readXlsxRows(chunked(bytes, 512), { signal: controller.signal })) {
        seen++;
        if (seen === 3) controller.abort();
      }
      return seen;
    };
    await expect(read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect(collect(readXlsxRows(chunked(bytes), { signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('gives up at once when aborted while the download stalls', async () => {
    const bytes = await streamedXlsx(Array.from({ length: 500 }, (_, i) => [`row ${i}`, i]));
    const stalled = new PassThrough();
    // Half the archive arrives, then nothing more and no end.
    stalled.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    const controller = new AbortController();
    const read = collect(readXlsxRows(stalled, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    expect(stalled.destroyed).toBe(true);
  });
});

describe('openXlsxTable', () => {
  it('skips the title line and combines a two-row header', async () => {
    const bytes = await xlsx((workbook) => worldBankLike(workbook, WB_DATA));
    const table = await openXlsxTable(chunked(bytes, 100), {
      required: ['Firm Name', 'Ineligibility Period From Date', ['Grounds', 'Reason']],
    });
    expect(table.header).toEqual([
      'Firm Name',
      'Additional Firm Info',
      'Address',
      'Country',
      'Ineligibility Period From Date',
      'Ineligibility Period To Date',
      'Grounds',
    ]);
    expect(table.headerRows).toEqual([2, 3]);
    const rows = await collect(table.rows);
    expect(rows.map((r) => r.row)).toEqual([4, 5]);
    expect(rows[1]).toEqual({
      row: 5,
      values: {
        'Firm Name': 'GRAND MOTORS LLC',
        'Additional Firm Info': '*678',
        Address: 'BAKU',
        Country: 'Azerbaijan',
        'Ineligibility Period From Date': '2024-12-10',
        'Ineligibility Period To Date': 'Ongoing',
        Grounds: 'Obstructive practices',
      },
    });
  });

  it('keeps the first data row after a one-row header, even one shaped like sub-headers', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Sheet1');
      sheet.addRow(['Firm Name', 'Period', null, 'Grounds']);
      // Values only under the spanning "Period": data (dates), not sub-headers.
      sheet.addRow([null, '2024-01-01', '2025-01-01', null]);
      sheet.addRow(['ACME LTD', '2023-01-01', 'Ongoing', 'Fraud']);
    });
    const table = await openXlsxTable(chunked(bytes), { required: ['Firm Name', 'Grounds'] });
    expect(table.header).toEqual(['Firm Name', 'Period', 'column 3', 'Grounds']);
    expect(table.headerRows).toEqual([1]);
    expect((await collect(table.rows)).map((r) => [r.row, r.values['Firm Name'], r.values.Period])).toEqual([
      [2, '', '2024-01-01'],
      [3, 'ACME LTD', '2023-01-01'],
    ]);
  });

  it('matches header names ignoring case, spacing, underscores and full-width forms', async () => {
    const bytes = await streamedXlsx([
      ['  FIRM_NAME ', 'Ｃｏｕｎｔｒｙ'],
      ['ACME', 'China'],
    ]);
    const table = await openXlsxTable(chunked(bytes), { required: ['Firm Name', 'country'] });
    expect(table.header).toEqual(['FIRM_NAME', 'Country']);
    expect(await collect(table.rows)).toEqual([{ row: 2, values: { FIRM_NAME: 'ACME', Country: 'China' } }]);
  });

  it('names the missing columns when no header row is found in the first rows', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('Sheet1');
      sheet.addRow(['Report']);
      sheet.addRow(['Name', 'Country']);
      for (let i = 0; i < 30; i++) sheet.addRow([`Firm ${i}`, 'Grounds']);
    });
    const open = () => openXlsxTable(chunked(bytes), { required: ['Name', ['Grounds', 'Reason']], maxHeaderRows: 5 });
    await expect(open()).rejects.toThrow(SourceFormatError);
    await expect(open()).rejects.toThrow(/Name, Grounds or Reason in the first 5 rows.*row 2, lacks Grounds or Reason/);
  });

  it('reads a header with no data rows as an empty table', async () => {
    const bytes = await xlsx((workbook) => worldBankLike(workbook, []));
    const table = await openXlsxTable(chunked(bytes), { required: ['Firm Name'] });
    expect(table.headerRows).toEqual([2, 3]);
    expect(await collect(table.rows)).toEqual([]);
  });
});

describe('cell text', () => {
  it.each([
    [0, '0'],
    [42, '42'],
    [-3.25, '-3.25'],
    [123456789012345680000, '123456789012345680000'],
    [1.5e21, '1500000000000000000000'],
    [2.5e-7, '0.00000025'],
    [-1.234e-10, '-0.0000000001234'],
  ])('writes %s as %s', (value, text) => {
    expect(numberText(value)).toBe(text);
  });

  it('reads formula errors and empty values as text', () => {
    expect(cellText({ formula: '1/0', result: { error: '#DIV/0!' } })).toBe('#DIV/0!');
    expect(cellText({ sharedFormula: 'A1', result: 'shared' })).toBe('shared');
    expect(cellText(null)).toBe('');
    expect(cellText(new Date(Number.NaN))).toBe('');
  });
});
