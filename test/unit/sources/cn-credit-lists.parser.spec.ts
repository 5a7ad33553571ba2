import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { identityKey, recordContentHash, type ListRecord } from '@partnerwatch/domain';
import { SourceFormatError, SourceSettingsError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
import {
  CN_CREDIT_TABLE_ADAPTERS,
  cnAdminPenaltiesAdapter,
  cnAGradeTaxpayersAdapter,
  cnCourtDefaultersAdapter,
  cnMajorTaxViolatorsAdapter,
  cnSeriousIllegalDishonestAdapter,
  type CnCreditTableAdapter,
} from '../../../libs/sources/src/cn-credit-lists/cn-credit-lists.adapter';
import type { CnCreditParseStats } from '../../../libs/sources/src/cn-credit-lists/cn-credit-table.parser';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

const XINGHE = uscc('91110108MA01A2B3C');
const JIANGNAN = uscc('91310115MA1H7Q8R9');
const HUAXIA = uscc('91440300MA5F0A1B2');
/** A real early code whose GB 32100 check character fails (shared USCC vectors). */
const FAILS_CHECK = '91350211M00013FA1N';

type Rows = readonly (readonly string[])[];

async function parse(
  adapter: CnCreditTableAdapter,
  bytes: Buffer,
  settings: unknown = {},
  chunkSize?: number,
): Promise<ParseItem[]> {
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(adapter.parseSettings(settings))));
}

