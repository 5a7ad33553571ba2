import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { identityKey, type ListRecord } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { customSourceAdapter as adapter } from '../../../libs/sources/src/custom/custom-source.adapter';
import { DTD_REFUSED } from '../../../libs/sources/src/xml/xml-records';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

const XINGHE = uscc('91320105MA1N2P3Q4');
const JIANGNAN = uscc('91320594MA1T5U6W7');
const JIANGNAN_OLD = uscc('91320282MA1R8X9Y0');
/** An old 15-digit 注册号 left in the USCC column. */
const OLD_REGISTRATION = '320500000123456';
/** Huawei's USCC, all digits: as a JSON number it does not fit a double. */
const HUAWEI = '914403001922038216';

/** A 江苏省 经营异常名录 export as the provincial open-data portal publishes it. */
const COLUMNS = [
  '序号',
  '企业名称',
  '统一社会信用代码',
  '列入经营异常名录原因',
  '列入日期',
  '作出决定机关',
  '移出经营异常名录原因',
  '移出日期',
  '作出移出决定机关',
  '曾用名',
  '备注',
] as const;
type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

const ROWS: Row[] = [
  {
    企业名称: '南京星河贸易有限公司',
    统一社会信用代码: XINGHE,
    列入经营异常名录原因: '通过登记的住所或者经营场所无法联系的',
    列入日期: '2023-05-10',
    作出决定机关: '南京市玄武区市场监督管理局',
    曾用名: '南京星河商贸有限公司；Nanjing Xinghe Trading Co., Ltd.',
  },
  {
    企业名称: '苏州江南电子科技有限公司',
    // Lower case with a space, as a clerk typed it: normalised in the identifier, published as is.
    统一社会信用代码: `${JIANGNAN.slice(0, 9)} ${JIANGNAN.slice(9).toLowerCase()}`,
    列入经营异常名录原因: '未按照规定期限公示年度报告的',
    列入日期: '2022年6月30日',
    作出决定机关: '苏州工业园区市场监督管理局',
    移出经营异常名录原因: '已补报未报年份的年度报告并公示',
    移出日期: '2023/3/1',
    作出移出决定机关: '苏州工业园区市场监督管理局',
    备注: `统一社会信用代码 ${JIANGNAN_OLD} (China)`,
  },
  {
    企业名称: '无锡老字号食品厂',
    统一社会信用代码: OLD_REGISTRATION,
    列入经营异常名录原因: '公示企业信息隐瞒真实情况、弄虚作假的',
    列入日期: '20210115',
    作出决定机关: '无锡市市场监督管理局',
  },
  { 企业名称: '', 统一社会信用代码: uscc('91320400MA1P2Q3R4'), 列入日期: '2023-01-01' },
  { 企业名称: '常州某某机械有限公司', 统一社会信用代码: uscc('91320411MA1Q3R4T5'), 列入日期: '2023-13-45' },
];

const FIELDS = {
  name: '企业名称',
  aliases: '曾用名',
  identifiers: [{ scheme: 'uscc', field: '统一社会信用代码' }, { fromText: '备注' }],
  listedOn: '列入日期',
  reason: '列入经营异常名录原因',
  authority: '作出决定机关',
  delistedOn: '移出日期',
  delistingReason: '移出经营异常名录原因',
  delistingAuthority: '作出移出决定机关',
  country: { value: 'CN' },
  entityType: { value: 'organization' },
};
const COMMON = { fields: FIELDS, key: ['统一社会信用代码', '列入日期'], listKind: 'abnormal_operations' };

/** The published fields of a row: what each format's records keep as attributes. */
function published(row: Row): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of COLUMNS) {
    const value = row[column];
    if (column !== '序号' && value) out[column] = value;
  }
  return out;
}

