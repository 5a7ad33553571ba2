import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateUscc } from '@partnerwatch/domain';
import { recordsFromQccEci, type QccEciList } from '../../libs/sources/src/credit-china/qcc-eci.mapper';
import { sharedDataPath } from '../support/shared-data';

const XIAOJU_USCC = '9111010859963405XW';

interface QccEciExcerpt {
  Status: string;
  Result: {
    Name: string;
    CreditCode: string;
    Exceptions: unknown[];
    ShiXinItems: unknown[];
    Penalty: unknown[];
    PenaltyCreditChina: unknown[];
  };
}

const payload = JSON.parse(
  readFileSync(sharedDataPath('cn-registry/qcc_eci_xiaoju_excerpt.json'), 'utf8'),
) as QccEciExcerpt;

const SECTIONS: [QccEciList, number][] = [
  ['abnormal_operations', payload.Result.Exceptions.length],
  ['court_defaulter', payload.Result.ShiXinItems.length],
  ['admin_penalty', payload.Result.Penalty.length + payload.Result.PenaltyCreditChina.length],
];

describe('QCC ECI payload of 北京小桔科技有限公司 (real, shared data)', () => {
  it('is the company the manifest says, with a valid USCC', () => {
    expect(payload.Result.CreditCode).toBe(XIAOJU_USCC);
    expect(validateUscc(XIAOJU_USCC).ok).toBe(true);
  });

  it.each(SECTIONS)('maps every %s item to a record with the company’s USCC and no errors', (list, expected) => {
    const items = recordsFromQccEci(payload, list, { today: '2019-11-01' });
    expect(items.filter((item) => 'error' in item)).toEqual([]);
    const records = items.flatMap((item) => ('record' in item ? [item.record] : []));
    expect(records).toHaveLength(expected);
    for (const record of records) {
      expect(record.identifiers).toContainEqual({ scheme: 'uscc', value: XIAOJU_USCC });
      expect(record.names[0]).toEqual({ value: '北京小桔科技有限公司', lang: 'zh', kind: 'primary' });
      expect(record.listKind).toBe(list);
      expect(record.entityType).toBe('organization');
    }
  });

  it('reads the three gsxt penalties with their document numbers, dates, authorities and fines', () => {
    const records = recordsFromQccEci(payload, 'admin_penalty').flatMap((item) =>
      'record' in item ? [item.record] : [],
    );
    expect(
      records.map((r) => [r.attributes['DocNo'], r.listedOn, r.authority, r.attributes['罚款金额(万元)']]),
    ).toEqual([
      ['京工商海处字〔2015〕第2176号', '2015-11-19', '北京市工商行政管理局海淀分局', '1'],
      ['京工商门处字2014第24号', '2014-07-15', '门头沟分局', '7'],
      ['京工商海处字2014第1157号', '2014-06-26', '海淀分局', '3'],
    ]);
    expect(new Set(records.map((r) => r.key)).size).toBe(3);
    expect(records[2]?.reason).toBe('虚假宣传');
    expect(records.every((r) => r.delisting === undefined)).toBe(true);
  });
});
