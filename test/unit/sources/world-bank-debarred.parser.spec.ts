import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import { SourceFormatError, SourceSettingsError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { worldBankDebarredAdapter as adapter } from '../../../libs/sources/src/world-bank/world-bank-debarred.adapter';
import { isLei, readAdditionalFirmInfo } from '../../../libs/sources/src/world-bank/world-bank-debarred.parser';
import { chunked, collect, errors, records } from './source-fixtures';

type Cell = string | Date | null;

/** The World Bank download's layout: title line, "Ineligibility Period" merged over From/To Date. */
async function download(data: Cell[][], options: { sheet?: string; oneRowHeader?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheet ?? 'Sheet1');
  sheet.addRow(['Downloaded on: 07/01/2025 10:37']);
  sheet.mergeCells('A1:F1');
  if (options.oneRowHeader) {
    sheet.addRow(['Firm Name', 'Additional Firm Info', 'Address', 'Country', 'From Date', 'To Date', 'Grounds']);
  } else {
    sheet.addRow(['Firm Name', 'Additional Firm Info', 'Address', 'Country', 'Ineligibility Period', null, 'Grounds']);
    sheet.addRow([null, null, null, null, 'From Date', 'To Date', null]);
    for (const column of ['A', 'B', 'C', 'D', 'G']) sheet.mergeCells(`${column}2:${column}3`);
    sheet.mergeCells('E2:F2');
  }
  for (const row of data) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function parse(bytes: Buffer, settings: unknown = {}): Promise<ParseItem[]> {
  return collect(adapter.parse(chunked(bytes, 2048), staticParseContext(adapter.parseSettings(settings))));
}

const MAJIDOV: Cell[] = [
  'MR. RUFAT MAJIDOV',
  '*677',
  'BINAGADI HIGHWAY, MADAN STREET 4 AZ1053, BAKU',
  'Azerbaijan',
  '2024-12-10',
  '2027-08-09',
  'Obstructive Practices',
];
const HEBEI: Cell[] = [
  'HEBEI CONSTRUCTION GROUP CORPORATION LIMITED QINGYUAN BRANCH',
  '河北建设集团股份有限公司清远分公司',
  'NO 388, WEST DEVELOPMENT ROAD, BAODING',
  'China',
  // A real Excel date cell, as other exports of the list have.
  new Date(Date.UTC(2024, 7, 22)),
  'Ongoing',
  'Cross Debarment: ADB',
];
const XINJIANG: Cell[] = [
  'XINJIANG TIANSHAN ROAD & BRIDGE CO., LTD.',
  '(新疆天山路桥有限责任公司)(91654202798170403M)*647',
  'URUMQI',
  'China',
  '2024-06-26',
  '2999-12-31',
  'Fraudulent Practice',
];
const LOTTE: Cell[] = [
  'LOTTE INNOVATE CO., LTD.',
  '(formerly known as LOTTE DATA COMMUNICATIONS COMPANY LIMITED) *623 (Reg. No. 110111-6557114)',
  'SEOUL',
  'Korea, Republic of',
  '2024-03-01',
  'Permanent',
  'Fraudulent Practice',
];

describe('world-bank-debarred parser', () => {
  it('reads the download: title line and two-row header skipped, one record per firm', async () => {
    const items = await parse(await download([MAJIDOV, HEBEI, XINJIANG, LOTTE]));
    expect(errors(items)).toEqual([]);
    const [majidov, hebei, xinjiang, lotte] = records(items);
    expect(majidov).toEqual({
      key: expect.stringMatching(/^[0-9a-f]{32}$/),
      entityType: 'person',
      names: [{ value: 'MR. RUFAT MAJIDOV', kind: 'primary' }],
      identifiers: [],
      country: 'AZ',
      listedOn: '2024-12-10',
      reason: 'Obstructive Practices',
      authority: 'World Bank Group',
      attributes: {
        'Firm Name': 'MR. RUFAT MAJIDOV',
        'Additional Firm Info': '*677',
        Address: 'BINAGADI HIGHWAY, MADAN STREET 4 AZ1053, BAKU',
        Country: 'Azerbaijan',
        'Ineligibility Period From Date': '2024-12-10',
        'Ineligibility Period To Date': '2027-08-09',
        Grounds: 'Obstructive Practices',
      },
    });
    expect(hebei).toMatchObject({
      entityType: 'organization',
      country: 'CN',
      listedOn: '2024-08-22',
      names: [
        { value: 'HEBEI CONSTRUCTION GROUP CORPORATION LIMITED QINGYUAN BRANCH', kind: 'primary' },
        { value: '河北建设集团股份有限公司清远分公司', lang: 'zh', kind: 'alias' },
      ],
    });
    expect(xinjiang?.identifiers).toEqual([{ scheme: 'uscc', value: '91654202798170403M' }]);
    expect(xinjiang?.names[1]).toEqual({ value: '新疆天山路桥有限责任公司', lang: 'zh', kind: 'alias' });
    expect(lotte).toMatchObject({
      country: 'KR',
      names: [
        { value: 'LOTTE INNOVATE CO., LTD.', kind: 'primary' },
        { value: 'LOTTE DATA COMMUNICATIONS COMPANY LIMITED', kind: 'alias' },
      ],
      identifiers: [{ scheme: 'registration', value: '110111-6557114' }],
    });
  });

  it('keeps "Ongoing", "Permanent" and 2999-12-31 ends as published, never as a delisting', async () => {
    const items = await parse(await download([HEBEI, XINJIANG, LOTTE]));
    expect(errors(items)).toEqual([]);
    const ends = records(items).map((r) => [r.attributes['Ineligibility Period To Date'], r.delisting]);
    expect(ends).toEqual([
      ['Ongoing', undefined],
      ['2999-12-31', undefined],
      ['Permanent', undefined],
    ]);
  });

  it('keys a debarment by firm, address, country and start: edits keep the key, a new period does not', async () => {
    const [before] = records(await parse(await download([MAJIDOV])));
    const edited: Cell[] = [...MAJIDOV];
    edited[1] = '*677 (Reg. No. 1163)';
    edited[5] = '2028-01-01';
    edited[6] = 'Obstructive and Fraudulent Practices';
    const [after] = records(await parse(await download([edited])));
    expect(after?.key).toBe(before?.key);
    expect(recordContentHash(after!)).not.toBe(recordContentHash(before!));

    const respaced: Cell[] = [...MAJIDOV];
    respaced[0] = ' mr.  rufat majidov ';
    expect(records(await parse(await download([respaced])))[0]?.key).toBe(before?.key);

    const again: Cell[] = [...MAJIDOV];
    again[4] = '2026-01-15';
    expect(records(await parse(await download([again])))[0]?.key).not.toBe(before?.key);
  });

  it('reports a row without a name or with a start that is not a date, by its worksheet row', async () => {
    const noName: Cell[] = [...MAJIDOV];
    noName[0] = null;
    const badDate: Cell[] = [...MAJIDOV];
    badDate[4] = 'soon';
    const items = await parse(await download([MAJIDOV, noName, [], badDate]));
    expect(records(items)).toHaveLength(1);
    // Rows 1-3 are the title and the header; the blank row 6 is skipped.
    expect(errors(items)).toEqual([
      { row: 5, message: 'Firm Name is empty' },
      { row: 7, message: 'Ineligibility Period From Date "soon" is not a date' },
    ]);
  });

  it('accepts the header on one row, and a named worksheet', async () => {
    const bytes = await download([MAJIDOV], { oneRowHeader: true, sheet: 'Debarred Firms' });
    const [record] = records(await parse(bytes, { sheet: 'Debarred Firms' }));
    expect(record?.listedOn).toBe('2024-12-10');
    expect(record?.attributes['To Date']).toBe('2027-08-09');
    // The same debarment whichever header layout: the key does not depend on column names.
    const [twoRows] = records(await parse(await download([MAJIDOV])));
    expect(record?.key).toBe(twoRows?.key);
  });

  it('rejects a workbook without the columns, naming them, and input that is not XLSX', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['Name', 'Country', 'Start']);
    const wrong = Buffer.from(await workbook.xlsx.writeBuffer());
    await expect(parse(wrong)).rejects.toThrow(SourceFormatError);
    await expect(parse(wrong)).rejects.toThrow(/Firm Name.*Ineligibility Period From Date or From Date/);
    const csv = Buffer.from('Firm Name,Country\nACME,China\n');
    await expect(parse(csv)).rejects.toThrow(/not an XLSX workbook/);
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const bytes = await download(Array.from({ length: 50 }, () => MAJIDOV));
    const controller = new AbortController();
    const context = staticParseContext(adapter.parseSettings({}), {}, controller.signal);
    const run = async () => {
      for await (const _item of adapter.parse(Readable.from([bytes]), context)) controller.abort();
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('world-bank-debarred settings', () => {
  it('takes an optional worksheet name and nothing else', () => {
    expect(adapter.parseSettings(undefined)).toEqual({});
    expect(adapter.parseSettings({ sheet: ' Sheet1 ' })).toEqual({ sheet: 'Sheet1' });
    expect(() => adapter.parseSettings({ sheeet: 'x' })).toThrow(SourceSettingsError);
    expect(() => adapter.parseSettings({ sheet: '' })).toThrow(/"sheet"/);
    expect(() => adapter.parseSettings('Sheet1')).toThrow(SourceSettingsError);
  });
});

describe('Additional Firm Info', () => {
  it('finds names and numbers, not footnote marks', () => {
    expect(readAdditionalFirmInfo('*677')).toEqual({ names: [], identifiers: [] });
    expect(readAdditionalFirmInfo('(新疆交通建设集团股份有限公司, 新疆交建)*647').names).toEqual([
      { value: '新疆交通建设集团股份有限公司', lang: 'zh', kind: 'alias' },
      { value: '新疆交建', lang: 'zh', kind: 'alias' },
    ]);
    expect(readAdditionalFirmInfo('(also d/b/a DAGI LLC) *516').names).toEqual([{ value: 'DAGI LLC', kind: 'alias' }]);
    expect(readAdditionalFirmInfo('(f.k.a [Shaanxi Neoplan Trading Co., Ltd.])').names).toEqual([
      { value: 'Shaanxi Neoplan Trading Co., Ltd.', kind: 'alias' },
    ]);
    expect(
      readAdditionalFirmInfo('(aka Taihan Cable & Solution Co., Ltd.)(Reg. No. 988400DCPX4WRVN1G369)*658'),
    ).toEqual({
      names: [{ value: 'Taihan Cable & Solution Co., Ltd.', kind: 'alias' }],
      identifiers: [{ scheme: 'lei', value: '988400DCPX4WRVN1G369' }],
    });
    // 18 characters in the USCC alphabet that fail the check character are not taken for a USCC.
    expect(readAdditionalFirmInfo('(91654202798170403A)').identifiers).toEqual([]);
    expect(isLei('988400DCPX4WRVN1G368')).toBe(false);
  });
});