async function parseCounting(
  adapter: CnCreditTableAdapter,
  bytes: Buffer,
): Promise<{ items: ParseItem[]; stats: CnCreditParseStats }> {
  const stats: CnCreditParseStats = { naturalPersonsSkipped: 0 };
  const context = staticParseContext(adapter.parseSettings({}));
  const items = await collect(adapter.parseWithStats(chunked(bytes), context, stats));
  return { items, stats };
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const gb18030 = (text: string): Buffer => iconv.encode(text, 'gb18030');

/** The same table as UTF-8 and GB18030, comma- and tab-separated: every variant must read alike. */
function encodings(rows: Rows): { name: string; bytes: Buffer }[] {
  const csv = table(rows, ',', '\r\n');
  const tsv = table(rows, '\t');
  return [
    { name: 'UTF-8 CSV', bytes: utf8(csv) },
    { name: 'GB18030 CSV', bytes: gb18030(csv) },
    { name: 'UTF-8 TSV', bytes: utf8(tsv) },
    { name: 'GB18030 TSV', bytes: gb18030(tsv) },
  ];
}

async function xlsx(sheets: Record<string, (readonly unknown[])[]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow([...row]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function expectSameInEveryEncoding(adapter: CnCreditTableAdapter, rows: Rows): Promise<ListRecord[]> {
  const [first, ...rest] = encodings(rows);
  const expected = await parse(adapter, first!.bytes);
  expect(errors(expected)).toEqual([]);
  for (const variant of rest) {
    expect(await parse(adapter, variant.bytes, {}, 5), variant.name).toEqual(expected);
  }
  return records(expected);
}

describe('cn-serious-illegal-dishonest', () => {
  const adapter = cnSeriousIllegalDishonestAdapter;
  const HEADER = [
    '序号',
    '统一社会信用代码',
    '企业名称',
    '列入严重违法失信名单(黑名单)原因',
    '列入日期',
    '作出决定机关(列入)',
    '移出严重违法失信名单(黑名单)原因',
    '移出日期',
    '作出决定机关(移出)',
  ];
  const REASON = '被列入经营异常名录届满3年仍未履行相关义务的';
  const REMOVAL = '依照《严重违法失信名单管理办法》第十四条规定，申请提前移出';
  const ROWS = [
    ['1', XINGHE, '北京星河贸易有限公司', REASON, '2021-09-01', '北京市市场监督管理局', '', '', ''],
    [
      '2',
      JIANGNAN,
      '上海江南物流有限公司',
      REASON,
      '2020/6/30',
      '上海市市场监督管理局',
      REMOVAL,
      '2023年3月15日',
      '上海市市场监督管理局',
    ],
  ];

  it('reads the same records from UTF-8 and GB18030, CSV and TSV', async () => {
    const [xinghe, jiangnan] = await expectSameInEveryEncoding(adapter, [HEADER, ...ROWS]);
    expect(xinghe).toEqual({
      key: identityKey([XINGHE, '2021-09-01', REASON, '北京市市场监督管理局']),
      entityType: 'organization',
      names: [{ value: '北京星河贸易有限公司', lang: 'zh', kind: 'primary' }],
      identifiers: [{ scheme: 'uscc', value: XINGHE }],
      country: 'CN',
      listedOn: '2021-09-01',
      reason: REASON,
      authority: '北京市市场监督管理局',
      attributes: {
        统一社会信用代码: XINGHE,
        企业名称: '北京星河贸易有限公司',
        '列入严重违法失信名单(黑名单)原因': REASON,
        列入日期: '2021-09-01',
        '作出决定机关(列入)': '北京市市场监督管理局',
      },
    });
    expect(jiangnan?.listedOn).toBe('2020-06-30');
    expect(jiangnan?.delisting).toEqual({ on: '2023-03-15', reason: REMOVAL, authority: '上海市市场监督管理局' });
  });

  it('keeps the key when a removal is filled in, and changes the content hash', async () => {
    const listed = [XINGHE, '北京星河贸易有限公司', REASON, '2021-09-01', '北京市市场监督管理局'];
    const header = HEADER.slice(1);
    const [before] = records(await parse(adapter, utf8(table([header, [...listed, '', '', '']]))));
    const [after] = records(
      await parse(adapter, utf8(table([header, [...listed, REMOVAL, '2024-02-01', '北京市市场监督管理局']]))),
    );
    expect(after?.key).toBe(before?.key);
    expect(recordContentHash(after!)).not.toBe(recordContentHash(before!));
    expect(after?.delisting?.on).toBe('2024-02-01');
  });

  it('accepts header variants: 统一社会信用代码/注册号, 列入原因, full-width brackets, 企业名单 wording', async () => {
    const variant = [
      '统一社会信用代码/注册号',
      '市场主体名称',
      '列入严重违法失信企业名单（黑名单）原因',
      '列入时间',
      '作出决定机关（列入）',
      '移出原因',
      '移出时间',
      '作出决定机关（移出）',
    ];
    const row = [
      JIANGNAN,
      '上海江南物流有限公司',
      REASON,
      '2020-06-30',
      '上海市市场监督管理局',
      REMOVAL,
      '2023-03-15',
      '上海',
    ];
    const [record] = records(await parse(adapter, utf8(table([variant, row]))));
    expect(record?.reason).toBe(REASON);
    expect(record?.authority).toBe('上海市市场监督管理局');
    expect(record?.delisting).toEqual({ on: '2023-03-15', reason: REMOVAL, authority: '上海' });
    const short = ['企业名称', '统一社会信用代码', '列入原因', '列入日期', '作出决定机关'];
    const [plain] = records(
      await parse(adapter, utf8(table([short, ['北京星河贸易有限公司', XINGHE, REASON, '2021-09-01', '机关']]))),
    );
    expect(plain?.key).toBe(identityKey([XINGHE, '2021-09-01', REASON, '机关']));
  });

  it('finds the header below a title row', async () => {
    const rows = [['2024年第三季度严重违法失信名单'], HEADER, ...ROWS];
    const items = await parse(adapter, utf8(table(rows)));
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => r.identifiers[0]?.value)).toEqual([XINGHE, JIANGNAN]);
    expect(Object.keys(records(items)[0]!.attributes)).toContain('企业名称');
  });

  it('files codes by shape: a failed check character stays a USCC, anything else is a registration number', async () => {
    const header = ['统一社会信用代码', '注册号', '企业名称', '列入原因', '列入日期'];
    const rows = [
      [FAILS_CHECK, '', '厦门早期试点有限公司', REASON, '2021-01-01'],
      ['110108012345678', '', '北京老字号商贸有限公司', REASON, '2021-01-01'],
      ['', '310115000123456', '上海老字号商贸有限公司', REASON, '2021-01-01'],
      [`${XINGHE.slice(0, 9).toLowerCase()} ${XINGHE.slice(9)}`, '', '北京星河贸易有限公司', REASON, '2021-01-01'],
    ];
    const items = await parse(adapter, utf8(table([header, ...rows])));
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => r.identifiers)).toEqual([
      [{ scheme: 'uscc', value: FAILS_CHECK }],
      [{ scheme: 'registration', value: '110108012345678' }],
      [{ scheme: 'registration', value: '310115000123456' }],
      [{ scheme: 'uscc', value: XINGHE }],
    ]);
  });

  it('turns rows without a name, an identifier or a readable date into row errors and goes on', async () => {
    const rows = [
      HEADER,
      ROWS[0]!,
      ['2', XINGHE, '', REASON, '2021-09-01', '机关', '', '', ''],
      ['3', '-', '无名有限公司', REASON, '2021-09-01', '机关', '', '', ''],
      ['4', JIANGNAN, '上海江南物流有限公司', REASON, '2021-13-45', '机关', '', '', ''],
    ];
    const items = await parse(adapter, utf8(table(rows)));
    expect(errors(items)).toEqual([
      { row: 3, message: '企业名称 is empty' },
      { row: 4, message: 'no identifier: 统一社会信用代码 is empty' },
      { row: 5, message: '列入日期 "2021-13-45" is not a date' },
    ]);
    expect(records(items)).toHaveLength(1);
  });

  it('reports a last row cut short as truncated', async () => {
    const text = table([HEADER, ...ROWS])
      .replace(/\n$/, '')
      .replace(/,[^,]*,[^,]*$/, '');
    const items = await parse(adapter, utf8(text));
    expect(records(items)).toHaveLength(1);
    expect(errors(items)).toEqual([expect.objectContaining({ row: 3, truncated: true })]);
  });

  it('rejects an export without the required columns, naming what is missing and what was found', async () => {
    const bytes = utf8(
      table([
        ['序号', '名称', '日期'],
        ['1', '北京星河贸易有限公司', '2023-01-05'],
      ]),
    );
    const failure = parse(adapter, bytes);
    await expect(failure).rejects.toThrow(SourceFormatError);
    await expect(failure).rejects.toThrow(/列入日期, 统一社会信用代码 or 注册号.*found columns: 序号, 名称, 日期/);
  });

  it('names the closest header row, not a title line above it, when columns are missing', async () => {
    const rows = [
      ['2024年第三季度严重违法失信名单'],
      ['企业名称', '统一社会信用代码', '列入原因'],
      ['北京星河贸易有限公司', XINGHE, '原因'],
    ];
    await expect(parse(adapter, utf8(table(rows)))).rejects.toThrow(
      /lacks the required column\(s\) 列入日期; found columns: 企业名称, 统一社会信用代码, 列入原因\./,
    );
  });

  it('rejects an empty export', async () => {
    await expect(parse(adapter, Buffer.alloc(0))).rejects.toThrow(SourceFormatError);
  });
});

