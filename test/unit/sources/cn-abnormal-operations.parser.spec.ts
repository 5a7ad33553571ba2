import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { identityKey, recordContentHash } from '@partnerwatch/domain';
import {
  staticParseContext,
  cnAbnormalOperationsAdapter as adapter,
  SourceFormatError,
  SourceSettingsError,
  type CnAbnormalOperationsSettings,
  type ParseItem,
} from '@partnerwatch/sources';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

const HEADER = [
  '序号',
  '统一社会信用代码',
  '企业名称',
  '列入经营异常名录原因',
  '列入日期',
  '作出决定机关',
  '移出经营异常名录原因',
  '移出日期',
  '作出移出决定机关',
];
const XINGHE = uscc('91110108MA01A2B3C');
const JIANGNAN = uscc('91310115MA1H7Q8R9');
const NOT_ANNUAL_REPORT = '未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的';
const NO_CONTACT = '通过登记的住所或者经营场所无法联系的';

const ROWS = [
  ['1', XINGHE, '北京星河贸易有限公司', NO_CONTACT, '2023-01-05', '北京市海淀区市场监督管理局', '', '', ''],
  [
    '2',
    JIANGNAN,
    '上海江南物流有限公司',
    NOT_ANNUAL_REPORT,
    '2022/7/1',
    '上海市浦东新区市场监督管理局',
    '依法补报了未报年份的年度报告并公示, 申请移出',
    '2023年3月15日',
    '上海市浦东新区市场监督管理局',
  ],
];

