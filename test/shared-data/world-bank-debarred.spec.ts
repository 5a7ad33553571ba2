import { describe, expect, it } from 'vitest';
import { primaryName, validateUscc } from '@partnerwatch/domain';
import type { SourceAdapter } from '@partnerwatch/sources';
import { worldBankDebarredAdapter as adapter } from '../../libs/sources/src/world-bank/world-bank-debarred.adapter';
import { parseSharedFile } from '../support/shared-data';

const FILE = 'worldbank-debarred-2025-01-07.xlsx';

const parseFile = () => parseSharedFile(adapter as SourceAdapter, FILE, 16 * 1024);

describe('World Bank debarred firms: the real XLSX download in shared/data', () => {
  it('parses all 1,285 rows under the title line and two-row header, none rejected', async () => {
    const { records, errors } = await parseFile();
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1285);
    expect(new Set(records.map((r) => r.key)).size).toBe(1285);

    // Row 1 is "Downloaded on: ...", rows 2-3 the header; the first firm is on row 4.
    expect(records[0]).toMatchObject({
      entityType: 'person',
      names: [{ value: 'MR. RUFAT MAJIDOV', kind: 'primary' }],
      country: 'AZ',
      listedOn: '2024-12-10',
      reason: 'Obstructive Practices',
      authority: 'World Bank Group',
      attributes: {
        'Firm Name': 'MR. RUFAT MAJIDOV',
        'Additional Firm Info': '*677',
        Country: 'Azerbaijan',
        'Ineligibility Period From Date': '2024-12-10',
        'Ineligibility Period To Date': '2027-08-09',
      },
    });
    for (const record of records) {
      expect(record.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(record.delisting).toBeUndefined();
    }
    // The download writes a debarment without end as 2999-12-31: kept as published, not a delisting.
    expect(records.filter((r) => r.attributes['Ineligibility Period To Date'] === '2999-12-31').length).toBe(649);
    expect(records.filter((r) => r.attributes.Country && !r.country).map((r) => r.attributes.Country)).toEqual([]);
  });

  it('takes Chinese names and USCCs out of Additional Firm Info', async () => {
    const { records } = await parseFile();
    const hebei = records.find((r) => r.attributes['Additional Firm Info'] === '河北建设集团股份有限公司清远分公司');
    expect(hebei?.names).toEqual([
      { value: 'HEBEI CONSTRUCTION GROUP CORPORATION LIMITED QINGYUAN BRANCH', kind: 'primary' },
      { value: '河北建设集团股份有限公司清远分公司', lang: 'zh', kind: 'alias' },
    ]);
    expect(hebei?.entityType).toBe('organization');

    const xinjiang = records.find((r) =>
      r.attributes['Additional Firm Info']?.startsWith('(新疆天山路桥有限责任公司)'),
    );
    expect(xinjiang?.names.find((n) => n.lang === 'zh')?.value).toBe('新疆天山路桥有限责任公司');
    expect(xinjiang?.identifiers).toEqual([{ scheme: 'uscc', value: '91654202798170403M' }]);

    // Every 18-character code in the column that passes the GB 32100 check is a USCC identifier.
    const codes = new Set<string>();
    for (const r of records) {
      for (const m of (r.attributes['Additional Firm Info'] ?? '').matchAll(/[0-9A-Z]{18}/g)) {
        if (validateUscc(m[0]).ok) codes.add(m[0]);
      }
    }
    const found = new Set(records.flatMap((r) => r.identifiers.filter((i) => i.scheme === 'uscc').map((i) => i.value)));
    expect(codes.size).toBeGreaterThan(0);
    expect(found).toEqual(codes);
    expect(records.filter((r) => r.names.some((n) => n.lang === 'zh')).length).toBeGreaterThan(250);
    expect(records.every((r) => primaryName(r) === r.attributes['Firm Name']?.replace(/\s+/g, ' ').trim())).toBe(true);
  });
});