describe('cn-court-defaulters', () => {
  const adapter = cnCourtDefaultersAdapter;
  const HEADER = [
    '被执行人名称',
    '证件号码',
    '执行法院',
    '省份',
    '案号',
    '立案时间',
    '发布时间',
    '生效法律文书确定的义务',
    '履行情况',
    '失信被执行人行为具体情形',
  ];
  const EVADING = '有履行能力而拒不履行生效法律文书确定义务';
  const ROWS = [
    [
      '北京星河贸易有限公司',
      XINGHE,
      '北京市海淀区人民法院',
      '北京',
      '(2023)京0108执1234号',
      '2023-02-01',
      '2023-06-01',
      '支付货款50万元',
      '全部未履行',
      EVADING,
    ],
    [
      '张三',
      '1101011985****1234',
      '北京市海淀区人民法院',
      '北京',
      '(2023)京0108执1235号',
      '2023-02-01',
      '2023-06-01',
      '偿还借款',
      '全部未履行',
      EVADING,
    ],
    [
      '上海江南物流有限公司',
      '59963406-1',
      '上海市浦东新区人民法院',
      '上海',
      '(2022)沪0115执88号',
      '20220301',
      '2022年7月1日',
      '支付租金',
      '全部履行',
      EVADING,
    ],
    [
      '李四',
      '110101198501011234',
      '上海市浦东新区人民法院',
      '上海',
      '(2022)沪0115执89号',
      '2022-03-01',
      '2022-07-01',
      '偿还借款',
      '部分未履行',
      EVADING,
    ],
  ];

  it('reads companies alike in every encoding and leaves natural persons out', async () => {
    const [xinghe, jiangnan, ...rest] = await expectSameInEveryEncoding(adapter, [HEADER, ...ROWS]);
    expect(rest).toEqual([]);
    expect(xinghe).toMatchObject({
      key: identityKey(['(2023)京0108执1234号', '北京星河贸易有限公司']),
      entityType: 'organization',
      identifiers: [{ scheme: 'uscc', value: XINGHE }],
      listedOn: '2023-06-01',
      authority: '北京市海淀区人民法院',
      reason: EVADING,
    });
    expect(xinghe?.delisting).toBeUndefined();
    expect(xinghe?.attributes['立案时间']).toBe('2023-02-01');
    expect(jiangnan?.identifiers).toEqual([{ scheme: 'registration', value: '59963406-1' }]);
    expect(jiangnan?.listedOn).toBe('2022-07-01');
  });

  it('counts the natural persons it leaves out, and reports them as neither records nor errors', async () => {
    const { items, stats } = await parseCounting(adapter, utf8(table([HEADER, ...ROWS])));
    expect(items).toHaveLength(2);
    expect(errors(items)).toEqual([]);
    expect(stats.naturalPersonsSkipped).toBe(2);
    expect(JSON.stringify(items)).not.toMatch(/张三|李四|1101011985/);
  });

  it('reads 全部履行 as a delisting', async () => {
    const [, jiangnan] = records(await parse(adapter, utf8(table([HEADER, ...ROWS]))));
    expect(jiangnan?.delisting).toEqual({ reason: '全部履行' });
  });

  it('accepts header variants and reads sex and age as signs of a person', async () => {
    const header = [
      '失信被执行人名称',
      '身份证号码/组织机构代码',
      '执行法院',
      '案号',
      '发布日期',
      '被执行人的履行情况',
      '失信被执行人具体情形',
      '性别',
      '年龄',
    ];
    const rows = [
      [
        '北京星河贸易有限公司',
        XINGHE,
        '北京市海淀区人民法院',
        '(2023)京0108执1234号',
        '2023-06-01',
        '已全部履行',
        EVADING,
        '',
        '0',
      ],
      ['王五', '', '北京市海淀区人民法院', '(2023)京0108执1236号', '2023-06-01', '全部未履行', EVADING, '男', '45'],
    ];
    const { items, stats } = await parseCounting(adapter, utf8(table([header, ...rows])));
    expect(records(items).map((r) => [r.names[0]?.value, r.delisting?.reason])).toEqual([
      ['北京星河贸易有限公司', '已全部履行'],
    ]);
    expect(records(items)[0]?.attributes['性别']).toBeUndefined();
    expect(stats.naturalPersonsSkipped).toBe(1);
  });

  it('rejects an export without 案号', async () => {
    const header = HEADER.filter((name) => name !== '案号');
    await expect(parse(adapter, utf8(table([header])))).rejects.toThrow(
      /lacks the required column\(s\) 案号; found columns: 被执行人名称/,
    );
  });

  it('makes a row without 案号 a row error', async () => {
    const row = [...ROWS[0]!];
    row[4] = '';
    expect(errors(await parse(adapter, utf8(table([HEADER, row]))))).toEqual([{ row: 2, message: '案号 is empty' }]);
  });
});

