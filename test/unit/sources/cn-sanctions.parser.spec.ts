import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { primaryName } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { cnSanctionsAdapter as adapter } from '../../../libs/sources/src/cn-sanctions/cn-sanctions.adapter';
import {
  cnSanctionsKey,
  cnSanctionsListKind,
  parseDayMonthYear,
} from '../../../libs/sources/src/cn-sanctions/cn-sanctions.parser';
import { chunked, collect, errors, records, table } from './source-fixtures';

const HEADER = [
  'Type',
  'QID',
  'Name',
  'Alias',
  'Chinese name',
  'Country',
  'Topics',
  'Summary',
  'Chinese summary',
  'Body',
  'List',
  'Date',
  'End date',
  'Source URL',
  'Address',
];

const row = (values: Partial<Record<(typeof HEADER)[number], string>>): string[] => HEADER.map((h) => values[h] ?? '');

const ALTANA = row({
  Type: 'Company',
  Name: 'Altana Technologies, Inc.',
  Alias: 'Altana Technologies;Altana',
  'Chinese name': '阿尔塔纳技术公司',
  Country: 'US',
  Topics: 'sanction.counter',
  Body: 'Ministry of Commerce',
  List: 'List of Targets of Countermeasures',
  Date: '05.08.2026',
  'Source URL': 'https://aqygzj.mofcom.gov.cn/flzc/gzjgfxwj/art/2026/art_4028b8300fa24a0399f7da26e4939b20.html',
  Address: '25 Kent Ave Ste 501, Brooklyn, NY 11249, USA',
});
const SKYDIO = row({
  Type: 'Company',
  Name: 'Skydio, Inc.',
  'Chinese name': '斯凯迪奥公司',
  Country: 'US',
  Topics: 'export.control',
  Body: 'Ministry of Commerce',
  List: 'List of Export Controls',
  Date: '10.10.2024',
});
const SKYLA = row({
  Type: 'Company',
  Name: 'Skyla',
  'Chinese name': '天亮医疗',
  Country: 'TW',
  Topics: 'sanction',
  Body: 'Taiwan Affairs Office of the State Council',
  Date: '03.08.22',
  'End date': '13.07.23',
});
const RUBIO = row({
  Type: 'Person',
  Name: 'Marco Rubio',
  Country: 'US',
  Topics: 'sanction.counter',
  Summary: 'US Senator',
  Body: 'Ministry of Foreign Affairs',
  Date: '13.07.2020',
});

async function parse(bytes: Buffer): Promise<ParseItem[]> {
  return collect(adapter.parse(chunked(bytes, 50), staticParseContext(adapter.parseSettings({}))));
}
const utf8 = (rows: string[][]): Buffer => Buffer.from(table([HEADER, ...rows]), 'utf8');