const EXPECTED: ListRecord[] = [
  {
    key: identityKey([XINGHE, '2023-05-10']),
    entityType: 'organization',
    listKind: 'abnormal_operations',
    names: [
      { value: '南京星河贸易有限公司', lang: 'zh', kind: 'primary' },
      { value: '南京星河商贸有限公司', lang: 'zh', kind: 'alias' },
      { value: 'Nanjing Xinghe Trading Co., Ltd.', kind: 'alias' },
    ],
    identifiers: [{ scheme: 'uscc', value: XINGHE }],
    country: 'CN',
    listedOn: '2023-05-10',
    reason: '通过登记的住所或者经营场所无法联系的',
    authority: '南京市玄武区市场监督管理局',
    attributes: published(ROWS[0]!),
  },
  {
    key: identityKey([ROWS[1]!.统一社会信用代码, '2022年6月30日']),
    entityType: 'organization',
    listKind: 'abnormal_operations',
    names: [{ value: '苏州江南电子科技有限公司', lang: 'zh', kind: 'primary' }],
    identifiers: [
      { scheme: 'uscc', value: JIANGNAN },
      { scheme: 'uscc', value: JIANGNAN_OLD },
    ],
    country: 'CN',
    listedOn: '2022-06-30',
    reason: '未按照规定期限公示年度报告的',
    authority: '苏州工业园区市场监督管理局',
    delisting: { on: '2023-03-01', reason: '已补报未报年份的年度报告并公示', authority: '苏州工业园区市场监督管理局' },
    attributes: published(ROWS[1]!),
  },
  {
    key: identityKey([OLD_REGISTRATION, '20210115']),
    entityType: 'organization',
    listKind: 'abnormal_operations',
    names: [{ value: '无锡老字号食品厂', lang: 'zh', kind: 'primary' }],
    // Not USCC-shaped under scheme uscc: a registration number, never a USCC that cannot match.
    identifiers: [{ scheme: 'registration', value: OLD_REGISTRATION }],
    country: 'CN',
    listedOn: '2021-01-15',
    reason: '公示企业信息隐瞒真实情况、弄虚作假的',
    authority: '无锡市市场监督管理局',
    attributes: published(ROWS[2]!),
  },
];

const TITLE = '江苏省市场监督管理局经营异常名录（2024年第三季度）';

function csvText(delimiter = ','): string {
  const cells = ROWS.map((row, i) =>
    COLUMNS.map((column) => (column === '序号' ? String(i + 1) : (row[column] ?? ''))),
  );
  return `${TITLE}\n` + table([[...COLUMNS], ...cells], delimiter, '\r\n');
}