describe('cn-major-tax-violators', () => {
  const adapter = cnMajorTaxViolatorsAdapter;
  const HEADER = [
    '纳税人名称',
    '纳税人识别号',
    '注册地址',
    '法定代表人或者负责人姓名',
    '法定代表人或者负责人性别、证件名称及号码',
    '案件性质',
    '主要违法事实',
    '相关法律依据及税务处理处罚情况',
    '公布机关',
    '公布日期',
  ];
  const ROWS = [
    [
      '深圳市华夏电子有限公司',
      HUAXIA,
      '深圳市南山区科技园',
      '赵六',
      '男,居民身份证,110101198001011234',
      '虚开增值税专用发票',
      '2021年1月至2022年3月虚开增值税专用发票120份',
      '依照《中华人民共和国税收征收管理法》处以罚款',
      '国家税务总局深圳市税务局稽查局',
      '2023-04-10',
    ],
    [
      '钱七',
      '110101198001011234',
      '深圳市',
      '钱七',
      '',
      '偷税',
      '隐匿收入',
      '追缴税款',
      '国家税务总局深圳市税务局稽查局',
      '2023-04-10',
    ],
  ];

  it('reads companies alike in every encoding, without the representative in identifiers or ID numbers kept', async () => {
    const [huaxia, ...rest] = await expectSameInEveryEncoding(adapter, [HEADER, ...ROWS]);
    expect(rest).toEqual([]);
    expect(huaxia).toMatchObject({
      key: identityKey([HUAXIA, '虚开增值税专用发票', '国家税务总局深圳市税务局稽查局', '2023-04-10']),
      identifiers: [{ scheme: 'uscc', value: HUAXIA }],
      names: [{ value: '深圳市华夏电子有限公司', lang: 'zh', kind: 'primary' }],
      listedOn: '2023-04-10',
      reason: '虚开增值税专用发票',
      authority: '国家税务总局深圳市税务局稽查局',
    });
    expect(huaxia?.attributes['法定代表人或者负责人姓名']).toBe('赵六');
    expect(huaxia?.attributes['主要违法事实']).toContain('虚开增值税专用发票120份');
    expect(JSON.stringify(huaxia)).not.toContain('110101198001011234');
  });

  it('files an old taxpayer number under tax', async () => {
    const [record] = records(
      await parse(
        adapter,
        utf8(table([HEADER, ['老字号公司', '440301123456789', '', '', '', '偷税', '', '', '机关', '2019-01-01']])),
      ),
    );
    expect(record?.identifiers).toEqual([{ scheme: 'tax', value: '440301123456789' }]);
  });
});