async function parse(bytes: Buffer, settings: unknown = {}, chunkSize?: number): Promise<ParseItem[]> {
  const parsed: CnAbnormalOperationsSettings = adapter.parseSettings(settings);
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(parsed)));
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('cn-abnormal-operations parser', () => {
  it('parses a UTF-8 export into records', async () => {
    const items = await parse(utf8(table([HEADER, ...ROWS])));
    expect(errors(items)).toEqual([]);
    const [xinghe, jiangnan] = records(items);
    expect(xinghe).toEqual({
      key: identityKey([XINGHE, '2023-01-05', NO_CONTACT, '北京市海淀区市场监督管理局']),
      entityType: 'organization',
      names: [{ value: '北京星河贸易有限公司', lang: 'zh', kind: 'primary' }],
      identifiers: [{ scheme: 'uscc', value: XINGHE }],
      country: 'CN',
      listedOn: '2023-01-05',
      reason: NO_CONTACT,
      authority: '北京市海淀区市场监督管理局',
      attributes: {
        统一社会信用代码: XINGHE,
        企业名称: '北京星河贸易有限公司',
        列入经营异常名录原因: NO_CONTACT,
        列入日期: '2023-01-05',
        作出决定机关: '北京市海淀区市场监督管理局',
      },
    });
    expect(xinghe?.delisting).toBeUndefined();
    expect(jiangnan?.listedOn).toBe('2022-07-01');
  });

  it('turns the removal fields into a delisting', async () => {
    const [, jiangnan] = records(await parse(utf8(table([HEADER, ...ROWS]))));
    expect(jiangnan?.delisting).toEqual({
      on: '2023-03-15',
      reason: '依法补报了未报年份的年度报告并公示, 申请移出',
      authority: '上海市浦东新区市场监督管理局',
    });
    expect(jiangnan?.attributes['移出日期']).toBe('2023年3月15日');
  });

  it('keeps the key when the removal fields are filled in, and changes the content hash', async () => {
    const listed = ['7', XINGHE, '北京星河贸易有限公司', NO_CONTACT, '2023-01-05', '北京市海淀区市场监督管理局'];
    const before = records(await parse(utf8(table([HEADER, [...listed, '', '', '']]))));
    const removal = ['已在住所或经营场所恢复正常', '2024-02-01', '北京市海淀区市场监督管理局'];
    const after = records(await parse(utf8(table([HEADER, [...listed, ...removal]]))));
    expect(after[0]?.key).toBe(before[0]?.key);
    expect(recordContentHash(after[0]!)).not.toBe(recordContentHash(before[0]!));
    expect(after[0]?.delisting?.on).toBe('2024-02-01');
  });

  it('keeps extra columns as attributes but not the row number, so renumbering changes nothing', async () => {
    const header = [...HEADER, '注册号', '登记机关'];
    const row = [...ROWS[0]!, '110108012345678', '北京市海淀区市场监督管理局'];
    const first = records(await parse(utf8(table([header, row]))))[0]!;
    const renumbered = records(await parse(utf8(table([header, ['42', ...row.slice(1)]]))))[0]!;
    expect(first.attributes['登记机关']).toBe('北京市海淀区市场监督管理局');
    expect(first.attributes['注册号']).toBe('110108012345678');
    expect(first.attributes['序号']).toBeUndefined();
    expect(first.identifiers).toEqual([
      { scheme: 'uscc', value: XINGHE },
      { scheme: 'registration', value: '110108012345678' },
    ]);
    expect(recordContentHash(renumbered)).toBe(recordContentHash(first));
  });

  it('reads the same records with a UTF-8 BOM', async () => {
    const plain = await parse(utf8(table([HEADER, ...ROWS])));
    const withBom = await parse(Buffer.concat([BOM, utf8(table([HEADER, ...ROWS]))]));
    expect(withBom).toEqual(plain);
    expect(Object.keys(records(withBom)[0]!.attributes)[0]).toBe('统一社会信用代码');
  });

  it('auto-detects GB18030 and reads the same records as UTF-8', async () => {
    const text = table([HEADER, ...ROWS], ',', '\r\n');
    const plain = await parse(utf8(text));
    expect(await parse(iconv.encode(text, 'gb18030'), {}, 3)).toEqual(plain);
    expect(await parse(iconv.encode(text, 'gbk'), { encoding: 'gbk' })).toEqual(plain);
  });

  it('rejects GB18030 bytes declared as UTF-8 with a SourceFormatError', async () => {
    const bytes = iconv.encode(table([HEADER, ...ROWS]), 'gb18030');
    await expect(parse(bytes, { encoding: 'utf-8' })).rejects.toThrow(SourceFormatError);
  });

  it('parses TSV, detected or configured', async () => {
    const plain = await parse(utf8(table([HEADER, ...ROWS])));
    const tsv = utf8(table([HEADER, ...ROWS], '\t'));
    expect(await parse(tsv)).toEqual(plain);
    expect(await parse(tsv, { delimiter: '\t' })).toEqual(plain);
  });

  it('reports bad rows with their line numbers and still parses the good ones', async () => {
    const good = ROWS[0]!;
    const rows = [
      HEADER,
      good,
      ['2', XINGHE, '', NO_CONTACT, '2023-01-05', '机关', '', '', ''],
      ['3', '', '无名有限公司', NO_CONTACT, '2023-01-05', '机关', '', '', ''],
      ['4', JIANGNAN, '上海江南物流有限公司', '原因\n跨两行', '2023-13-45', '机关', '', '', ''],
      ['5', JIANGNAN, '上海江南物流有限公司', NOT_ANNUAL_REPORT, '2023-01-05', '机关', '原因', '昨天', ''],
      ['6', JIANGNAN, '上海江南物流有限公司', NOT_ANNUAL_REPORT, '20230105 08:30:00', '机关', '', '', ''],
    ];
    const items = await parse(utf8(table(rows)));
    expect(errors(items)).toEqual([
      { row: 3, message: '企业名称 is empty' },
      { row: 4, message: 'no identifier: 统一社会信用代码 is empty' },
      { row: 5, message: '列入日期 "2023-13-45" is not a date' },
      { row: 7, message: '移出日期 "昨天" is not a date' },
    ]);
    expect(records(items).map((r) => [r.names[0]?.value, r.listedOn])).toEqual([
      ['北京星河贸易有限公司', '2023-01-05'],
      ['上海江南物流有限公司', '2023-01-05'],
    ]);
  });

  it('accepts the date formats registries publish', async () => {
    const dates = [
      '2023-01-05',
      '2023/1/5',
      '2023.1.5',
      '2023年1月5日',
      '20230105',
      '2023-01-05 12:30:00',
      '2023/1/5 0:00',
    ];
    const rows = dates.map((date, i) => [String(i), XINGHE, '北京星河贸易有限公司', NO_CONTACT, date, '机关']);
    const items = await parse(utf8(table([HEADER.slice(0, 6), ...rows])));
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => r.listedOn)).toEqual(dates.map(() => '2023-01-05'));
  });

  it('files a non-USCC code and the 注册号 column under registration', async () => {
    const header = ['注册号', '企业名称', '列入日期', '作出决定机关', '列入经营异常名录原因'];
    const items = await parse(
      utf8(table([header, ['110108012345678', '北京老字号商贸有限公司', '2014-03-01', '机关', '原因']])),
    );
    expect(records(items)[0]?.identifiers).toEqual([{ scheme: 'registration', value: '110108012345678' }]);
    expect(records(items)[0]?.key).toBe(identityKey(['110108012345678', '2014-03-01', '原因', '机关']));

    const both = ['统一社会信用代码', ...header];
    const old = await parse(
      utf8(table([both, ['', '110108012345678', '北京老字号商贸有限公司', '2014-03-01', '机关', '原因']])),
    );
    expect(records(old)[0]?.identifiers).toEqual([{ scheme: 'registration', value: '110108012345678' }]);
  });

  it('normalises a USCC typed with spaces and lower case', async () => {
    const spaced = `${XINGHE.slice(0, 9).toLowerCase()} ${XINGHE.slice(9)}`;
    const items = await parse(
      utf8(table([HEADER.slice(0, 6), ['1', spaced, '北京星河贸易有限公司', NO_CONTACT, '2023-01-05', '机关']])),
    );
    expect(records(items)[0]?.identifiers).toEqual([{ scheme: 'uscc', value: XINGHE }]);
  });

  it('rejects an export without the required columns, naming what is missing and what was found', async () => {
    const bytes = utf8(
      table([
        ['序号', '名称', '日期'],
        ['1', '北京星河贸易有限公司', '2023-01-05'],
      ]),
    );
    const failure = parse(bytes);
    await expect(failure).rejects.toThrow(SourceFormatError);
    await expect(failure).rejects.toThrow(
      /企业名称, 列入日期, 统一社会信用代码 or 注册号.*found columns: 序号, 名称, 日期/,
    );
  });

  it('rejects an empty export', async () => {
    await expect(parse(Buffer.alloc(0))).rejects.toThrow(SourceFormatError);
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => [
      String(i),
      XINGHE,
      `公司${i}`,
      NO_CONTACT,
      '2023-01-05',
      '机关',
    ]);
    const controller = new AbortController();
    const settings = adapter.parseSettings({});
    const seen: ParseItem[] = [];
    const run = async (): Promise<void> => {
      const source = chunked(utf8(table([HEADER.slice(0, 6), ...rows])), 256);
      for await (const item of adapter.parse(source, staticParseContext(settings, {}, controller.signal))) {
        seen.push(item);
        if (seen.length === 10) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(10);
  });
});

describe('cn-abnormal-operations settings', () => {
  it('defaults to auto-detection', () => {
    expect(adapter.parseSettings(undefined)).toEqual({ encoding: 'auto' });
    expect(adapter.parseSettings({})).toEqual({ encoding: 'auto' });
  });

  it('maps gbk to gb18030 and accepts the delimiters', () => {
    expect(adapter.parseSettings({ encoding: 'gbk', delimiter: '\t' })).toEqual({
      encoding: 'gb18030',
      delimiter: '\t',
    });
    expect(adapter.parseSettings({ encoding: 'utf-8', delimiter: ',' })).toEqual({ encoding: 'utf-8', delimiter: ',' });
  });

  it('names the field that is wrong', () => {
    expect(() => adapter.parseSettings({ encoding: 'latin1' })).toThrow(SourceSettingsError);
    expect(() => adapter.parseSettings({ encoding: 'latin1' })).toThrow(/"encoding"/);
    expect(() => adapter.parseSettings({ delimiter: ';' })).toThrow(/"delimiter"/);
    expect(() => adapter.parseSettings({ encodeing: 'gbk' })).toThrow(/unknown field "encodeing"/);
    expect(() => adapter.parseSettings('gbk')).toThrow(/JSON object/);
  });
});
