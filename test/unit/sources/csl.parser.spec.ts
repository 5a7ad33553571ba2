import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { identityKey, type ListRecord } from '@partnerwatch/domain';
import { SourceFormatError, SourceSettingsError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
import {
  US_CSL_CSV_ID,
  US_CSL_JSON_ID,
  usCslCsvAdapter,
  usCslJsonAdapter,
} from '../../../libs/sources/src/csl/csl.adapter';
import { CSL_COLUMNS } from '../../../libs/sources/src/csl/csl-record.mapper';
import { cslList } from '../../../libs/sources/src/csl/csl-source.mapper';
import { chunked, collect, errors, records, table, uscc } from './source-fixtures';

type Row = Partial<Record<(typeof CSL_COLUMNS)[number], string>>;

const EL = 'Entity List (EL) - Bureau of Industry and Security';
const MEU = 'Military End User (MEU) List - Bureau of Industry and Security';
const UVL = 'Unverified List (UVL) - Bureau of Industry and Security';
const DPL = 'Denied Persons List (DPL) - Bureau of Industry and Security';
const SDN = 'Specially Designated Nationals (SDN) - Treasury Department';
const SSI = 'Sectoral Sanctions Identifications List (SSI) - Treasury Department';
const NS_MBS = 'Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department';
const ISN = 'Nonproliferation Sanctions (ISN) - State Department';
const PLC = 'Palestinian Legislative Council List (PLC) - Treasury Department';
const CMIC = 'Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department';
const FSE = 'Foreign Sanctions Evaders (FSE) - Treasury Department';
const DTC = 'ITAR Debarred (DTC) - State Department';

const TELECOM_USCC = '9111000071093019X7';
const ACADEMY_USCC = uscc('91110000MA005UCQ5');

const ROWS: Row[] = [
  {
    _id: 'b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d',
    source: EL,
    name: 'Beijing Example Microelectronics Co., Ltd.',
    addresses: 'No. 1 Example Road, Haidian District, Beijing, 100080, CN',
    federal_register_notice: '87 FR 77505',
    start_date: '2022-12-19',
    license_requirement: 'For all items subject to the EAR. (See §744.11 of the EAR).',
    license_policy: 'Presumption of denial.',
    alt_names: 'BEM; Beijing Example Micro',
    ids: `Unified Social Credit Code (USCC), ${ACADEMY_USCC}, CN`,
  },
  {
    _id: 'dcc742038bcb47f1bf9e805ef279484d',
    source: MEU,
    name: 'Academy of Aerospace Solid Propulsion Technology (AASPT)',
    addresses: 'Tian Wang te Zi #1, Baqiao District, Xian, China, CN',
    start_date: '2020-12-23',
  },
  { _id: 'f1c2', source: UVL, name: 'Unverified Trading LLC', addresses: 'Dubai, AE' },
  {
    _id: 'a9d8',
    source: DPL,
    name: 'John Example',
    addresses: '123 Main St., BIG SPRING, TX, 79720',
    end_date: '2029-07-05',
  },
  {
    _id: '306',
    source: SDN,
    entity_number: '306',
    type: 'Entity',
    programs: 'CUBA',
    name: 'BANCO NACIONAL DE CUBA',
    addresses: 'Zweierstrasse 35, Zurich, CH-8022, CH; Avenida de Concha Espina 8, Madrid, E-28036, ES',
    remarks: "a.k.a. 'BNC'.",
    alt_names: 'NATIONAL BANK OF CUBA',
  },
  {
    _id: '17014',
    source: SSI,
    entity_number: '17014',
    type: 'Entity',
    programs: 'UKRAINE-EO13662; RUSSIA-EO14024',
    name: 'JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK',
    ids: 'Registration ID, 1027700342890, RU; Tax ID No., 7725114488, RU; SWIFT/BIC, RUAGRUMM',
  },
  {
    _id: '17014',
    source: NS_MBS,
    entity_number: '17014',
    type: 'Entity',
    programs: 'UKRAINE-EO13662; RUSSIA-EO14024',
    name: 'Joint Stock Company Russian Agricultural Bank',
  },
  { _id: 'c1d2', source: ISN, name: 'Example Nonproliferation Entity', programs: 'E.O. 13382' },
  { _id: '9641', source: PLC, type: 'Individual', name: 'AL-SHANTI, Jamileh Abdullah', nationalities: 'PS' },
  {
    _id: '30882',
    source: CMIC,
    entity_number: '30882',
    type: 'Entity',
    programs: 'CMIC-EO13959',
    name: 'China Telecom Corporation Limited',
    addresses: '31 Jinrong Street, Xicheng District, Beijing, 100033, CN',
    ids:
      `Unified Social Credit Code (USCC), ${TELECOM_USCC}, CN; Issuer Name, China Telecom Corporation Limited; ` +
      'ISIN, US1694261033; Listing Date (CMIC), 2021-06-03',
  },
  { _id: '25001', source: FSE, type: 'Individual', name: 'EVADER, Example', citizenships: 'SY' },
  { _id: '4f5e6d7c', source: DTC, name: 'Example Defense Exports', start_date: '2015-03-02' },
  {
    _id: '5005',
    source: SDN,
    type: 'Vessel',
    name: 'SEA STAR',
    vessel_flag: 'Iran',
    ids: 'Vessel Registration Identification, IMO 9187629',
  },
];

const csvRow = (row: Row): string[] => CSL_COLUMNS.map((column) => row[column] ?? '');
const csvText = (rows: readonly Row[]): string => table([[...CSL_COLUMNS], ...rows.map(csvRow)], ',', '\r\n');

async function parseCsv(text: string | Buffer, chunkSize?: number): Promise<ParseItem[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const settings = usCslCsvAdapter.parseSettings({});
  return collect(usCslCsvAdapter.parse(chunked(bytes, chunkSize), staticParseContext(settings)));
}

async function parseJson(document: unknown, settings: unknown = {}, chunkSize?: number): Promise<ParseItem[]> {
  const bytes = Buffer.from(typeof document === 'string' ? document : JSON.stringify(document), 'utf8');
  const parsed = usCslJsonAdapter.parseSettings(settings);
  return collect(usCslJsonAdapter.parse(chunked(bytes, chunkSize), staticParseContext(parsed)));
}

const byName = (items: ParseItem[]): Map<string, ListRecord> =>
  new Map(records(items).map((r) => [`${r.names[0]!.value}`, r]));

describe('us-csl-csv', () => {
  it('gives each row the list kind of its source list', async () => {
    const items = await parseCsv(csvText(ROWS));
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => [r.key, r.listKind])).toEqual([
      ['EL:b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d', 'export_control'],
      ['MEU:dcc742038bcb47f1bf9e805ef279484d', 'export_control'],
      ['UVL:f1c2', 'export_control'],
      ['DPL:a9d8', 'export_control'],
      ['SDN:306', 'sanctions'],
      ['SSI:17014', 'sanctions'],
      // Same Treasury id on a second list: a second, separate listing.
      ['NS-MBS:17014', 'sanctions'],
      ['ISN:c1d2', 'sanctions'],
      ['PLC:9641', 'sanctions'],
      ['CMIC:30882', 'sanctions'],
      ['FSE:25001', 'sanctions'],
      ['DTC:4f5e6d7c', 'debarment'],
      ['SDN:5005', 'sanctions'],
    ]);
  });

  it('maps names, identifiers, country, programmes and dates', async () => {
    const rows = byName(await parseCsv(csvText(ROWS)));
    expect(rows.get('Beijing Example Microelectronics Co., Ltd.')).toEqual({
      key: 'EL:b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d',
      entityType: 'unknown',
      listKind: 'export_control',
      names: [
        { value: 'Beijing Example Microelectronics Co., Ltd.', kind: 'primary' },
        { value: 'BEM', kind: 'alias' },
        { value: 'Beijing Example Micro', kind: 'alias' },
      ],
      identifiers: [{ scheme: 'uscc', value: ACADEMY_USCC }],
      country: 'CN',
      listedOn: '2022-12-19',
      authority: 'Bureau of Industry and Security',
      attributes: {
        _id: 'b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d',
        source: EL,
        name: 'Beijing Example Microelectronics Co., Ltd.',
        addresses: 'No. 1 Example Road, Haidian District, Beijing, 100080, CN',
        federal_register_notice: '87 FR 77505',
        start_date: '2022-12-19',
        license_requirement: 'For all items subject to the EAR. (See §744.11 of the EAR).',
        license_policy: 'Presumption of denial.',
        alt_names: 'BEM; Beijing Example Micro',
        ids: `Unified Social Credit Code (USCC), ${ACADEMY_USCC}, CN`,
      },
    });
    const telecom = rows.get('China Telecom Corporation Limited')!;
    expect(telecom.identifiers).toEqual([{ scheme: 'uscc', value: TELECOM_USCC }]);
    expect(telecom.entityType).toBe('organization');
    expect(telecom.programs).toEqual(['CMIC-EO13959']);
    expect(rows.get('JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK')!.identifiers).toEqual([
      { scheme: 'registration', value: '1027700342890' },
      { scheme: 'tax', value: '7725114488' },
      { scheme: 'other', value: 'RUAGRUMM' },
    ]);
    expect(rows.get('JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK')!.programs).toEqual([
      'UKRAINE-EO13662',
      'RUSSIA-EO14024',
    ]);
    expect(rows.get('BANCO NACIONAL DE CUBA')!.country).toBe('CH');
    // A US address without a country code gives no country; a nationality or citizenship does.
    expect(rows.get('John Example')!.country).toBeUndefined();
    expect(rows.get('AL-SHANTI, Jamileh Abdullah')).toMatchObject({ entityType: 'person', country: 'PS' });
    expect(rows.get('EVADER, Example')!.country).toBe('SY');
    expect(rows.get('SEA STAR')).toMatchObject({
      entityType: 'vessel',
      identifiers: [{ scheme: 'imo', value: '9187629' }],
    });
  });

  it('skips a repeated header line and reports a cut last row as truncated', async () => {
    const whole = csvText(ROWS.slice(0, 3));
    const header = whole.slice(0, whole.indexOf('\r\n') + 2);
    // As in the real shared copy: the header twice, and the file cut inside a quoted cell.
    const text = header + whole + '"306","' + SDN + '","306","Entity","CUBA","BANCO NACIONAL DE CUBA","","Zweierstr';
    const items = await parseCsv(text);
    expect(records(items)).toHaveLength(3);
    expect(errors(items)).toEqual([{ row: 6, message: expect.stringContaining('truncated'), truncated: true }]);
  });

  it('reports a last row with too few cells and no line break as truncated, a short row elsewhere not', async () => {
    const text = csvText(ROWS.slice(0, 2)) + 'short,row\r\n' + csvRow(ROWS[4]!).slice(0, 6).join(',');
    const items = await parseCsv(text);
    expect(records(items)).toHaveLength(2);
    expect(errors(items)).toEqual([
      { row: 4, message: 'line 4 has 2 cells, the header 29' },
      { row: 5, message: expect.stringContaining('cut short'), truncated: true },
    ]);
  });

  it('counts lines inside quoted cells and reports rows without a name or source', async () => {
    const rows: Row[] = [
      { ...ROWS[4]!, remarks: 'first line\r\nsecond line' },
      { _id: '1', source: SDN, name: '' },
      { _id: '2', source: '', name: 'NO SOURCE' },
      ROWS[5]!,
    ];
    const items = await parseCsv(csvText(rows));
    expect(records(items).map((r) => r.key)).toEqual(['SDN:306', 'SSI:17014']);
    expect(errors(items)).toEqual([
      { row: 4, message: 'name is empty' },
      { row: 5, message: 'source is empty' },
    ]);
  });

  it('keys rows without an id by their source, entity number and name', async () => {
    const [record] = records(await parseCsv(csvText([{ source: DPL, name: 'John Example', entity_number: '' }])));
    expect(record!.key).toBe(`DPL:${identityKey([DPL, '', 'John Example'])}`);
  });

  it('gives the same records whatever the chunk size (UTF-8 split across chunks)', async () => {
    const bytes = Buffer.from(csvText(ROWS), 'utf8');
    const whole = records(await parseCsv(bytes));
    expect(records(await parseCsv(bytes, 3))).toEqual(whole);
  });

  it('rejects an export without the CSL columns or with no header', async () => {
    await expect(parseCsv('Name,Street_Address,City\r\nX,Y,Z\r\n')).rejects.toThrow(
      /lacks the Consolidated Screening List column\(s\) source, name/,
    );
    await expect(parseCsv('')).rejects.toThrow(SourceFormatError);
  });

  it('validates its settings', () => {
    expect(usCslCsvAdapter.id).toBe(US_CSL_CSV_ID);
    expect(usCslCsvAdapter.parseSettings(undefined)).toEqual({ encoding: 'utf-8' });
    expect(usCslCsvAdapter.parseSettings({ encoding: 'auto' })).toEqual({ encoding: 'auto' });
    expect(() => usCslCsvAdapter.parseSettings({ encoding: 'latin1' })).toThrow(SourceSettingsError);
    expect(() => usCslCsvAdapter.parseSettings({ delimiter: ';' })).toThrow(/unknown field "delimiter"/);
  });
});

