import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { ebrdIneligibleAdapter as adapter } from '../../../libs/sources/src/ebrd/ebrd-ineligible.adapter';
import { chunked, collect, errors, records, table } from './source-fixtures';

/** The export's header as published: note the space before "Ineligible Until". */
const HEADER = [
  'Firm Name',
  'Address',
  'Nationality',
  'Ineligible From',
  ' Ineligible Until',
  'Notice Effective At EBRD',
  'Originating Institution',
  'Prohibited Practice',
];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const csv = (rows: string[][]): Buffer => Buffer.concat([BOM, Buffer.from(table([HEADER, ...rows]), 'utf8')]);

async function parse(bytes: Buffer): Promise<ParseItem[]> {
  return collect(adapter.parse(chunked(bytes, 64), staticParseContext(adapter.parseSettings({}))));
}

const GEZHOUBA = [
  ' China Gezhouba Group Co., Ltd. by Shares Nigeria Co., Ltd.',
  'CGGC House, Plot No.464 Cadastral Zone B04 Jabi District Abuja Nigeria',
  'Nigeria',
  '2024-07-01T12:00:59Z',
  '2025-05-31T12:00:59Z',
  '2024-07-01T12:00:59Z',
  'EBRD',
  'Fraudulent Practice',
];
const HEBEI = [
  'Hebei Construction Group\nCorporation Limited Jinan Branch',
  'Jinan, Shandong Province',
  'Peoples Republic of China',
  '',
  'Ongoing',
  '2024-09-16T12:00:59Z',
  'Asian Development Bank',
  'Fraudulent practice',
];
const DON = [
  'Mr. Sisira Kumara Kumaragamage Don',
  '22, Verna Av Mitcham VIC Australia 3132',
  'Australia',
  '2020-05-18T08:41:59Z',
  'Indefinite',
  '2020-05-18T08:41:59Z',
  'Asian Development Bank',
  'Coercive Practice',
];

describe('ebrd-ineligible parser', () => {
  it('reads the BOM CSV with its padded header names into records', async () => {
    const items = await parse(csv([GEZHOUBA, HEBEI, DON]));
    expect(errors(items)).toEqual([]);
    const [gezhouba, hebei, don] = records(items);
    expect(gezhouba).toEqual({
      key: expect.stringMatching(/^[0-9a-f]{32}$/),
      entityType: 'organization',
      names: [{ value: 'China Gezhouba Group Co., Ltd. by Shares Nigeria Co., Ltd.', kind: 'primary' }],
      identifiers: [],
      country: 'NG',
      listedOn: '2024-07-01',
      reason: 'Fraudulent Practice',
      authority: 'EBRD',
      attributes: {
        'Firm Name': 'China Gezhouba Group Co., Ltd. by Shares Nigeria Co., Ltd.',
        Address: 'CGGC House, Plot No.464 Cadastral Zone B04 Jabi District Abuja Nigeria',
        Nationality: 'Nigeria',
        'Ineligible From': '2024-07-01T12:00:59Z',
        'Ineligible Until': '2025-05-31T12:00:59Z',
        'Notice Effective At EBRD': '2024-07-01T12:00:59Z',
        'Originating Institution': 'EBRD',
        'Prohibited Practice': 'Fraudulent Practice',
      },
    });
    // A line break inside the quoted name is a space in the name; the published text is kept.
    expect(hebei?.names[0]?.value).toBe('Hebei Construction Group Corporation Limited Jinan Branch');
    expect(hebei?.attributes['Firm Name']).toBe('Hebei Construction Group\nCorporation Limited Jinan Branch');
    expect(hebei).toMatchObject({ country: 'CN', authority: 'Asian Development Bank' });
    // No start date of its own: it applies from the EBRD's notice.
    expect(hebei?.listedOn).toBe('2024-09-16');
    expect(hebei?.delisting).toBeUndefined();
    expect(don).toMatchObject({ entityType: 'person', country: 'AU', listedOn: '2020-05-18' });
  });

  it('keeps the key when the end, practice or notice change, and not when the firm moves or is debarred again', async () => {
    const [before] = records(await parse(csv([GEZHOUBA])));
    const extended = [...GEZHOUBA];
    extended[4] = 'Ongoing';
    extended[7] = 'Fraudulent and Corrupt Practices';
    const [after] = records(await parse(csv([extended])));
    expect(after?.key).toBe(before?.key);
    expect(recordContentHash(after!)).not.toBe(recordContentHash(before!));

    const otherAddress = [...GEZHOUBA];
    otherAddress[1] = 'Plot 12, Lagos';
    const again = [...GEZHOUBA];
    again[3] = '2026-01-05T12:00:59Z';
    const [moved, debarredAgain] = records(await parse(csv([otherAddress, again])));
    expect(moved?.key).not.toBe(before?.key);
    expect(debarredAgain?.key).not.toBe(before?.key);
  });

  it('reports a bad date and an empty name by line; multi-line rows count their lines', async () => {
    const badDate = [...DON];
    badDate[3] = 'last year';
    const noName = [...DON];
    noName[0] = ' ';
    const items = await parse(csv([HEBEI, badDate, noName]));
    expect(records(items)).toHaveLength(1);
    // HEBEI spans lines 2-3.
    expect(errors(items)).toEqual([
      { row: 4, message: 'Ineligible From "last year" is not a date' },
      { row: 5, message: 'Firm Name is empty' },
    ]);
  });

  it('rejects an export without its columns, naming them', async () => {
    const bytes = Buffer.from('Firm Name,Country\nACME,China\n');
    await expect(parse(bytes)).rejects.toThrow(SourceFormatError);
    await expect(parse(bytes)).rejects.toThrow(/Address, Ineligible From, Originating Institution/);
  });
});