describe('cn-admin-penalties', () => {
  const adapter = cnAdminPenaltiesAdapter;
  const HEADER = [
    '行政相对人名称',
    '行政相对人代码_1(统一社会信用代码)',
    '决定书文号',
    '处罚类别',
    '处罚内容',
    '罚款金额(万元)',
    '处罚决定日期',
    '处罚机关',
    '处罚有效期',
    '公示截止期',
  ];
  const ROWS = [
    [
      '北京星河贸易有限公司',
      XINGHE,
      '京海市监罚〔2019〕1号',
      '罚款',
      '罚款人民币5万元',
      '5',
      '2019-03-01',
      '北京市海淀区市场监督管理局',
      '2019-03-01',
      '2019-12-31',
    ],
    [
      '上海江南物流有限公司',
      JIANGNAN,
      '沪浦市监罚〔2023〕2号',
      '警告;罚款',
      '警告并罚款',
      '0.8',
      '2023-05-06',
      '上海市浦东新区市场监督管理局',
      '长期',
      '2099-12-31',
    ],
  ];

  it('reads the same records in every encoding, with the penalty weight and a passed 公示截止期 as delisting', async () => {
    const [xinghe, jiangnan] = await expectSameInEveryEncoding(adapter, [HEADER, ...ROWS]);
    expect(xinghe).toMatchObject({
      key: identityKey(['京海市监罚〔2019〕1号', XINGHE]),
      identifiers: [{ scheme: 'uscc', value: XINGHE }],
      listedOn: '2019-03-01',
      reason: '罚款人民币5万元',
      authority: '北京市海淀区市场监督管理局',
      delisting: { on: '2019-12-31', reason: '公示截止期 2019-12-31 已过' },
    });
    expect(xinghe?.attributes).toMatchObject({ 处罚类别: '罚款', '罚款金额(万元)': '5' });
    expect(jiangnan?.delisting).toBeUndefined();
    expect(jiangnan?.attributes['处罚有效期']).toBe('长期');
  });

  it('accepts the raw cf_* field names, and leaves out 自然人 penalties', async () => {
    const header = [
      'cf_xdr_mc',
      'cf_xdr_shxym',
      'cf_xdr_lb',
      'cf_wsh',
      'cf_cflb',
      'cf_nr',
      'cf_jdrq',
      'cf_xzjg',
      'cf_gsjzq',
      'cf_xdr_sfz',
    ];
    const rows = [
      [
        '北京星河贸易有限公司',
        XINGHE,
        '法人及非法人组织',
        '京海市监罚〔2024〕9号',
        '罚款',
        '罚款:70000元',
        '2024-01-02',
        '北京市海淀区市场监督管理局',
        '2099-01-01',
        '',
      ],
      [
        '张三',
        '',
        '自然人',
        '京海市监罚〔2024〕10号',
        '罚款',
        '罚款200元',
        '2024-01-02',
        '北京市海淀区市场监督管理局',
        '2099-01-01',
        '110101198501011234',
      ],
    ];
    const { items, stats } = await parseCounting(adapter, utf8(table([header, ...rows])));
    expect(errors(items)).toEqual([]);
    expect(stats.naturalPersonsSkipped).toBe(1);
    const [record] = records(items);
    expect(record).toMatchObject({
      key: identityKey(['京海市监罚〔2024〕9号', XINGHE]),
      listedOn: '2024-01-02',
      authority: '北京市海淀区市场监督管理局',
      attributes: { cf_wsh: '京海市监罚〔2024〕9号', cf_cflb: '罚款', 处罚类别: '罚款', '罚款金额(万元)': '7' },
    });
    expect(record?.attributes['cf_xdr_sfz']).toBeUndefined();
  });

  it('rejects an export without 决定书文号', async () => {
    const header = HEADER.filter((name) => name !== '决定书文号');
    await expect(parse(adapter, utf8(table([header, ROWS[0]!.slice(0, 9)])))).rejects.toThrow(/决定书文号/);
  });
});

