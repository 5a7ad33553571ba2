import { describe, expect, it } from 'vitest';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { usDod1260hAdapter as adapter } from '../../../libs/sources/src/us-dod-1260h/us-dod-1260h.adapter';
import { undecoratedName, usDod1260hKey } from '../../../libs/sources/src/us-dod-1260h/us-dod-1260h.parser';
import { chunked, collect, errors, records, table } from './source-fixtures';

const HEADER = [
  'Name',
  'Clean Name',
  'Alias',
  'Previous Name',
  'Parent Name',
  'Note',
  'Start date',
  'End date',
  'Source Url',
];
const PDF = 'https://media.defense.gov/2026/Jun/08/2003945537/-1/-1/1/ENTITIES-IDENTIFIED.PDF';

const AVIC_CHENGDU = [
  'AVIC Chengdu Aircraft Co., Ltd. (formerly Zhonghang Electronic Measuring Instruments Company Limited (ZEMIC))',
  'AVIC Chengdu Aircraft Co., Ltd.',
  '',
  'Zhonghang Electronic Measuring Instruments Company Limited; ZEMIC',
  'Aviation Industry Corporation of China, Ltd.',
  '',
  '2026-06-08',
  '',
  PDF,
];
const CIECC = [
  'China International Engineering Consulting Corporation (CIECC)',
  'China International Engineering Consulting Corporation',
  'CIECC',
  '',
  '',
  'No apparent U.S. nexus',
  '2022-10-05',
  '2024-01-31',
  '',
];
const DAHUA = [
  'Zhejiang Dahua Technology Co., Ltd. (Dahua)',
  'Zhejiang Dahua Technology Co., Ltd.',
  'Dahua',
  '',
  '',
  'Dahua is indirectly owned by SASAC (Section 1260H(g)(2)(B)(i)(I)).',
  '2026-06-08',
  '',
  PDF,
];

async function parse(rows: string[][]): Promise<ParseItem[]> {
  const bytes = Buffer.from(table([HEADER, ...rows]), 'utf8');
  return collect(adapter.parse(chunked(bytes, 80), staticParseContext(adapter.parseSettings({}))));
}

describe('us-dod-1260h parser', () => {
  it('reads designations with their clean, former and short names', async () => {
    const items = await parse([AVIC_CHENGDU, CIECC, DAHUA]);
    expect(errors(items)).toEqual([]);
    const [chengdu, ciecc, dahua] = records(items);
    expect(chengdu).toEqual({
      key: usDod1260hKey({ name: 'AVIC Chengdu Aircraft Co., Ltd.', startDate: '2026-06-08' }),
      entityType: 'organization',
      programs: ['NDAA FY2021 Section 1260H'],
      names: [
        { value: 'AVIC Chengdu Aircraft Co., Ltd.', lang: 'en', kind: 'primary' },
        { value: 'Zhonghang Electronic Measuring Instruments Company Limited', lang: 'en', kind: 'alias' },
        { value: 'ZEMIC', lang: 'en', kind: 'alias' },
      ],
      identifiers: [],
      listedOn: '2026-06-08',
      authority: 'U.S. Department of Defense',
      attributes: {
        Name: AVIC_CHENGDU[0],
        'Clean Name': 'AVIC Chengdu Aircraft Co., Ltd.',
        'Previous Name': 'Zhonghang Electronic Measuring Instruments Company Limited; ZEMIC',
        'Parent Name': 'Aviation Industry Corporation of China, Ltd.',
        'Start date': '2026-06-08',
        'Source Url': PDF,
      },
    });
    // An ended designation is a delisting; its note says why.
    expect(ciecc).toMatchObject({
      listedOn: '2022-10-05',
      delisting: { on: '2024-01-31', reason: 'No apparent U.S. nexus' },
    });
    expect(ciecc?.reason).toBeUndefined();
    // On a current designation the note is the basis for it.
    expect(dahua?.reason).toBe('Dahua is indirectly owned by SASAC (Section 1260H(g)(2)(B)(i)(I)).');
    expect(dahua?.delisting).toBeUndefined();
  });

  it('keys a designation by company and tranche: the same company named again is another entry', async () => {
    const renamedAgain = [...DAHUA];
    renamedAgain[6] = '2027-01-07';
    const [first, second] = records(await parse([DAHUA, renamedAgain]));
    expect(first?.key).not.toBe(second?.key);
    const noteChanged = [...DAHUA];
    noteChanged[5] = 'Dahua is a military-civil fusion contributor.';
    expect(records(await parse([noteChanged]))[0]?.key).toBe(first?.key);
  });

  it('falls back to the published name without its decorations when Clean Name is empty', async () => {
    const row = ['Aviation Industry Corporation of China Ltd. (AVIC)*', '', 'AVIC', '', '', '', '2021-06-03', '', ''];
    expect(records(await parse([row]))[0]?.names.map((n) => n.value)).toEqual([
      'Aviation Industry Corporation of China Ltd.',
      'AVIC',
    ]);
    expect(undecoratedName('360 Security Technology Inc. (Qihoo 360)*')).toBe('360 Security Technology Inc.');
  });

  it('reports an unreadable date by line and rejects a file without its columns', async () => {
    const bad = [...DAHUA];
    bad[6] = 'June 2026';
    expect(errors(await parse([DAHUA, bad]))).toEqual([{ row: 3, message: 'Start date "June 2026" is not a date' }]);
    const wrong = Buffer.from('Company,Date\nX,2024-01-01\n');
    const run = () => collect(adapter.parse(chunked(wrong), staticParseContext(adapter.parseSettings({}))));
    await expect(run()).rejects.toThrow(SourceFormatError);
    await expect(run()).rejects.toThrow(/Name, Start date/);
  });
});
