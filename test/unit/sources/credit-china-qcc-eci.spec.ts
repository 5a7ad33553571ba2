import { describe, expect, it } from 'vitest';
import { identityKey } from '@partnerwatch/domain';
import { cnAbnormalOperationsAdapter, SourceFormatError, staticParseContext } from '@partnerwatch/sources';
import type { CnCreditParseStats } from '../../../libs/sources/src/cn-credit-lists/cn-credit-table.parser';
import { recordsFromQccEci } from '../../../libs/sources/src/credit-china/qcc-eci.mapper';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

const XINGHE = uscc('91110108MA01A2B3C');
const ADD_REASON = '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的';

/** A QCC ECI response in the shape of the real one in ../shared/data/cn-registry, with made-up items. */
function payload(result: Record<string, unknown>): Record<string, unknown> {
  return {
    OrderNumber: 'ECI0000000000000000000000',
    Status: '200',
    Message: '查询成功',
    Result: { Name: '北京星河贸易有限公司', CreditCode: XINGHE, No: '110108012345678', OrgNo: 'MA01A2B3-C', ...result },
  };
}

describe('recordsFromQccEci', () => {
  it('maps Exceptions to abnormal-operations records keyed like the table adapter', async () => {
    const items = recordsFromQccEci(
      payload({
        Exceptions: [
          {
            AddReason: ADD_REASON,
            AddDate: '2016-07-12 12:00:00',
            RomoveReason: '补报了未报年份的年度报告并公示',
            RemoveDate: '2016-11-25 12:00:00',
            DecisionOffice: '北京市海淀区市场监督管理局',
            RemoveDecisionOffice: '北京市海淀区市场监督管理局',
          },
        ],
      }),
      'abnormal_operations',
    );
    expect(errors(items)).toEqual([]);
    const [record] = records(items);
    expect(record).toMatchObject({
      listKind: 'abnormal_operations',
      names: [{ value: '北京星河贸易有限公司', lang: 'zh', kind: 'primary' }],
      identifiers: [
        { scheme: 'uscc', value: XINGHE },
        { scheme: 'registration', value: '110108012345678' },
      ],
      listedOn: '2016-07-12',
      reason: ADD_REASON,
      delisting: {
        on: '2016-11-25',
        reason: '补报了未报年份的年度报告并公示',
        authority: '北京市海淀区市场监督管理局',
      },
    });
    const csv = table([
      ['统一社会信用代码', '企业名称', '列入经营异常名录原因', '列入日期', '作出决定机关'],
      [XINGHE, '北京星河贸易有限公司', ADD_REASON, '2016-07-12', '北京市海淀区市场监督管理局'],
    ]);
    const tabular = await collect(
      cnAbnormalOperationsAdapter.parse(
        chunked(Buffer.from(csv)),
        staticParseContext(cnAbnormalOperationsAdapter.parseSettings({})),
      ),
    );
    expect(record?.key).toBe(records(tabular)[0]?.key);
  });

  it('maps ShiXinItems of a company and leaves a natural person out', () => {
    const stats: CnCreditParseStats = { naturalPersonsSkipped: 0 };
    const items = recordsFromQccEci(
      payload({
        ShiXinItems: [
          {
            Id: 'a1',
            Name: '北京星河贸易有限公司',
            Liandate: '2019-03-01T00:00:00+08:00',
            Anno: '(2019)京0108执100号',
            Orgno: 'MA01A2B3-C',
            Executegov: '北京市海淀区人民法院',
            Executestatus: '全部未履行',
            Actionremark: '有履行能力而拒不履行生效法律文书确定义务',
            Publicdate: '2019-06-01T00:00:00+08:00',
            Isperson: false,
          },
          {
            Id: 'a2',
            Name: '某某',
            Anno: '(2019)京0108执101号',
            Executegov: '北京市海淀区人民法院',
            Isperson: true,
            Age: '40',
          },
        ],
      }),
      'court_defaulter',
      { stats },
    );
    expect(errors(items)).toEqual([]);
    expect(stats.naturalPersonsSkipped).toBe(1);
    expect(records(items)).toEqual([
      expect.objectContaining({
        key: identityKey(['(2019)京0108执100号', '北京星河贸易有限公司']),
        listKind: 'court_defaulter',
        identifiers: [
          { scheme: 'uscc', value: XINGHE },
          { scheme: 'registration', value: 'MA01A2B3-C' },
        ],
        listedOn: '2019-06-01',
        authority: '北京市海淀区人民法院',
      }),
    ]);
  });

  it('maps Penalty and PenaltyCreditChina to admin-penalty records with the company identity', () => {
    const items = recordsFromQccEci(
      payload({
        Penalty: [
          {
            DocNo: '京海市监罚〔2019〕1号',
            PenaltyType: '虚假宣传',
            OfficeName: '北京市海淀区市场监督管理局',
            Content: '罚款:30000元,罚没合计:30000元',
            PenaltyDate: '2019-03-01',
            PublicDate: '2019-03-05',
            Remark: null,
          },
        ],
        PenaltyCreditChina: [
          {
            CaseNo: '京税稽罚〔2020〕5号',
            Name: '罚款',
            Liandate: '2020-05-06',
            CaseReason: '未按期申报',
            OwnerName: '北京星河贸易有限公司',
            Province: 'BJ',
          },
        ],
      }),
      'admin_penalty',
      { today: '2024-01-01' },
    );
    expect(errors(items)).toEqual([]);
    const [gsxt, creditChina] = records(items);
    expect(gsxt).toMatchObject({
      key: identityKey(['京海市监罚〔2019〕1号', XINGHE]),
      listKind: 'admin_penalty',
      names: [{ value: '北京星河贸易有限公司', lang: 'zh', kind: 'primary' }],
      listedOn: '2019-03-01',
      reason: '虚假宣传',
      authority: '北京市海淀区市场监督管理局',
      attributes: { DocNo: '京海市监罚〔2019〕1号', '罚款金额(万元)': '3' },
    });
    expect(gsxt?.identifiers[0]).toEqual({ scheme: 'uscc', value: XINGHE });
    expect(creditChina).toMatchObject({
      key: identityKey(['京税稽罚〔2020〕5号', XINGHE]),
      listedOn: '2020-05-06',
      reason: '未按期申报',
    });
  });

  it('accepts the Result object alone and returns nothing for empty sections', () => {
    const result = payload({ Exceptions: [] }).Result;
    expect(recordsFromQccEci(result, 'abnormal_operations')).toEqual([]);
    expect(recordsFromQccEci(result, 'court_defaulter')).toEqual([]);
  });

  it('rejects a failed lookup with QCC’s message', () => {
    expect(() => recordsFromQccEci({ Status: '201', Message: '查询无结果', Result: null }, 'admin_penalty')).toThrow(
      SourceFormatError,
    );
    expect(() => recordsFromQccEci({ Status: '201', Message: '查询无结果', Result: null }, 'admin_penalty')).toThrow(
      /Status 201: 查询无结果/,
    );
    expect(() => recordsFromQccEci(payload({ Penalty: {} }), 'admin_penalty')).toThrow(/Penalty is not an array/);
  });
});