describe('cn-a-grade-taxpayers', () => {
  const adapter = cnAGradeTaxpayersAdapter;
  const HEADER = ['纳税人识别号', '纳税人名称', '评价年度'];
  const ROWS = [
    [HUAXIA, '深圳市华夏电子有限公司', '2023'],
    [HUAXIA, '深圳市华夏电子有限公司', '2022年度'],
    [XINGHE, '北京星河贸易有限公司', '去年'],
  ];

  it('keys by taxpayer number and year, alike in every encoding', async () => {
    const items = await parse(adapter, gb18030(table([HEADER, ...ROWS], '\t')));
    expect(errors(items)).toEqual([{ row: 4, message: '评价年度 "去年" is not a year' }]);
    const [y2023, y2022] = records(items);
    expect(y2023).toMatchObject({ key: identityKey([HUAXIA, '2023']), reason: '2023年度纳税信用A级' });
    expect(y2022?.key).toBe(identityKey([HUAXIA, '2022']));
    await expectSameInEveryEncoding(adapter, [HEADER, ...ROWS.slice(0, 2)]);
    expect(cnAGradeTaxpayersAdapter.defaultListKind).toBe('redlist');
  });
});

describe('cn credit lists as XLSX', () => {
  const HEADER = ['统一社会信用代码', '企业名称', '列入严重违法失信名单原因', '列入日期', '作出决定机关(列入)'];

  it('sniffs a workbook, skips its title row and reads date cells', async () => {
    const bytes = await xlsx({
      名单: [
        ['2024年严重违法失信名单'],
        HEADER,
        [XINGHE, '北京星河贸易有限公司', '原因', new Date(Date.UTC(2021, 8, 1)), '北京市市场监督管理局'],
        [JIANGNAN, '上海江南物流有限公司', '原因', '2020-06-30', '上海市市场监督管理局'],
      ],
    });
    const items = await parse(cnSeriousIllegalDishonestAdapter, bytes);
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => [r.identifiers[0]?.value, r.listedOn])).toEqual([
      [XINGHE, '2021-09-01'],
      [JIANGNAN, '2020-06-30'],
    ]);
    const csv = await parse(
      cnSeriousIllegalDishonestAdapter,
      utf8(table([HEADER, [XINGHE, '北京星河贸易有限公司', '原因', '2021-09-01', '北京市市场监督管理局']])),
    );
    expect(records(items)[0]).toEqual(records(csv)[0]);
  });

  it('reads the sheet named in the settings, and names the sheets when it is missing', async () => {
    const bytes = await xlsx({
      说明: [['本表为示例']],
      A级纳税人: [
        ['纳税人识别号', '纳税人名称', '评价年度'],
        [HUAXIA, '深圳市华夏电子有限公司', 2023],
      ],
    });
    const items = await parse(cnAGradeTaxpayersAdapter, bytes, { sheet: 'A级纳税人' });
    expect(records(items).map((r) => r.key)).toEqual([identityKey([HUAXIA, '2023'])]);
    await expect(parse(cnAGradeTaxpayersAdapter, bytes, { sheet: '2024' })).rejects.toThrow(
      /no worksheet named "2024".*说明, A级纳税人/,
    );
  });

  it('rejects a declared format that the bytes contradict', async () => {
    const bytes = await xlsx({ Sheet1: [HEADER] });
    await expect(parse(cnSeriousIllegalDishonestAdapter, bytes, { format: 'csv' })).rejects.toThrow(
      /is an Excel workbook, not CSV/,
    );
    await expect(parse(cnSeriousIllegalDishonestAdapter, utf8(table([HEADER])), { format: 'xlsx' })).rejects.toThrow(
      SourceFormatError,
    );
  });

  it('names a legacy .xls workbook instead of reading it as text', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await expect(parse(cnSeriousIllegalDishonestAdapter, xls)).rejects.toThrow(/legacy Excel 97-2003 \(\.xls\)/);
  });

  it('rejects a damaged workbook with a SourceFormatError', async () => {
    const bytes = await xlsx({ Sheet1: [HEADER, [XINGHE, '北京星河贸易有限公司', '原因', '2021-09-01', '机关']] });
    await expect(parse(cnSeriousIllegalDishonestAdapter, bytes.subarray(0, bytes.length - 200))).rejects.toThrow(
      SourceFormatError,
    );
  });
});

