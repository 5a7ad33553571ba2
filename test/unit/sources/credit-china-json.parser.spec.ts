import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { identityKey } from '@partnerwatch/domain';
import {
  cnAbnormalOperationsAdapter,
  SourceFormatError,
  SourceSettingsError,
  staticParseContext,
  type ParseItem,
} from '@partnerwatch/sources';
import type { CnCreditParseStats } from '../../../libs/sources/src/cn-credit-lists/cn-credit-table.parser';
import { creditChinaJsonAdapter as adapter } from '../../../libs/sources/src/credit-china/credit-china-json.adapter';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

const XINGHE = uscc('91110108MA01A2B3C');
const JIANGNAN = uscc('91310115MA1H7Q8R9');
/** Huawei's USCC, all digits: as a JSON number it does not fit a double. */
const HUAWEI = '914403001922038216';

async function parse(body: string | Buffer, settings: unknown, chunkSize = 7): Promise<ParseItem[]> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(adapter.parseSettings(settings))));
}

const ok = (list: unknown[]): string =>
  JSON.stringify({ status: 200, message: '成功', data: { total: list.length, list } });

/** Milliseconds of midnight in China on that date, as gsxt publishes dates. */
const chinaMidnight = (iso: string): number => Date.parse(`${iso}T00:00:00+08:00`);

