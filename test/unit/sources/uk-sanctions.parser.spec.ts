import { describe, expect, it } from 'vitest';
import { recordContentHash, type ListRecord } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem, type SourceAdapter } from '@partnerwatch/sources';
import { ukSanctionsCsvAdapter } from '../../../libs/sources/src/uk/uk-sanctions-csv.adapter';
import { ukSanctionsXmlAdapter } from '../../../libs/sources/src/uk/uk-sanctions-xml.adapter';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

/**
 * Fixtures written to the published UK Sanctions List layout (FCDO); no real file is in the shared
 * data. The CSV header has the published 58 columns in their published order.
 */
const HEADER = [
  'Last Updated',
  'Unique ID',
  'OFSI Group ID',
  'UN Reference Number',
  'Name 6',
  'Name 1',
  'Name 2',
  'Name 3',
  'Name 4',
  'Name 5',
  'Name type',
  'Alias strength',
  'Title',
  'Name non-latin script',
  'Non-latin script type',
  'Non-latin script language',
  'Regime Name',
  'Designation Type',
  'Designation source',
  'Sanctions Imposed',
  'Other Information',
  'UK Statement of Reasons',
  'Address Line 1',
  'Address Line 2',
  'Address Line 3',
  'Address Line 4',
  'Address Line 5',
  'Address Line 6',
  'Address Postal Code',
  'Address Country',
  'Phone number',
  'Website',
  'Email address',
  'Date Designated',
  'D.O.B',
  'Nationality(/ies)',
  'National Identifier number',
  'National Identifier additional information',
  'Passport number',
  'Passport additional information',
  'Position',
  'Gender',
  'Town of birth',
  'Country of birth',
  'Type of entity',
  'Subsidiaries',
  'Parent company',
  'Business registration number (s)',
  'IMO number',
  'Current owner/operator (s)',
  'Previous owner/operator (s)',
  'Current believed flag of ship',
  'Previous flags',
  'Type of ship',
  'Tonnage of ship',
  'Length of ship',
  'Year Built',
  'Hull identification number (HIN)',
];

const DRONE_USCC = uscc('91440300MA5F0XY31');
const RUSSIA = 'The Russia (Sanctions) (EU Exit) Regulations 2019';

const row = (values: Record<string, string>, header: readonly string[] = HEADER): string[] =>
  header.map((column) => values[column] ?? '');

const DRONE: Record<string, string> = {
  'Last Updated': '09/05/2025',
  'Unique ID': 'RUS2001',
  'OFSI Group ID': '16100',
  'Regime Name': RUSSIA,
  'Designation Type': 'Entity',
  'Designation source': 'UK',
  'Sanctions Imposed': 'Asset freeze|Trust services sanctions',
  'UK Statement of Reasons': 'Supplies drone components to the Russian armed forces.',
  'Date Designated': '09/05/2025',
  'Type of entity': 'Private company',
  'Business registration number (s)': DRONE_USCC,
};
const DRONE_ROWS: Record<string, string>[] = [
  {
    ...DRONE,
    'Name 6': 'SHENZHEN EXAMPLE DRONE TECHNOLOGY CO., LTD',
    'Name type': 'Primary Name',
    'Name non-latin script': '深圳示例无人机科技有限公司',
    'Non-latin script type': 'Chinese',
    'Non-latin script language': 'Chinese',
    'Address Line 1': '1 Example Road',
    'Address Line 6': 'Shenzhen',
    'Address Country': 'China',
  },
  { ...DRONE, 'Name 6': 'EXAMPLE DRONE TECH', 'Name type': 'Alias', 'Alias strength': 'Good quality' },
  // A row for a second address repeats the primary name.
  {
    ...DRONE,
    'Name 6': 'SHENZHEN EXAMPLE DRONE TECHNOLOGY CO., LTD',
    'Name type': 'Primary Name',
    'Address Line 6': 'Hong Kong',
    'Address Country': 'Hong Kong',
  },
];
const SHIP_ROW: Record<string, string> = {
  'Last Updated': '31/07/2024',
  'Unique ID': 'RUS2176',
  'Name 6': 'KOROLEV PROSPECT',
  'Name type': 'Primary Name',
  'Regime Name': RUSSIA,
  'Designation Type': 'Ship',
  'Designation source': 'UK',
  'Sanctions Imposed': "Shipping sanctions: (see 'Other information')",
  'Other Information': 'Shipping sanctions: a specified ship is prohibited from entering UK ports.',
  'UK Statement of Reasons': 'KOROLEV PROSPECT (IMO 9826902) carries Russian oil.',
  'Date Designated': '31/07/2024',
  'IMO number': 'IMO9826902',
  'Current owner/operator (s)': 'Stream Ship Management FZCO',
  'Current believed flag of ship': 'Gabon',
  'Type of ship': 'Oil Tanker',
  'Year Built': '2019',
};
const PERSON_ROWS: Record<string, string>[] = [
  {
    'Last Updated': '26/01/2022',
    'Unique ID': 'AFG0006',
    'OFSI Group ID': '7172',
    'UN Reference Number': 'TAi.002',
    'Name 6': 'AKHUND',
    'Name 1': 'MOHAMMAD',
    'Name 2': 'HASSAN',
    'Name type': 'Primary Name',
    Title: 'Mullah',
    'Regime Name': 'The Afghanistan (Sanctions) (EU Exit) Regulations 2020',
    'Designation Type': 'Individual',
    'Designation source': 'UN',
    'Sanctions Imposed': 'Asset freeze|Travel Ban',
    'Other Information': 'Listed by the UN on 25 January 2001.',
    'Date Designated': '25/01/2001',
    'D.O.B': '00/00/1958',
    'Nationality(/ies)': 'Afghanistan',
    'Passport number': 'A1234567',
  },
  {
    'Unique ID': 'AFG0006',
    'Name 6': 'AKHUND',
    'Name 1': 'MULLAH MOHAMMAD',
    'Name 2': 'HASSAN',
    'Name type': 'Alias',
    'Alias strength': 'Good quality',
    'Regime Name': 'The Afghanistan (Sanctions) (EU Exit) Regulations 2020',
    'Designation Type': 'Individual',
    'Date Designated': '25/01/2001',
  },
];

