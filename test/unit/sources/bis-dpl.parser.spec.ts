import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import { SourceFormatError, SourceSettingsError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { bisDplAdapter as adapter } from '../../../libs/sources/src/bis/bis-dpl.adapter';
import { bisDplKey, parseUsDate } from '../../../libs/sources/src/bis/bis-dpl.parser';
import { chunked, collect, errors, records } from './source-fixtures';

const HEADER = [
  'Name',
  'Street_Address',
  'City',
  'State',
  'Country',
  'Postal_Code',
  'Effective_Date',
  'Expiration_Date',
  'Standard_Order',
  'Last_Update',
  'Action',
  'FR_Citation',
];

/** dpl.txt as BIS publishes it: tab-separated, every field quoted, quotes inside doubled. */
const dpl = (rows: readonly (readonly string[])[], eol = '\n'): Buffer =>
  Buffer.from(
    [HEADER, ...rows].map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join('\t')).join(eol) + eol,
    'utf8',
  );

async function parse(bytes: Buffer, chunkSize = 97): Promise<ParseItem[]> {
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(adapter.parseSettings({}))));
}

const VILLA = [
  'AARON ABRAHAM VILLA',
  '3415 RIVERA AVENUE',
  'EL PASO',
  'TX',
  '',
  '79905',
  '08/24/2022',
  '01/14/2026',
  'Y',
  '2022-08-29',
  'F.R. NOTICE ADDED',
  '87 F.R. 52741 8/29/2022',
];
const AIR_FREIGHT_2022 = [
  'AIR FREIGHT LTD',
  'P.O. BOX 28360',
  'DUBAI',
  '',
  'AE',
  '',
  '05/13/2022',
  '11/09/2022',
  'Y',
  '2022-05-18',
  'TDO RENEWAL, F.R. NOTICE ADDED',
  '80 F.R. 30435 5/28/15, 87 F.R. 30173 5/18/2022',
];
/** The same temporary denial order renewed: new dates, one more citation. */
const AIR_FREIGHT_2023 = [
  'AIR FREIGHT LTD',
  'P.O. BOX 28360',
  'DUBAI',
  '',
  'AE',
  '',
  '10/31/2023',
  '10/30/2024',
  'Y',
  '2023-11-02',
  'TDO RENEWAL, F.R. NOTICE ADDED, TDO RENEWAL',
  '80 F.R. 30435 5/28/15, 87 F.R. 30173 5/18/2022, 88 F.R. 30078 5/10/2023',
];
const ELASHI = [
  'IHSAN MEDHAT "SAMMY" ELASHI',
  '605 TRAIL LAKE DRIVE',
  'RICHARDSON',
  'TX',
  'US',
  '75081',
  '03/04/2002',
  '06/29/2056',
  'Y',
  '2006-07-11',
  '50 YEAR DENIAL',
  '67 F.R. 56530 9/4/02',
];

