import { describe, expect, it } from 'vitest';
import { staticParseContext, type ParseItem } from '@partnerwatch/sources';
import { ofacSdnXmlAdapter as adapter } from '../../../libs/sources/src/ofac-xml/ofac-sdn-xml.adapter';
import { ofacIdScheme } from '../../../libs/sources/src/ofac-xml/ofac-sdn-xml.parser';
import { chunked, collect, errors, records, uscc } from './source-fixtures';

/** A valid ISO 17442 LEI from its first 18 characters (ISO 7064 MOD 97-10 check digits). */
function lei(first18: string): string {
  const digits = [...`${first18}00`].map((ch) => (ch <= '9' ? ch : String(ch.charCodeAt(0) - 55))).join('');
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return first18 + String(98 - remainder).padStart(2, '0');
}

const CHIP_USCC = uscc('91310000MA1FL4XY2');
const CHIP_LEI = lei('5493004EXAMPLE0CHP');

/** The classic SDN.XML layout, with OFAC's default namespace and a UTF-8 byte order mark. */
const SDN = `\uFEFF<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation>
    <Publish_Date>10/03/2024</Publish_Date>
    <Record_Count>4</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>36001</uid>
    <lastName>SHANGHAI EXAMPLE CHIP TECHNOLOGY CO., LTD.</lastName>
    <sdnType>Entity</sdnType>
    <remarks>Secondary sanctions risk: see Section 11 of Executive Order 14024.; Organization Established Date 01 Jun 2016.</remarks>
    <programList>
      <program>RUSSIA-EO14024</program>
      <program>NPWMD</program>
    </programList>
    <idList>
      <id><uid>51001</uid><idType>Unified Social Credit Code (USCC)</idType><idNumber>${CHIP_USCC}</idNumber><idCountry>China</idCountry></id>
      <id><uid>51002</uid><idType>Legal Entity Number</idType><idNumber>${CHIP_LEI}</idNumber></id>
      <id><uid>51003</uid><idType>Website</idType><idNumber>www.example-chip.cn</idNumber></id>
      <id><uid>51004</uid><idType>Secondary sanctions risk:</idType><idNumber>Section 11 of Executive Order 14024.</idNumber></id>
      <id><uid>51005</uid><idType>SWIFT/BIC</idType><idNumber>EXCHCNSH</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>61001</uid><type>a.k.a.</type><category>strong</category><lastName>上海示例芯片科技有限公司</lastName></aka>
      <aka><uid>61002</uid><type>a.k.a.</type><category>weak</category><lastName>EXAMPLE CHIP</lastName></aka>
    </akaList>
    <addressList>
      <address><uid>71001</uid><address1>1 Example Road, Pudong</address1><city>Shanghai</city><country>China</country></address>
    </addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>36002</uid>
    <firstName>Ivan</firstName>
    <lastName>EXAMPLEOV</lastName>
    <title>Director</title>
    <sdnType>Individual</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <idList>
      <id><uid>51006</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
      <id><uid>51007</uid><idType>Passport</idType><idNumber>75 1234567</idNumber><idCountry>Russia</idCountry></id>
      <id><uid>51008</uid><idType>Tax ID No.</idType><idNumber>772012345678</idNumber><idCountry>Russia</idCountry></id>
    </idList>
    <nationalityList><nationality><uid>81001</uid><country>Russia</country><mainEntry>true</mainEntry></nationality></nationalityList>
  </sdnEntry>
  <sdnEntry>
    <uid>36003</uid>
    <lastName>EXAMPLE STAR</lastName>
    <sdnType>Vessel</sdnType>
    <programList><program>IRAN</program></programList>
    <idList>
      <id><uid>51009</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9187629</idNumber></id>
      <id><uid>51010</uid><idType>MMSI</idType><idNumber>572469210</idNumber></id>
      <id><uid>51011</uid><idType>Legal Entity Number</idType><idNumber>851683897</idNumber></id>
    </idList>
    <vesselInfo><callSign>9HA1234</callSign><vesselType>Crude Oil Tanker</vesselType><vesselFlag>Tuvalu</vesselFlag></vesselInfo>
  </sdnEntry>
  <sdnEntry>
    <sdnType>Entity</sdnType>
    <lastName>NO UID</lastName>
  </sdnEntry>
</sdnList>
`;