const ALL_ROWS = [...DRONE_ROWS, SHIP_ROW, ...PERSON_ROWS];

function csv(rows: Record<string, string>[], options: { header?: readonly string[]; reportDate?: boolean } = {}) {
  const header = options.header ?? HEADER;
  const body = table([header, ...rows.map((r) => row(r, header))], ',', '\r\n');
  return (options.reportDate === false ? '' : 'Report Date: 08-Oct-2026\r\n') + body;
}

async function parse<S>(adapter: SourceAdapter<S>, text: string | Buffer, chunkSize?: number): Promise<ParseItem[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(adapter.parseSettings({}))));
}

/** What screening uses: everything but the published attributes, which differ between the formats. */
const typed = ({ attributes: _attributes, ...rest }: ListRecord): Omit<ListRecord, 'attributes'> => rest;

const EXPECTED: Omit<ListRecord, 'attributes'>[] = [
  {
    key: 'RUS2001',
    entityType: 'organization',
    names: [
      { value: 'SHENZHEN EXAMPLE DRONE TECHNOLOGY CO., LTD', kind: 'primary' },
      { value: 'EXAMPLE DRONE TECH', kind: 'alias' },
      { value: '深圳示例无人机科技有限公司', lang: 'zh', kind: 'alias' },
    ],
    identifiers: [{ scheme: 'uscc', value: DRONE_USCC }],
    programs: [RUSSIA],
    country: 'CN',
    listedOn: '2025-05-09',
    reason: 'Supplies drone components to the Russian armed forces.',
    authority: 'UK Foreign, Commonwealth & Development Office',
  },
  {
    key: 'RUS2176',
    entityType: 'vessel',
    names: [{ value: 'KOROLEV PROSPECT', kind: 'primary' }],
    identifiers: [{ scheme: 'imo', value: '9826902' }],
    programs: [RUSSIA],
    listedOn: '2024-07-31',
    reason: 'KOROLEV PROSPECT (IMO 9826902) carries Russian oil.',
    authority: 'UK Foreign, Commonwealth & Development Office',
  },
  {
    key: 'AFG0006',
    entityType: 'person',
    names: [
      { value: 'MOHAMMAD HASSAN AKHUND', kind: 'primary' },
      { value: 'MULLAH MOHAMMAD HASSAN AKHUND', kind: 'alias' },
    ],
    identifiers: [],
    programs: ['The Afghanistan (Sanctions) (EU Exit) Regulations 2020'],
    listedOn: '2001-01-25',
    // No UK statement of reasons for a UN designation: Other Information stands in.
    reason: 'Listed by the UN on 25 January 2001.',
    authority: 'UK Foreign, Commonwealth & Development Office',
  },
];