/** The same rows as the trade.gov API returns them: arrays, address and id objects, `id` for `_id`. */
function apiRecord(row: Row): Record<string, unknown> {
  const list = (cell: string | undefined): string[] => (cell ? cell.split('; ') : []);
  const out: Record<string, unknown> = {};
  for (const column of CSL_COLUMNS) {
    const value = row[column];
    if (column === '_id') out.id = value ?? '';
    else if (['programs', 'alt_names', 'citizenships', 'nationalities', 'dates_of_birth'].includes(column)) {
      out[column] = list(value);
    } else if (column === 'addresses') {
      out.addresses = list(value).map((address) => {
        const parts = address.split(', ');
        const country = parts.pop();
        return { address: parts.join(', '), city: null, state: null, postal_code: null, country };
      });
    } else if (column === 'ids') {
      out.ids = list(value).map((id) => {
        const [type, number, country] = id.split(', ');
        return { country: country ?? null, expiration_date: null, issue_date: null, number, type };
      });
    } else out[column] = value ?? null;
  }
  return out;
}

describe('us-csl-json', () => {
  const withoutIdAttribute = (record: ListRecord) => {
    const { _id: _ignoredCsv, id: _ignoredJson, ...attributes } = record.attributes;
    return { ...record, attributes };
  };

  it('reads the API shape into the same records as the CSV', async () => {
    const document = { total: ROWS.length, sources: [], results: ROWS.map(apiRecord) };
    const items = await parseJson(document, {}, 7);
    expect(errors(items)).toEqual([]);
    const fromJson = records(items);
    const fromCsv = records(await parseCsv(csvText(ROWS)));
    expect(fromJson.map(withoutIdAttribute)).toEqual(fromCsv.map(withoutIdAttribute));
    expect(fromJson[0]!.attributes.id).toBe(ROWS[0]!._id);
  });

  it('follows a configured record path, or reads a top-level array', async () => {
    const nested = { data: { results: [apiRecord(ROWS[4]!)] }, results: [apiRecord(ROWS[0]!)] };
    expect(records(await parseJson(nested, { recordPath: 'data.results' })).map((r) => r.key)).toEqual(['SDN:306']);
    expect(records(await parseJson([apiRecord(ROWS[5]!)], { recordPath: '' })).map((r) => r.key)).toEqual([
      'SSI:17014',
    ]);
  });

  it('reports records that are not objects or lack a name, by their position', async () => {
    const items = await parseJson({ results: [apiRecord(ROWS[4]!), 'oops', { source: SDN, name: '' }] });
    expect(records(items)).toHaveLength(1);
    expect(errors(items)).toEqual([
      { row: 2, message: 'record 2 is not a JSON object' },
      { row: 3, message: 'name is empty' },
    ]);
  });

  it('fails the export when the JSON is cut short, invalid, or has no records array', async () => {
    const text = JSON.stringify({ results: ROWS.map(apiRecord) });
    await expect(parseJson(text.slice(0, text.length / 2))).rejects.toThrow(SourceFormatError);
    await expect(parseJson('<html>Service unavailable</html>')).rejects.toThrow(SourceFormatError);
    await expect(parseJson({ error: 'rate limited' })).rejects.toThrow(/no "results" array/);
    await expect(parseJson({ results: { id: 1 } })).rejects.toThrow(SourceFormatError);
    expect(await parseJson({ results: [] })).toEqual([]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const bytes = Buffer.from(JSON.stringify({ results: ROWS.map(apiRecord) }));
    const items = usCslJsonAdapter.parse(
      Readable.from([bytes]),
      staticParseContext(usCslJsonAdapter.parseSettings({}), {}, controller.signal),
    );
    let seen = 0;
    await expect(
      (async () => {
        for await (const _item of items) {
          seen++;
          controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen).toBe(1);
  });

  it('validates its settings', () => {
    expect(usCslJsonAdapter.id).toBe(US_CSL_JSON_ID);
    expect(usCslJsonAdapter.parseSettings(undefined)).toEqual({ recordPath: 'results' });
    expect(() => usCslJsonAdapter.parseSettings({ recordPath: 'a..b' })).toThrow(SourceSettingsError);
    expect(() => usCslJsonAdapter.parseSettings({ recordPath: 3 })).toThrow(/"recordPath"/);
    expect(() => usCslJsonAdapter.parseSettings({ path: 'results' })).toThrow(/unknown field "path"/);
  });
});

describe('cslList', () => {
  it('reads the list code, kind and agency from the source text', () => {
    expect(cslList(EL)).toEqual({
      code: 'EL',
      listKind: 'export_control',
      authority: 'Bureau of Industry and Security',
    });
    expect(cslList(NS_MBS)).toEqual({ code: 'NS-MBS', listKind: 'sanctions', authority: 'Treasury Department' });
    expect(cslList(DTC)).toEqual({ code: 'DTC', listKind: 'debarment', authority: 'State Department' });
    expect(cslList('Capta List (CAP) - Treasury Department').listKind).toBe('sanctions');
    // Bare codes, and a new list known only by its agency.
    expect(cslList('EL')).toEqual({ code: 'EL', listKind: 'export_control' });
    expect(cslList('Some New List (SNL) - Treasury Department').listKind).toBe('sanctions');
    expect(cslList('Some Other List (SOL) - Department of Energy')).toEqual({
      code: 'SOL',
      authority: 'Department of Energy',
    });
  });
});
