import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ListRecord, RowError } from '@partnerwatch/domain';
import { staticParseContext } from '@partnerwatch/sources';
import { ofacSdnXmlAdapter as adapter } from '../../libs/sources/src/ofac-xml/ofac-sdn-xml.adapter';
import { sharedDataPath } from '../support/shared-data';

const FILE = 'ofac-cons-xml-2018-04-06.xml';

describe('OFAC SDN.XML layout: the real Consolidated (non-SDN) list of 2018-04-06', () => {
  it('parses all 639 sdnEntry elements with no errors', async () => {
    const records: ListRecord[] = [];
    const errors: RowError[] = [];
    const context = staticParseContext(adapter.parseSettings({}));
    for await (const item of adapter.parse(createReadStream(sharedDataPath(FILE)), context)) {
      if ('record' in item) records.push(item.record);
      else if ('error' in item) errors.push(item.error);
    }
    expect(errors).toEqual([]);
    expect(records).toHaveLength(639);
    // The file's own count, read independently of the parser.
    const stated = /<Record_Count>(\d+)<\/Record_Count>/.exec(readFileSync(sharedDataPath(FILE), 'utf8'))?.[1];
    expect(records).toHaveLength(Number(stated));
    expect(new Set(records.map((r) => r.key)).size).toBe(639);

    const byType = (type: string): number => records.filter((r) => r.entityType === type).length;
    expect([byType('organization'), byType('person'), byType('vessel')]).toEqual([471, 94, 74]);

    const bank = records.find((r) => r.key === '4632');
    expect(bank).toMatchObject({
      entityType: 'organization',
      names: [
        { value: 'BANK MARKAZI JOMHOURI ISLAMI IRAN', kind: 'primary' },
        { value: 'CENTRAL BANK OF THE ISLAMIC REPUBLIC OF IRAN', kind: 'alias' },
        { value: 'BANK MARKAZI IRAN', kind: 'alias' },
        { value: 'CENTRAL BANK OF IRAN', kind: 'alias' },
      ],
      // Its idList holds only remarks ("Additional Sanctions Information -", a URL): no identifiers.
      identifiers: [],
      programs: ['IRAN'],
      country: 'IR',
    });
    // Every vessel carries its IMO number from "Vessel Registration Identification".
    const vessels = records.filter((r) => r.entityType === 'vessel');
    expect(vessels.every((v) => v.identifiers.some((i) => i.scheme === 'imo' && /^\d{7}$/.test(i.value)))).toBe(true);
  });
});