async function parse(xml: string, chunkSize?: number): Promise<ParseItem[]> {
  return collect(
    adapter.parse(chunked(Buffer.from(xml, 'utf8'), chunkSize), staticParseContext(adapter.parseSettings({}))),
  );
}

describe('ofac-sdn-xml parser', () => {
  it('maps an entity: names, identifiers by idType, programmes, country; remarks stay attributes', async () => {
    const [chip] = records(await parse(SDN));
    expect(chip).toMatchObject({
      key: '36001',
      entityType: 'organization',
      names: [
        { value: 'SHANGHAI EXAMPLE CHIP TECHNOLOGY CO., LTD.', kind: 'primary' },
        { value: '上海示例芯片科技有限公司', lang: 'zh', kind: 'alias' },
        { value: 'EXAMPLE CHIP', kind: 'alias' },
      ],
      identifiers: [
        { scheme: 'uscc', value: CHIP_USCC },
        { scheme: 'lei', value: CHIP_LEI },
        { scheme: 'other', value: 'EXCHCNSH' },
      ],
      programs: ['RUSSIA-EO14024', 'NPWMD'],
      country: 'CN',
      authority: 'US Treasury OFAC',
    });
    expect(chip?.attributes).toMatchObject({
      'idList/id[3]/idType': 'Website',
      'idList/id[3]/idNumber': 'www.example-chip.cn',
      'akaList/aka[2]/category': 'weak',
      'addressList/address/city': 'Shanghai',
    });
    // OFAC's own row numbers inside an entry are not content.
    expect(Object.keys(chip?.attributes ?? {}).some((k) => k.endsWith('uid'))).toBe(false);
  });

  it('writes a person "LAST, First", files a tax number under tax, and takes the nationality as country', async () => {
    const [, person] = records(await parse(SDN));
    expect(person).toMatchObject({
      key: '36002',
      entityType: 'person',
      names: [{ value: 'EXAMPLEOV, Ivan', kind: 'primary' }],
      identifiers: [
        { scheme: 'other', value: '751234567' },
        { scheme: 'tax', value: '772012345678' },
      ],
      country: 'RU',
    });
  });

  it('maps a vessel with its IMO number, and a "Legal Entity Number" that is no LEI as a registration', async () => {
    const [, , vessel] = records(await parse(SDN));
    expect(vessel).toMatchObject({
      key: '36003',
      entityType: 'vessel',
      identifiers: [
        { scheme: 'imo', value: '9187629' },
        { scheme: 'other', value: '572469210' },
        { scheme: 'registration', value: '851683897' },
      ],
    });
    expect(vessel?.attributes['vesselInfo/vesselFlag']).toBe('Tuvalu');
    expect(vessel?.country).toBeUndefined();
  });

  it('reports an entry without a uid and reads the same records whatever the chunking', async () => {
    const items = await parse(SDN);
    const line = SDN.slice(0, SDN.lastIndexOf('<sdnEntry>')).split('\n').length;
    expect(errors(items)).toEqual([{ row: line, message: 'sdnEntry has no uid' }]);
    expect(await parse(SDN, 9)).toEqual(items);
  });

  it('tells identifiers from the remarks OFAC files under idList', () => {
    expect(ofacIdScheme('Unified Social Credit Code (USCC)')).toBe('uscc');
    expect(ofacIdScheme('Registration Number')).toBe('registration');
    expect(ofacIdScheme('Registration ID')).toBe('registration');
    expect(ofacIdScheme('Legal Entity Number')).toBe('lei');
    expect(ofacIdScheme('Tax ID No.')).toBe('tax');
    expect(ofacIdScheme('V.A.T. Number')).toBe('tax');
    expect(ofacIdScheme('Vessel Registration Identification')).toBe('imo');
    expect(ofacIdScheme('Passport')).toBe('other');
    expect(ofacIdScheme('MMSI')).toBe('other');
    for (const remark of [
      'Additional Sanctions Information -',
      'For more information, please see:',
      'Executive Order 13662 Directive Determination -',
      'Website',
      'Email Address',
      'Gender',
      'Former Vessel Flag',
      'Nationality of Registration',
    ]) {
      expect(ofacIdScheme(remark)).toBeUndefined();
    }
  });
});