describe('uk-sanctions-csv parser', () => {
  it('groups the rows of each designation into one record', async () => {
    const items = await parse(ukSanctionsCsvAdapter, csv(ALL_ROWS));
    expect(errors(items)).toEqual([]);
    expect(records(items).map(typed)).toEqual(EXPECTED);
    const drone = records(items)[0]!;
    expect(drone.attributes).toMatchObject({
      'Unique ID': 'RUS2001',
      'Name 6': 'EXAMPLE DRONE TECH; SHENZHEN EXAMPLE DRONE TECHNOLOGY CO., LTD',
      'Address Country': 'China; Hong Kong',
      'Sanctions Imposed': 'Asset freeze|Trust services sanctions',
      'Business registration number (s)': DRONE_USCC,
    });
  });

  it('does not count a reordering of a designation’s rows as a change', async () => {
    const reordered = [DRONE_ROWS[2]!, DRONE_ROWS[1]!, DRONE_ROWS[0]!, SHIP_ROW, PERSON_ROWS[1]!, PERSON_ROWS[0]!];
    const before = records(await parse(ukSanctionsCsvAdapter, csv(ALL_ROWS))).map(recordContentHash);
    const after = records(await parse(ukSanctionsCsvAdapter, csv(reordered))).map(recordContentHash);
    expect(after).toEqual(before);
  });

  it('matches columns whatever their case, spacing and punctuation, with or without the report-date line', async () => {
    const variant = HEADER.map((name) =>
      name === 'Designation Type'
        ? 'Entity type'
        : name === 'Business registration number (s)'
          ? 'Business Registration Number(s)'
          : ` ${name.toUpperCase().replace(/ /g, '  ')} `,
    );
    const renamed = ALL_ROWS.map((r) =>
      Object.fromEntries(Object.entries(r).map(([column, value]) => [variant[HEADER.indexOf(column)]!, value])),
    );
    const text = '\uFEFF' + csv(renamed, { header: variant, reportDate: false });
    const items = await parse(ukSanctionsCsvAdapter, text, 17);
    expect(errors(items)).toEqual([]);
    expect(records(items).map(typed)).toEqual(EXPECTED);
  });

  it('reports a row without a Unique ID at its line in the file', async () => {
    const items = await parse(ukSanctionsCsvAdapter, csv([SHIP_ROW, { ...SHIP_ROW, 'Unique ID': '' }]));
    expect(records(items).map((r) => r.key)).toEqual(['RUS2176']);
    // Line 1 is the report date, line 2 the header.
    expect(errors(items)).toEqual([{ row: 4, message: 'Unique ID is empty' }]);
  });

  it('refuses an export whose designations are not in consecutive rows', async () => {
    const scattered = [DRONE_ROWS[0]!, SHIP_ROW, DRONE_ROWS[1]!];
    const error = await parse(ukSanctionsCsvAdapter, csv(scattered)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as Error).message).toMatch(/the rows of RUS2001 are not together \(line 3 and line 5\)/);
  });

  it('refuses a file without the Unique ID and Name 6 columns, naming what it found', async () => {
    const error = await parse(ukSanctionsCsvAdapter, 'Report Date: 08-Oct-2026\nGroup ID,Name\n1,X\n').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as Error).message).toBe(
      'uk-sanctions-csv: the export lacks the column(s) Unique ID, Name 6; found columns: Group ID, Name. ' +
        'Is this the UK Sanctions List CSV?',
    );
  });

  it('refuses bytes that are not UTF-8 unless the source says which encoding they are in', async () => {
    const latin1 = Buffer.from(csv([{ ...SHIP_ROW, 'Name 6': 'CAFÉ SHIP' }]), 'latin1');
    await expect(parse(ukSanctionsCsvAdapter, latin1)).rejects.toThrow(/not valid utf-8/);
    const settings = ukSanctionsCsvAdapter.parseSettings({ encoding: 'windows-1252' });
    const items = await collect(ukSanctionsCsvAdapter.parse(chunked(latin1), staticParseContext(settings)));
    expect(records(items)[0]?.names[0]?.value).toBe('CAFÉ SHIP');
  });
});