describe('bis-dpl parser', () => {
  it('reads the quoted TSV into records', async () => {
    const items = await parse(dpl([VILLA, AIR_FREIGHT_2022, ELASHI]));
    expect(errors(items)).toEqual([]);
    const [villa, airFreight, elashi] = records(items);
    expect(villa).toEqual({
      key: bisDplKey({ name: 'AARON ABRAHAM VILLA', street: '3415 RIVERA AVENUE' }),
      entityType: 'unknown',
      names: [{ value: 'AARON ABRAHAM VILLA', kind: 'primary' }],
      identifiers: [],
      listedOn: '2022-08-24',
      authority: 'U.S. Department of Commerce, Bureau of Industry and Security',
      attributes: {
        Name: 'AARON ABRAHAM VILLA',
        Street_Address: '3415 RIVERA AVENUE',
        City: 'EL PASO',
        State: 'TX',
        Postal_Code: '79905',
        Effective_Date: '08/24/2022',
        Expiration_Date: '01/14/2026',
        Standard_Order: 'Y',
        Last_Update: '2022-08-29',
        Action: 'F.R. NOTICE ADDED',
        FR_Citation: '87 F.R. 52741 8/29/2022',
      },
    });
    expect(airFreight).toMatchObject({ entityType: 'organization', country: 'AE', listedOn: '2022-05-13' });
    expect(elashi?.names[0]?.value).toBe('IHSAN MEDHAT "SAMMY" ELASHI');
    expect(elashi?.country).toBe('US');
  });

  it('keeps the key of a renewed temporary denial order and changes its content', async () => {
    const [before] = records(await parse(dpl([AIR_FREIGHT_2022])));
    const [after] = records(await parse(dpl([AIR_FREIGHT_2023])));
    expect(after?.key).toBe(before?.key);
    expect(after?.listedOn).toBe('2023-10-31');
    expect(recordContentHash(after!)).not.toBe(recordContentHash(before!));
  });

  it('keys each address of a party apart, and a corrected city or country in place', async () => {
    const secondAddress = [...AIR_FREIGHT_2022];
    secondAddress[1] = 'P.O. BOX 911399';
    secondAddress[2] = 'AMMAN';
    const cityFixed = [...VILLA];
    cityFixed[2] = 'EL  PASO, TEXAS';
    cityFixed[4] = 'US';
    const [a, b] = records(await parse(dpl([AIR_FREIGHT_2022, secondAddress])));
    expect(a?.key).not.toBe(b?.key);
    const [villa, fixed] = records(await parse(dpl([VILLA, cityFixed])));
    expect(fixed?.key).toBe(villa?.key);
  });

  it('locates a party without a street by city, state and country', () => {
    const geneva = bisDplKey({ name: 'ALI M HIJAZI', street: '', city: 'GENEVA', country: 'CH' });
    const savoie = bisDplKey({ name: 'ALI M HIJAZI', street: '', city: 'HAUTE SAVOIE', country: 'FR' });
    expect(geneva).not.toBe(savoie);
    expect(bisDplKey({ name: 'ali m  hijazi', city: 'geneva', country: 'ch' })).toBe(geneva);
  });

  it('gives a row BIS publishes twice the same key (one entry in the database)', async () => {
    const items = await parse(dpl([VILLA, VILLA]));
    const [first, second] = records(items);
    expect(second?.key).toBe(first?.key);
    expect(recordContentHash(second!)).toBe(recordContentHash(first!));
  });

  it('reads CR LF files and header names that differ in case, spacing or underscores', async () => {
    const bytes = Buffer.from(dpl([VILLA], '\r\n').toString('utf8').replace('"Street_Address"', '"STREET ADDRESS"'));
    const items = await parse(bytes);
    expect(errors(items)).toEqual([]);
    const [record] = records(items);
    expect(record?.attributes['STREET ADDRESS']).toBe('3415 RIVERA AVENUE');
    expect(record?.key).toBe(bisDplKey({ name: 'AARON ABRAHAM VILLA', street: '3415 RIVERA AVENUE' }));
  });

  it('reports rows without a name or with a bad date by line, and parses the rest', async () => {
    const noName = [...VILLA];
    noName[0] = '';
    const badDate = [...VILLA];
    badDate[6] = '2022-08-24';
    const items = await parse(dpl([noName, VILLA, badDate]));
    expect(records(items)).toHaveLength(1);
    expect(errors(items)).toEqual([
      { row: 2, message: 'Name is empty' },
      { row: 4, message: 'Effective_Date "2022-08-24" is not a MM/DD/YYYY date' },
    ]);
  });

  it('marks a last row cut short as truncated', async () => {
    const whole = dpl([VILLA, ELASHI]);
    // Cut inside the last row's quoted Action field: the download stopped there.
    const cut = whole.subarray(0, whole.lastIndexOf('50 YEAR') + 4);
    const items = await parse(cut);
    expect(records(items)).toHaveLength(1);
    expect(errors(items)).toEqual([{ row: 3, message: expect.stringContaining('truncated'), truncated: true }]);
  });

  it('rejects an export without the columns it needs, naming them', async () => {
    const bytes = Buffer.from('"Name"\t"City"\n"X"\t"Y"\n');
    await expect(parse(bytes)).rejects.toThrow(SourceFormatError);
    await expect(parse(bytes)).rejects.toThrow(
      /Street_Address, State, Country, Postal_Code, Effective_Date.*found columns: Name, City/,
    );
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const context = staticParseContext(adapter.parseSettings({}), {}, controller.signal);
    await expect(collect(adapter.parse(chunked(dpl([VILLA])), context))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads US dates strictly', () => {
    expect(parseUsDate('06/29/2056')).toBe('2056-06-29');
    expect(parseUsDate('2/3/2019')).toBe('2019-02-03');
    expect(parseUsDate('13/01/2019')).toBeUndefined();
    expect(parseUsDate('02/30/2019')).toBeUndefined();
  });

  it('takes the tabular settings', () => {
    expect(adapter.parseSettings({})).toEqual({ encoding: 'auto' });
    expect(adapter.parseSettings({ delimiter: 'tab' })).toEqual({ encoding: 'auto', delimiter: '\t' });
    expect(() => adapter.parseSettings({ sheet: 'x' })).toThrow(SourceSettingsError);
  });
});
