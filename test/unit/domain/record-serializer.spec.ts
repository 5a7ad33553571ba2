import { describe, expect, it } from 'vitest';
import { encodeIdentifiers, serializeListRecord, type ListRecord } from '@partnerwatch/domain';

const record: ListRecord = {
  key: 'k1',
  entityType: 'organization',
  names: [{ value: '苏州"华信"电子有限公司', lang: 'zh', kind: 'primary' }],
  identifiers: [{ scheme: 'uscc', value: '91320500MA1MXXXX0X' }],
  country: 'CN',
  listedOn: '2024-01-05',
  reason: 'line one\nline two \\ end',
  attributes: { 企业名称: '苏州"华信"电子有限公司', 列入日期: '2024/1/5', b: 'x' },
};

describe('canonical record text', () => {
  it('is valid JSON that round-trips the record', () => {
    expect(JSON.parse(serializeListRecord(record))).toEqual(record);
  });

  it('does not depend on the order fields or attributes were written in', () => {
    const reordered: ListRecord = {
      attributes: { b: 'x', 列入日期: '2024/1/5', 企业名称: '苏州"华信"电子有限公司' },
      listedOn: '2024-01-05',
      reason: 'line one\nline two \\ end',
      country: 'CN',
      identifiers: [{ value: '91320500MA1MXXXX0X', scheme: 'uscc' }],
      names: [{ kind: 'primary', lang: 'zh', value: '苏州"华信"电子有限公司' }],
      entityType: 'organization',
      key: 'k1',
    };
    expect(serializeListRecord(reordered)).toBe(serializeListRecord(record));
  });

  it('encodes identifiers for the diff without JSON', () => {
    expect(
      encodeIdentifiers([
        { scheme: 'uscc', value: 'A' },
        { scheme: 'lei', value: '' },
        { scheme: 'lei', value: 'B' },
      ]),
    ).toBe('uscc\u001fA\u001elei\u001fB');
  });
});