describe('cn credit list settings', () => {
  const adapter = cnCourtDefaultersAdapter;

  it('defaults to detection and accepts format, sheet and the text settings', () => {
    expect(adapter.parseSettings(undefined)).toEqual({ encoding: 'auto' });
    expect(adapter.parseSettings({ encoding: 'gbk', format: 'tsv' })).toEqual({
      encoding: 'gb18030',
      delimiter: '\t',
      format: 'tsv',
    });
    expect(adapter.parseSettings({ format: 'XLSX', sheet: ' 名单 ' })).toEqual({
      encoding: 'auto',
      format: 'xlsx',
      sheet: '名单',
    });
    expect(adapter.parseSettings({ sheet: '名单' })).toEqual({ encoding: 'auto', sheet: '名单' });
  });

  it('names the field that is wrong', () => {
    expect(() => adapter.parseSettings({ format: 'xls' })).toThrow(SourceSettingsError);
    expect(() => adapter.parseSettings({ format: 'xls' })).toThrow(/"format"/);
    expect(() => adapter.parseSettings({ format: 'tsv', delimiter: ',' })).toThrow(/contradicts/);
    expect(() => adapter.parseSettings({ format: 'csv', sheet: 'x' })).toThrow(/"sheet" applies to XLSX/);
    expect(() => adapter.parseSettings({ format: 'xlsx', delimiter: '\t' })).toThrow(/"delimiter"/);
    expect(() => adapter.parseSettings({ encoding: 'latin1' })).toThrow(/"encoding"/);
    expect(() => adapter.parseSettings({ sheets: 'x' })).toThrow(/unknown field "sheets"/);
    expect(() => adapter.parseSettings('gbk')).toThrow(/JSON object/);
  });

  it('gives every adapter of the family its own id and list kind', () => {
    expect(CN_CREDIT_TABLE_ADAPTERS.map((a) => [a.id, a.defaultListKind])).toEqual([
      ['cn-serious-illegal-dishonest', 'serious_illegal_dishonest'],
      ['cn-court-defaulters', 'court_defaulter'],
      ['cn-major-tax-violators', 'tax_violation'],
      ['cn-admin-penalties', 'admin_penalty'],
      ['cn-a-grade-taxpayers', 'redlist'],
    ]);
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const header = ['企业名称', '统一社会信用代码', '列入原因', '列入日期'];
    const rows = Array.from({ length: 500 }, (_, i) => [`公司${i}`, XINGHE, '原因', '2023-01-05']);
    const controller = new AbortController();
    const settings = cnSeriousIllegalDishonestAdapter.parseSettings({});
    const seen: ParseItem[] = [];
    const run = async (): Promise<void> => {
      const source = chunked(utf8(table([header, ...rows])), 256);
      for await (const item of cnSeriousIllegalDishonestAdapter.parse(
        source,
        staticParseContext(settings, {}, controller.signal),
      )) {
        seen.push(item);
        if (seen.length === 10) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(10);
  });
});