const XML = `<?xml version="1.0" encoding="utf-8"?>
<Designations xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <DateGenerated>08/10/2026</DateGenerated>
  <Designation>
    <LastUpdated>09/05/2025</LastUpdated>
    <DateDesignated>09/05/2025</DateDesignated>
    <UniqueID>RUS2001</UniqueID>
    <OFSIGroupID>16100</OFSIGroupID>
    <RegimeName>${RUSSIA}</RegimeName>
    <IndividualEntityShip>Entity</IndividualEntityShip>
    <DesignationSource>UK</DesignationSource>
    <SanctionsImposed>Asset freeze|Trust services sanctions</SanctionsImposed>
    <UKStatementofReasons>Supplies drone components to the Russian armed forces.</UKStatementofReasons>
    <Names>
      <Name><Name6>SHENZHEN EXAMPLE DRONE TECHNOLOGY CO., LTD</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name6>EXAMPLE DRONE TECH</Name6><NameType>Alias</NameType><AliasStrength>Good quality</AliasStrength></Name>
    </Names>
    <NonLatinNames>
      <NonLatinName>
        <NameNonLatinScript>深圳示例无人机科技有限公司</NameNonLatinScript>
        <NonLatinScriptType>Chinese</NonLatinScriptType>
        <NonLatinScriptLanguage>Chinese</NonLatinScriptLanguage>
      </NonLatinName>
    </NonLatinNames>
    <Addresses>
      <Address><AddressLine1>1 Example Road</AddressLine1><AddressLine6>Shenzhen</AddressLine6><AddressCountry>China</AddressCountry></Address>
      <Address><AddressLine6>Hong Kong</AddressLine6><AddressCountry>Hong Kong</AddressCountry></Address>
    </Addresses>
    <EntityDetails><Entity>
      <TypeOfEntities><TypeOfEntity>Private company</TypeOfEntity></TypeOfEntities>
      <BusinessRegistrationNumbers><BusinessRegistrationNumber>${DRONE_USCC}</BusinessRegistrationNumber></BusinessRegistrationNumbers>
    </Entity></EntityDetails>
  </Designation>
  <Designation>
    <LastUpdated>31/07/2024</LastUpdated>
    <DateDesignated>31/07/2024</DateDesignated>
    <UniqueID>RUS2176</UniqueID>
    <RegimeName>${RUSSIA}</RegimeName>
    <IndividualEntityShip>Ship</IndividualEntityShip>
    <OtherInformation>Shipping sanctions: a specified ship is prohibited from entering UK ports.</OtherInformation>
    <UKStatementofReasons>KOROLEV PROSPECT (IMO 9826902) carries Russian oil.</UKStatementofReasons>
    <Names><Name><Name6>KOROLEV PROSPECT</Name6><NameType>Primary Name</NameType></Name></Names>
    <ShipDetails><Ship><IMONumbers><IMONumber>IMO9826902</IMONumber></IMONumbers><TypeOfShipDetails><TypeOfShip>Oil Tanker</TypeOfShip></TypeOfShipDetails></Ship></ShipDetails>
  </Designation>
  <Designation>
    <LastUpdated>26/01/2022</LastUpdated>
    <DateDesignated>25/01/2001</DateDesignated>
    <UniqueID>AFG0006</UniqueID>
    <OFSIGroupID>7172</OFSIGroupID>
    <UNReferenceNumber>TAi.002</UNReferenceNumber>
    <RegimeName>The Afghanistan (Sanctions) (EU Exit) Regulations 2020</RegimeName>
    <IndividualEntityShip>Individual</IndividualEntityShip>
    <DesignationSource>UN</DesignationSource>
    <OtherInformation>Listed by the UN on 25 January 2001.</OtherInformation>
    <Names>
      <Name><Name1>MOHAMMAD</Name1><Name2>HASSAN</Name2><Name6>AKHUND</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name1>MULLAH MOHAMMAD</Name1><Name2>HASSAN</Name2><Name6>AKHUND</Name6><NameType>Alias</NameType></Name>
    </Names>
    <IndividualDetails><Individual><DOBs><DOB>00/00/1958</DOB></DOBs><Nationalities><Nationality>Afghanistan</Nationality></Nationalities></Individual></IndividualDetails>
  </Designation>
  <Designation>
    <RegimeName>${RUSSIA}</RegimeName>
    <Names><Name><Name6>NO ID</Name6></Name></Names>
  </Designation>
</Designations>
`;

describe('uk-sanctions-xml parser', () => {
  it('maps each Designation to the same record the CSV gives', async () => {
    const items = await parse(ukSanctionsXmlAdapter, XML);
    expect(records(items).map(typed)).toEqual(EXPECTED);
    expect(records(items)[1]?.attributes).toMatchObject({
      UniqueID: 'RUS2176',
      'ShipDetails/Ship/IMONumbers/IMONumber': 'IMO9826902',
    });
    const line = XML.slice(0, XML.lastIndexOf('<Designation>')).split('\n').length;
    expect(errors(items)).toEqual([{ row: line, message: 'Designation has no UniqueID' }]);
  });

  it('reads the same records whatever the chunking, and refuses a truncated file after its complete records', async () => {
    expect(await parse(ukSanctionsXmlAdapter, XML, 11)).toEqual(await parse(ukSanctionsXmlAdapter, XML));
    const cut = XML.slice(0, XML.indexOf('<UniqueID>AFG0006'));
    const seen: string[] = [];
    const settings = ukSanctionsXmlAdapter.parseSettings({});
    const error = await (async () => {
      for await (const item of ukSanctionsXmlAdapter.parse(chunked(Buffer.from(cut)), staticParseContext(settings))) {
        if ('record' in item) seen.push(item.record.key);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['RUS2001', 'RUS2176']);
    expect((error as Error).message).toMatch(/^UK Sanctions List XML: the export is truncated/);
  });
});