describe('cn-sanctions-curated parser', () => {
  it('reads English and Chinese names, aliases, the body, list and dates', async () => {
    const items = await parse(utf8([ALTANA, SKYDIO, SKYLA, RUBIO]));
    expect(errors(items)).toEqual([]);
    const [altana, skydio, skyla, rubio] = records(items);
    expect(altana).toEqual({
      key: cnSanctionsKey({
        name: 'Altana Technologies, Inc.',
        body: 'Ministry of Commerce',
        list: 'List of Targets of Countermeasures',
        date: '2026-08-05',
      }),
      entityType: 'organization',
      listKind: 'sanctions',
      programs: ['List of Targets of Countermeasures'],
      names: [
        { value: 'Altana Technologies, Inc.', lang: 'en', kind: 'primary' },
        { value: '阿尔塔纳技术公司', lang: 'zh', kind: 'primary' },
        { value: 'Altana Technologies', lang: 'en', kind: 'alias' },
        { value: 'Altana', lang: 'en', kind: 'alias' },
      ],
      identifiers: [],
      country: 'US',
      listedOn: '2026-08-05',
      authority: 'Ministry of Commerce',
      attributes: {
        Type: 'Company',
        Name: 'Altana Technologies, Inc.',
        Alias: 'Altana Technologies;Altana',
        'Chinese name': '阿尔塔纳技术公司',
        Country: 'US',
        Topics: 'sanction.counter',
        Body: 'Ministry of Commerce',
        List: 'List of Targets of Countermeasures',
        Date: '05.08.2026',
        'Source URL': 'https://aqygzj.mofcom.gov.cn/flzc/gzjgfxwj/art/2026/art_4028b8300fa24a0399f7da26e4939b20.html',
        Address: '25 Kent Ave Ste 501, Brooklyn, NY 11249, USA',
      },
    });
    expect(primaryName(altana!)).toBe('Altana Technologies, Inc.');
    expect(skydio).toMatchObject({ listKind: 'export_control', programs: ['List of Export Controls'] });
    // An ended countermeasure stays published with its end date: a delisting.
    expect(skyla).toMatchObject({ listedOn: '2022-08-03', delisting: { on: '2023-07-13' }, country: 'TW' });
    expect(skyla?.programs).toBeUndefined();
    expect(rubio).toMatchObject({
      entityType: 'person',
      names: [{ value: 'Marco Rubio', lang: 'en', kind: 'primary' }],
    });
    expect(rubio?.attributes.Summary).toBe('US Senator');
  });

  it('reads the same records from GB18030 bytes', async () => {
    const gb = iconv.encode(table([HEADER, ALTANA, SKYLA]), 'gb18030');
    const fromGb = records(await parse(gb));
    const fromUtf8 = records(await parse(utf8([ALTANA, SKYLA])));
    expect(fromGb).toEqual(fromUtf8);
  });

  it('gives a listing entered twice two keys, each stable, and a later listing its own', async () => {
    const copy = [...ALTANA];
    copy[HEADER.indexOf('Country')] = '';
    copy[HEADER.indexOf('Source URL')] = 'https://www.mofcom.gov.cn/zcfb/blgg/art/2026/art_1.html';
    const later = [...ALTANA];
    later[HEADER.indexOf('Date')] = '01.02.2027';
    const [first, second, third] = records(await parse(utf8([ALTANA, copy, later])));
    const identity = {
      name: 'Altana Technologies, Inc.',
      body: 'Ministry of Commerce',
      list: 'List of Targets of Countermeasures',
      date: '2026-08-05',
    };
    expect(first?.key).toBe(cnSanctionsKey(identity));
    expect(second?.key).toBe(cnSanctionsKey(identity, 2));
    expect(second?.country).toBeUndefined();
    expect(new Set([first?.key, second?.key, third?.key]).size).toBe(3);
  });

  it('reports a date it cannot read and a row without any name', async () => {
    const badDate = [...RUBIO];
    badDate[HEADER.indexOf('Date')] = '2020/13/45';
    const nameless = row({ Type: 'Company', Body: 'Ministry of Commerce', Date: '01.01.2024' });
    const chineseOnly = row({
      Type: 'Company',
      'Chinese name': '某公司',
      Body: 'Ministry of Commerce',
      Date: '01.01.2024',
    });
    const items = await parse(utf8([badDate, nameless, chineseOnly]));
    expect(errors(items)).toEqual([
      { row: 2, message: 'Date "2020/13/45" is not a date' },
      { row: 3, message: 'Name and Chinese name are empty' },
    ]);
    expect(records(items)[0]?.names).toEqual([{ value: '某公司', lang: 'zh', kind: 'primary' }]);
  });

  it('rejects a file without its columns, naming them', async () => {
    const bytes = Buffer.from('Name,Alias\nX,Y\n');
    await expect(parse(bytes)).rejects.toThrow(SourceFormatError);
    await expect(parse(bytes)).rejects.toThrow(/Type, Body, List, Date/);
  });

  it('maps lists to kinds and reads both date forms', () => {
    expect(cnSanctionsListKind('Export Control Watch List', 'export.control')).toBe('export_control');
    expect(cnSanctionsListKind('List of Export Controls', '')).toBe('export_control');
    expect(cnSanctionsListKind('UEL', 'sanction')).toBe('sanctions');
    expect(cnSanctionsListKind('AFSL', 'sanction.counter')).toBe('sanctions');
    expect(parseDayMonthYear('02.12.2019')).toBe('2019-12-02');
    expect(parseDayMonthYear('22.05.24')).toBe('2024-05-22');
    expect(parseDayMonthYear('2024-05-22')).toBe('2024-05-22');
    expect(parseDayMonthYear('31.02.2024')).toBeUndefined();
  });
});