describe('credit-china-json', () => {
  it('maps a 严重违法失信名单 response with gsxt field names and Java-serialised dates', async () => {
    const items = await parse(
      ok([
        {
          entname: '北京星河贸易有限公司',
          uniscid: XINGHE,
          regno: '110108012345678',
          serILLRea_CN: '被列入经营异常名录届满3年仍未履行相关义务的',
          abntime: chinaMidnight('2021-09-01'),
          decOrg_CN: '北京市市场监督管理局',
          remExcpRes_CN: '申请提前移出',
          remDate: { time: chinaMidnight('2023-03-15'), timezoneOffset: -480 },
          reDecOrg_CN: '北京市市场监督管理局',
        },
      ]),
      { list: 'serious_illegal_dishonest' },
    );
    expect(errors(items)).toEqual([]);
    expect(records(items)).toEqual([
      {
        key: identityKey([XINGHE, '2021-09-01', '被列入经营异常名录届满3年仍未履行相关义务的', '北京市市场监督管理局']),
        entityType: 'organization',
        listKind: 'serious_illegal_dishonest',
        names: [{ value: '北京星河贸易有限公司', lang: 'zh', kind: 'primary' }],
        identifiers: [
          { scheme: 'uscc', value: XINGHE },
          { scheme: 'registration', value: '110108012345678' },
        ],
        country: 'CN',
        listedOn: '2021-09-01',
        reason: '被列入经营异常名录届满3年仍未履行相关义务的',
        authority: '北京市市场监督管理局',
        delisting: { on: '2023-03-15', reason: '申请提前移出', authority: '北京市市场监督管理局' },
        attributes: expect.objectContaining({
          entname: '北京星河贸易有限公司',
          abntime: String(chinaMidnight('2021-09-01')),
        }),
      },
    ]);
  });

  it('maps a 失信被执行人 response with Baidu-style keys and leaves people out', async () => {
    const stats: CnCreditParseStats = { naturalPersonsSkipped: 0 };
    const body = ok([
      {
        iname: '上海江南物流有限公司',
        cardNum: '59963406-1',
        businessEntity: '孙八',
        caseCode: '(2022)沪0115执88号',
        courtName: '上海市浦东新区人民法院',
        areaName: '上海',
        gistId: '(2021)沪0115民初100号',
        gistUnit: '上海市浦东新区人民法院',
        duty: '支付租金',
        performance: '全部未履行',
        disruptTypeName: '有履行能力而拒不履行生效法律文书确定义务',
        publishDate: '2022年07月01日',
        regDate: '20220301',
        age: '0',
        sexy: '',
      },
      {
        iname: '马某',
        cardNum: '3728271963****8934',
        caseCode: '(2020)鲁1323执729号',
        courtName: '沂水县人民法院',
        age: '56',
        sexy: '男性',
        publishDate: '2020年07月21日',
      },
    ]);
    const context = staticParseContext(adapter.parseSettings({ list: 'court_defaulter' }));
    const items = await collect(adapter.parseWithStats(chunked(Buffer.from(body)), context, stats));
    expect(errors(items)).toEqual([]);
    expect(stats.naturalPersonsSkipped).toBe(1);
    expect(records(items)).toEqual([
      expect.objectContaining({
        key: identityKey(['(2022)沪0115执88号', '上海江南物流有限公司']),
        listKind: 'court_defaulter',
        identifiers: [{ scheme: 'registration', value: '59963406-1' }],
        listedOn: '2022-07-01',
        authority: '上海市浦东新区人民法院',
        reason: '有履行能力而拒不履行生效法律文书确定义务',
      }),
    ]);
    expect(JSON.stringify(items)).not.toContain('8934');
  });

  it('maps a 重大税收违法失信主体 response with Chinese keys, keeping an 18-digit number exact', async () => {
    const body = `{"status":200,"data":{"total":1,"list":[{"纳税人名称":"华为技术有限公司","纳税人识别号":${HUAWEI},"案件性质":"偷税","公布机关":"国家税务总局深圳市税务局","公布日期":"2023-04-10"}]}}`;
    const [record] = records(await parse(body, { list: 'tax_violation' }));
    expect(record).toMatchObject({
      key: identityKey([HUAWEI, '偷税', '国家税务总局深圳市税务局', '2023-04-10']),
      identifiers: [{ scheme: 'uscc', value: HUAWEI }],
      listKind: 'tax_violation',
      reason: '偷税',
      listedOn: '2023-04-10',
    });
    expect(record?.attributes['纳税人识别号']).toBe(HUAWEI);
  });

  it('maps current Credit China 行政处罚 items that wrap an entity with labels, and the old camelCase fields', async () => {
    const current = {
      table_name: 'credit_xyzx_fr_xzcf_2026',
      dataSource: '双公示',
      entity: {
        cf_wsh: '京海市监罚〔2019〕1号',
        cf_xdr_mc: '北京星河贸易有限公司',
        cf_xdr_shxym: XINGHE,
        cf_cflb1: '罚款',
        cf_jg: '罚款人民币5万元',
        cf_cfjg: '北京市海淀区市场监督管理局',
        cf_jdrq: '2019-03-01',
        cf_gsjzq: '2019-12-31',
        xzxdr_dm: '110101198001011234',
      },
      columnList: ['cf_wsh', 'cf_xdr_mc'],
      sencesMap: { cf_wsh: '行政处罚决定书文号', cf_jg: '处罚内容', xzxdr_dm: '法定代表人证件号码' },
    };
    const old = {
      cfXdrMc: '上海江南物流有限公司',
      cfXdrShxym: JIANGNAN,
      cfWsh: '沪浦市监罚〔2023〕2号',
      cfCflb1: '警告',
      cfJdrq: '2023/05/06',
      cfXzjg: '上海市浦东新区市场监督管理局',
      cfGsjzq: '2099-12-31',
    };
    const items = await parse(ok([current, old]), { list: 'admin_penalty' });
    expect(errors(items)).toEqual([]);
    const [first, second] = records(items);
    expect(first).toMatchObject({
      key: identityKey(['京海市监罚〔2019〕1号', XINGHE]),
      listKind: 'admin_penalty',
      listedOn: '2019-03-01',
      authority: '北京市海淀区市场监督管理局',
      reason: '罚款人民币5万元',
      delisting: { on: '2019-12-31' },
      attributes: { cf_wsh: '京海市监罚〔2019〕1号', 处罚类别: '罚款', '罚款金额(万元)': '5' },
    });
    expect(first?.attributes['xzxdr_dm']).toBeUndefined();
    expect(second).toMatchObject({ key: identityKey(['沪浦市监罚〔2023〕2号', JIANGNAN]), listedOn: '2023-05-06' });
    expect(second?.delisting).toBeUndefined();
  });

  it('maps an A级纳税人 response', async () => {
    const [record] = records(
      await parse(ok([{ 纳税人识别号: JIANGNAN, 纳税人名称: '上海江南物流有限公司', 评价年度: '2023' }]), {
        list: 'redlist',
      }),
    );
    expect(record).toMatchObject({ key: identityKey([JIANGNAN, '2023']), listKind: 'redlist' });
  });

  it('maps a 经营异常名录 response to the same key as the cn-abnormal-operations table adapter', async () => {
    const items = await parse(
      ok([
        {
          entname: '北京星河贸易有限公司',
          uniscid: XINGHE,
          speCause_CN: '通过登记的住所无法联系的',
          abntime: '2023-01-05',
          decOrg_CN: '北京市海淀区市场监督管理局',
        },
      ]),
      { list: 'abnormal_operations' },
    );
    const csv = table([
      ['统一社会信用代码', '企业名称', '列入经营异常名录原因', '列入日期', '作出决定机关'],
      [XINGHE, '北京星河贸易有限公司', '通过登记的住所无法联系的', '2023-01-05', '北京市海淀区市场监督管理局'],
    ]);
    const tabular = await collect(
      cnAbnormalOperationsAdapter.parse(
        chunked(Buffer.from(csv)),
        staticParseContext(cnAbnormalOperationsAdapter.parseSettings({})),
      ),
    );
    expect(records(items)[0]?.key).toBe(records(tabular)[0]?.key);
    expect(records(items)[0]?.listKind).toBe('abnormal_operations');
  });

  it('reads records at a configured path, under a {code, result} wrapper, and a GBK body', async () => {
    const body = JSON.stringify({
      code: 0,
      msg: 'ok',
      result: { total: 1, results: [{ 纳税人识别号: XINGHE, 纳税人名称: '北京星河贸易有限公司', 评价年度: 2022 }] },
    });
    const items = await parse(iconv.encode(body, 'gbk'), { list: 'redlist', recordPath: 'result.results' });
    expect(records(items).map((r) => r.key)).toEqual([identityKey([XINGHE, '2022'])]);
    const top = await parse(
      JSON.stringify([{ 纳税人识别号: XINGHE, 纳税人名称: '北京星河贸易有限公司', 评价年度: '2022' }]),
      {
        list: 'redlist',
        recordPath: '',
      },
    );
    expect(records(top)).toHaveLength(1);
  });

  it('turns items without a name or an identifier into row errors', async () => {
    const items = await parse(
      ok([{ 纳税人名称: '无码公司', 评价年度: '2022' }, 'not an object', { 纳税人识别号: XINGHE, 评价年度: '2022' }]),
      {
        list: 'redlist',
      },
    );
    expect(errors(items)).toEqual([
      { row: 1, message: 'no identifier: 纳税人识别号 is empty' },
      { row: 2, message: 'list item 2 is not an object' },
      { row: 3, message: '纳税人名称 is empty' },
    ]);
  });

  it('rejects a failure response with the server message', async () => {
    const captcha = parse(JSON.stringify({ status: 40001, message: '请输入验证码' }), { list: 'admin_penalty' });
    await expect(captcha).rejects.toThrow(SourceFormatError);
    await expect(captcha).rejects.toThrow(/status 40001: 请输入验证码/);
    await expect(
      parse(JSON.stringify({ code: 500, msg: '系统繁忙', data: null }), { list: 'redlist' }),
    ).rejects.toThrow(/status 500: 系统繁忙/);
    await expect(parse(JSON.stringify({ success: false, message: '无权限' }), { list: 'redlist' })).rejects.toThrow(
      /无权限/,
    );
  });

  it('rejects a status that arrives after the records', async () => {
    const body = `{"data":{"list":[{"纳税人识别号":"${XINGHE}","纳税人名称":"北京星河贸易有限公司","评价年度":"2022"}]},"status":500,"message":"后端超时"}`;
    await expect(parse(body, { list: 'redlist' })).rejects.toThrow(/status 500: 后端超时/);
  });

  it('rejects a response without data, or with something other than an array at the path', async () => {
    await expect(
      parse(JSON.stringify({ status: 200, message: '查询无结果', data: null }), { list: 'redlist' }),
    ).rejects.toThrow(/"data.list" is missing; the server said: 查询无结果/);
    await expect(parse(JSON.stringify({ status: 200, data: { list: {} } }), { list: 'redlist' })).rejects.toThrow(
      /is not an array/,
    );
    await expect(parse(ok([]), { list: 'redlist' })).resolves.toEqual([]);
  });

  it('rejects a truncated or malformed body with a SourceFormatError', async () => {
    const body = ok([{ 纳税人识别号: XINGHE, 纳税人名称: '北京星河贸易有限公司', 评价年度: '2022' }]);
    await expect(parse(body.slice(0, body.length - 20), { list: 'redlist' })).rejects.toThrow(SourceFormatError);
    await expect(parse('<html>blocked</html>', { list: 'redlist' })).rejects.toThrow(/not valid JSON/);
  });

  it('validates its settings', () => {
    expect(adapter.parseSettings({ list: 'court_defaulter' })).toEqual({
      list: 'court_defaulter',
      recordPath: ['data', 'list'],
    });
    expect(adapter.parseSettings({ list: 'redlist', recordPath: 'result.0.list' })).toEqual({
      list: 'redlist',
      recordPath: ['result', '0', 'list'],
    });
    expect(() => adapter.parseSettings({})).toThrow(SourceSettingsError);
    expect(() => adapter.parseSettings({ list: 'sanctions' })).toThrow(/"list" must be one of/);
    expect(() => adapter.parseSettings({ list: 'redlist', recordPath: 'data..list' })).toThrow(/"recordPath"/);
    expect(() => adapter.parseSettings({ list: 'redlist', recordpath: 'x' })).toThrow(/unknown field "recordpath"/);
  });
});