async function xlsxBytes(rows: readonly Row[] = ROWS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').addRow(['本表由江苏省市场监督管理局发布']);
  const sheet = workbook.addWorksheet('经营异常名录');
  sheet.addRow([TITLE]);
  sheet.mergeCells('A1:K1');
  sheet.addRow([...COLUMNS]);
  rows.forEach((row, i) => sheet.addRow(COLUMNS.map((column) => (column === '序号' ? i + 1 : (row[column] ?? null)))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const jsonObjects = (): Record<string, string>[] =>
  ROWS.map((row) => published({ ...row, 企业名称: row.企业名称 ?? '' }));

function xmlText(): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const items = ROWS.map(
    (row) =>
      '  <item>\n' +
      COLUMNS.filter((c) => c !== '序号')
        .map((c) => `    <${c}>${escape(row[c] ?? '')}</${c}>\n`)
        .join('') +
      '  </item>\n',
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<list>\n${items.join('')}</list>\n`;
}

async function parse(bytes: Buffer | string, settings: unknown, signal?: AbortSignal): Promise<ParseItem[]> {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const context = staticParseContext(adapter.parseSettings(settings), {}, signal);
  return collect(adapter.parse(chunked(body, 13), context));
}

async function formatError(bytes: Buffer | string, settings: unknown): Promise<SourceFormatError> {
  try {
    await parse(bytes, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFormatError);
    return error as SourceFormatError;
  }
  throw new Error('the export was accepted');
}

describe('custom source adapter', () => {
  it('has the id "custom" and no list kind of its own', () => {
    expect(adapter.id).toBe('custom');
    expect(adapter.defaultListKind).toBeUndefined();
  });

  describe.each([
    ['CSV in GB18030 (encoding auto)', async () => iconv.encode(csvText(), 'gb18030'), { format: 'csv' }, [6, 7]],
    [
      'CSV in GBK (encoding gbk)',
      async () => iconv.encode(csvText(), 'gbk'),
      { format: 'csv', encoding: 'gbk' },
      [6, 7],
    ],
    ['TSV in UTF-8', async () => Buffer.from(csvText('\t')), { format: 'tsv', headerRow: 2 }, [6, 7]],
    ['XLSX', () => xlsxBytes(), { format: 'xlsx', sheet: '经营异常名录' }, [6, 7]],
    [
      'JSON',
      async () => JSON.stringify({ code: 200, data: { total: ROWS.length, list: jsonObjects() } }),
      { format: 'json', recordPath: 'data.list' },
      [4, 5],
    ],
    [
      'JSON lines',
      async () =>
        jsonObjects()
          .map((o) => JSON.stringify(o))
          .join('\n') + '\n',
      { format: 'jsonl' },
      [4, 5],
    ],
    ['XML', async () => xmlText(), { format: 'xml', recordPath: 'list/item' }, [4, 5]],
  ] as const)('%s', (_label, build, format, errorRows) => {
    it('maps the list to the same records and reports bad rows with their numbers', async () => {
      const items = await parse(await build(), { ...format, ...COMMON });
      expect(records(items)).toEqual(EXPECTED);
      const rowErrors = errors(items);
      expect(rowErrors.map((e) => e.row)).toEqual(errorRows);
      expect(rowErrors[0]!.message).toMatch(/^企业名称 is empty/);
      expect(rowErrors[1]!.message).toMatch(/^列入日期 "2023-13-45" is not a date/);
      expect(rowErrors.some((e) => e.truncated)).toBe(false);
    });
  });

  describe('tables', () => {
    it('refuses an export that lacks a mapped column, naming it and the columns found', async () => {
      const text = csvText().replace('统一社会信用代码', '信用代码');
      const error = await formatError(iconv.encode(text, 'gb18030'), { format: 'csv', ...COMMON });
      expect(error.message).toContain(
        'The export lacks the mapped column "统一社会信用代码" (settings.fields.identifiers[0].field); the header (line 2',
      );
      expect(error.message).toContain('has: 序号, 企业名称, 信用代码, 列入经营异常名录原因');
    });

    it('checks the configured header row: the title line is not the header', async () => {
      const error = await formatError(csvText(), { format: 'csv', headerRow: 1, ...COMMON });
      expect(error.message).toContain('"企业名称" (settings.fields.name)');
      // Header names are NFKC-normalised: the full-width parentheses of the title read as ASCII ones.
      expect(error.message).toContain('the header (line 1) has: 江苏省市场监督管理局经营异常名录(2024年第三季度)');
    });

    it('refuses an XLSX worksheet without the mapped columns, and a worksheet that is not there', async () => {
      const bytes = await xlsxBytes();
      const missing = await formatError(bytes, {
        format: 'xlsx',
        sheet: '经营异常名录',
        ...COMMON,
        fields: { ...FIELDS, name: '企业名' },
      });
      expect(missing.message).toContain('The export lacks the mapped column "企业名" (settings.fields.name)');
      expect(missing.message).toContain('row 2, the closest');
      const noSheet = await formatError(bytes, { format: 'xlsx', sheet: 'Sheet1', ...COMMON });
      expect(noSheet.message).toContain('no worksheet named "Sheet1"');
    });

    it('reads XLSX date and number cells as text and honours headerRow', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Sheet1');
      sheet.addRow([TITLE]);
      sheet.addRow(['企业名称', '注册号', '纳税人识别号', '列入日期']);
      sheet.addRow(['扬州运河物流有限公司', 321000000123456, JIANGNAN, new Date(Date.UTC(2024, 1, 29))]);
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const items = await parse(bytes, {
        format: 'xlsx',
        headerRow: 2,
        fields: {
          name: '企业名称',
          identifiers: [
            { scheme: 'registration', field: '注册号' },
            { scheme: 'tax', field: '纳税人识别号' },
          ],
          listedOn: '列入日期',
        },
      });
      expect(errors(items)).toEqual([]);
      expect(records(items)).toEqual([
        {
          key: identityKey(['321000000123456', JIANGNAN, '2024-02-29', '扬州运河物流有限公司']),
          entityType: 'unknown',
          names: [{ value: '扬州运河物流有限公司', lang: 'zh', kind: 'primary' }],
          // A tax number that is a valid USCC is filed as the USCC it is.
          identifiers: [
            { scheme: 'registration', value: '321000000123456' },
            { scheme: 'uscc', value: JIANGNAN },
          ],
          listedOn: '2024-02-29',
          attributes: {
            企业名称: '扬州运河物流有限公司',
            注册号: '321000000123456',
            纳税人识别号: JIANGNAN,
            列入日期: '2024-02-29',
          },
        },
      ]);
    });

    it('reports a CSV cut short in its last row as truncated', async () => {
      const bytes = iconv.encode(csvText(), 'gb18030');
      const cut = bytes.subarray(0, bytes.length - 30);
      const items = await parse(cut, { format: 'csv', ...COMMON });
      const last = items[items.length - 1]!;
      expect(last).toEqual({ error: expect.objectContaining({ row: 7, truncated: true }) });
      expect(records(items)).toHaveLength(3);
    });

    it('keeps row-number columns out of attributes unless they are mapped', async () => {
      const text = table([
        ['序号', '企业名称'],
        ['1', '南京星河贸易有限公司'],
      ]);
      const [plain] = records(await parse(text, { format: 'csv', fields: { name: '企业名称' } }));
      expect(plain?.attributes).toEqual({ 企业名称: '南京星河贸易有限公司' });
      const [keyed] = records(await parse(text, { format: 'csv', fields: { name: '企业名称' }, key: '序号' }));
      expect(keyed?.attributes).toEqual({ 序号: '1', 企业名称: '南京星河贸易有限公司' });
    });
  });

  describe('JSON', () => {
    it('keeps numbers exactly as published and flattens nested objects one level', async () => {
      const body = `[{"entity":{"name":"华为技术有限公司","uscc":${HUAWEI},"ids":[{"type":"lei","value":"5493000IBP32UQZ0KL24"}]},"listed":1630425600000,"tags":["a","b"],"blank":null}]`;
      const items = await parse(body, {
        format: 'json',
        recordPath: '',
        fields: {
          name: 'entity.name',
          identifiers: [
            { scheme: 'uscc', field: 'entity.uscc' },
            { scheme: 'lei', field: 'entity.ids.value' },
          ],
          listedOn: 'listed',
          programs: 'tags',
        },
      });
      expect(errors(items)).toEqual([]);
      expect(records(items)).toEqual([
        {
          key: identityKey([HUAWEI, '5493000IBP32UQZ0KL24', '1630425600000', '华为技术有限公司']),
          entityType: 'unknown',
          programs: ['a', 'b'],
          names: [{ value: '华为技术有限公司', lang: 'zh', kind: 'primary' }],
          identifiers: [
            { scheme: 'uscc', value: HUAWEI },
            { scheme: 'lei', value: '5493000IBP32UQZ0KL24' },
          ],
          // Epoch milliseconds, as gsxt publishes dates, read as the China local date.
          listedOn: '2021-09-01',
          attributes: {
            'entity.name': '华为技术有限公司',
            'entity.uscc': HUAWEI,
            'entity.ids': '[{"type":"lei","value":"5493000IBP32UQZ0KL24"}]',
            listed: '1630425600000',
            tags: 'a; b',
          },
        },
      ]);
    });

    it('refuses a record path that is missing or not an array, naming the top-level keys', async () => {
      const body = JSON.stringify({ code: 200, data: { total: 1, list: jsonObjects() } });
      const missing = await formatError(body, { format: 'json', recordPath: 'data.rows', ...COMMON });
      expect(missing.message).toBe(
        'The record array at settings.recordPath "data.rows" is missing; the document\'s top-level keys: code, data',
      );
      const notArray = await formatError(body, { format: 'json', recordPath: 'data', ...COMMON });
      expect(notArray.message).toContain('"data" is not an array');
      const notTop = await formatError(body, { format: 'json', recordPath: '', ...COMMON });
      expect(notTop.message).toContain('not a top-level array');
    });

    it('refuses an empty export', async () => {
      expect((await formatError('', { format: 'json', recordPath: 'data.list', ...COMMON })).message).toBe(
        'The export is empty: no JSON document',
      );
      expect((await formatError('\n\n', { format: 'jsonl', ...COMMON })).message).toBe(
        'The export is empty: no JSON lines',
      );
      expect((await formatError('', { format: 'csv', ...COMMON })).message).toContain('empty');
    });

    it('refuses a truncated document after the complete records', async () => {
      const body = JSON.stringify({ data: { list: jsonObjects() } });
      const error = await formatError(body.slice(0, body.length - 40), {
        format: 'json',
        recordPath: 'data.list',
        ...COMMON,
      });
      expect(error.message).toMatch(/^The JSON document cannot be parsed .*malformed or truncated/);
    });

    it('refuses an export whose records never have the mapped name field', async () => {
      const body = JSON.stringify([{ entname: '南京星河贸易有限公司', uniscid: XINGHE }]);
      const error = await formatError(body, { format: 'json', recordPath: '', fields: { name: 'name' } });
      expect(error.message).toBe(
        'The mapped name field "name" (settings.fields.name) is in none of the 1 records; the first record has: entname, uniscid',
      );
    });
  });

  describe('JSON lines', () => {
    it('reports a file cut short in its last line as truncated, and bad lines with their numbers', async () => {
      const lines = jsonObjects().map((o) => JSON.stringify(o));
      const body = [lines[0], '{"企业名称": oops}', lines[1]].join('\n') + '\n' + lines[2]!.slice(0, 25);
      const items = await parse(body, { format: 'jsonl', ...COMMON });
      expect(records(items)).toEqual(EXPECTED.slice(0, 2));
      expect(errors(items)).toEqual([
        expect.objectContaining({ row: 2, message: expect.stringContaining('line 2 is not valid JSON') }),
        expect.objectContaining({ row: 4, truncated: true }),
      ]);
    });

    it('refuses to read a code that JSON.parse cannot keep exactly', async () => {
      const body = `{"name":"华为技术有限公司","uscc":${HUAWEI}}\n{"name":"line 2","uscc":"${XINGHE}"}\n`;
      const items = await parse(body, {
        format: 'jsonl',
        fields: { name: 'name', identifiers: [{ scheme: 'uscc', field: 'uscc' }] },
      });
      expect(errors(items)).toEqual([
        {
          row: 1,
          message: expect.stringContaining('uscc is a JSON number too long to read exactly'),
        },
      ]);
      expect(records(items).map((r) => r.identifiers)).toEqual([[{ scheme: 'uscc', value: XINGHE }]]);
    });
  });

  describe('XML', () => {
    it('maps child elements, repeated elements and attributes', async () => {
      const body = `<?xml version="1.0" encoding="GB18030"?>
<export><entities>
  <entity id="E-1" type="企业">
    <name>南京星河贸易有限公司</name>
    <aliases><alias>南京星河商贸有限公司</alias><alias>Nanjing Xinghe Trading</alias></aliases>
    <ids><id type="uscc">${XINGHE}</id></ids>
    <listed date="2023年5月10日"/>
    <country>中国</country>
  </entity>
</entities></export>`;
      const items = await parse(iconv.encode(body, 'gb18030'), {
        format: 'xml',
        recordPath: 'entity',
        fields: {
          name: 'name',
          aliases: 'aliases/alias',
          identifiers: [{ scheme: 'uscc', field: 'ids/id' }],
          listedOn: 'listed/@date',
          country: 'country',
          entityType: '@type',
        },
        key: '@id',
      });
      expect(errors(items)).toEqual([]);
      expect(records(items)).toEqual([
        {
          key: identityKey(['E-1']),
          entityType: 'organization',
          names: [
            { value: '南京星河贸易有限公司', lang: 'zh', kind: 'primary' },
            { value: '南京星河商贸有限公司', lang: 'zh', kind: 'alias' },
            { value: 'Nanjing Xinghe Trading', kind: 'alias' },
          ],
          identifiers: [{ scheme: 'uscc', value: XINGHE }],
          country: 'CN',
          listedOn: '2023-05-10',
          attributes: {
            '@id': 'E-1',
            '@type': '企业',
            name: '南京星河贸易有限公司',
            'aliases/alias[1]': '南京星河商贸有限公司',
            'aliases/alias[2]': 'Nanjing Xinghe Trading',
            'ids/id': XINGHE,
            'ids/id@type': 'uscc',
            'listed@date': '2023年5月10日',
            country: '中国',
          },
        },
      ]);
    });

    it('refuses XML with a DTD', async () => {
      const body = `<?xml version="1.0"?>
<!DOCTYPE list [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<list><item><企业名称>&lol2;</企业名称></item></list>`;
      const error = await formatError(body, { format: 'xml', recordPath: 'list/item', ...COMMON });
      expect(error.message).toBe(DTD_REFUSED);
    });

    it('refuses a document cut short', async () => {
      const body = xmlText();
      const error = await formatError(body.slice(0, body.length - 40), {
        format: 'xml',
        recordPath: 'list/item',
        ...COMMON,
      });
      expect(error.message).toContain('truncated');
    });
  });

  it('stops when the poll is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('poll cancelled'));
    await expect(parse(csvText(), { format: 'csv', ...COMMON }, controller.signal)).rejects.toThrow('poll cancelled');
  });
});

describe('custom source adapter: a stalled download', () => {
  // An explicit encoding: 'auto' holds text back until it has sniffed 64 KiB (or the end), so a
  // short stalled download would yield no record at all.
  it.each([
    [
      'csv',
      { format: 'csv', encoding: 'utf-8', ...COMMON },
      () => csvText().split('\r\n').slice(0, 2).join('\r\n') + '\r\n',
    ],
    [
      'json',
      { format: 'json', encoding: 'utf-8', recordPath: 'data.list', ...COMMON },
      () => `{"data":{"list":[${JSON.stringify(jsonObjects()[0])},`,
    ],
    ['jsonl', { format: 'jsonl', encoding: 'utf-8', ...COMMON }, () => JSON.stringify(jsonObjects()[0]) + '\n'],
    ['xml', { format: 'xml', recordPath: 'list/item', ...COMMON }, () => xmlText().split('</item>')[0] + '</item>'],
  ] as const)('%s: an abort ends the parse while it waits for bytes', async (_format, settings, head) => {
    const input = new PassThrough();
    input.write(Buffer.from(head(), 'utf8'));
    const controller = new AbortController();
    const items = adapter.parse(input, staticParseContext(adapter.parseSettings(settings), {}, controller.signal));
    const iterator = items[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toEqual({ record: EXPECTED[0] });
    const pending = iterator.next();
    setTimeout(() => controller.abort(new Error('poll cancelled')), 20);
    await expect(pending).rejects.toThrow('poll cancelled');
  });
});
