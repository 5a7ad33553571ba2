import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import {
  SourceFormatError,
  SourceSettingsError,
  staticParseContext,
  type ParseItem,
  type PlanContext,
  type SourceAdapter,
} from '@partnerwatch/sources';
import {
  ofacConsolidatedCsvAdapter,
  ofacSdnCsvAdapter,
  OFAC_CONSOLIDATED_CSV_ID,
  OFAC_SDN_CSV_ID,
} from '../../../libs/sources/src/ofac/ofac.adapter';
import { splitOfacPrograms } from '../../../libs/sources/src/ofac/ofac.parser';
import type { OfacSettings } from '../../../libs/sources/src/ofac/ofac.settings';
import { chunked, collect, errors, records, uscc } from './source-fixtures';

const EOF = Buffer.from([0x1a]);
const NULL = '-0- ';

/** An OFAC file as published: Latin-1, CR LF after every row, a 0x1A byte at the end. */
function ofacFile(rows: readonly string[], { eofMarker = true } = {}): Buffer {
  const text = Buffer.from(rows.map((row) => `${row}\r\n`).join(''), 'latin1');
  return eofMarker ? Buffer.concat([text, EOF]) : text;
}

/** One sdn.csv row: quoted text cells, `-0- ` for empty ones, as OFAC writes them. */
function sdnRow(cells: readonly (string | undefined)[]): string {
  return cells
    .map((cell, i) => (cell === undefined ? NULL : i === 0 ? cell : `"${cell.replace(/"/g, '""')}"`))
    .join(',');
}

const CHINA_CO_USCC = uscc('91310115MA1K4DLAX');

const SDN = ofacFile([
  sdnRow(['36', 'AEROCARIBBEAN AIRLINES', undefined, 'CUBA', ...Array<undefined>(8)]),
  sdnRow(['306', 'BANCO NACIONAL DE CUBA', undefined, 'CUBA', ...Array<undefined>(7), "a.k.a. 'BNC'."]),
  sdnRow([
    '28264',
    'LI, Jiadong',
    'individual',
    'DPRK3] [CYBER2',
    ...Array<undefined>(7),
    'DOB 10 Jan 1987; nationality China; Secondary sanctions risk: North Korea Sanctions Regulations; P',
  ]),
  sdnRow([
    '40001',
    'SHANGHAI EXAMPLE TRADING CO., LTD.',
    undefined,
    'IRAN-EO13846] [SDGT',
    ...Array<undefined>(7),
    `Website www.example.cn; Unified Social Credit Code (USCC) ${CHINA_CO_USCC} (China); Registration Number 310115000123456 (China).`,
  ]),
  sdnRow(['15036', 'ZÜRICH ÖL "THE BEST" OIL AG', undefined, 'SDGT', ...Array<undefined>(8)]),
  sdnRow([
    '7000',
    'SEA STAR',
    'vessel',
    'IRAN',
    undefined,
    '9BXX',
    'Crude Oil Tanker',
    '300,000',
    '150,000',
    'Iran',
    'NATIONAL IRANIAN TANKER COMPANY',
    'Vessel Registration Identification IMO 9187629.',
  ]),
  sdnRow(['38556', '9H-MAO', 'aircraft', 'RUSSIA-EO14024', ...Array<undefined>(7), 'Aircraft Model A320']),
]);

const ALT = ofacFile([
  '306,220,"aka","NATIONAL BANK OF CUBA",-0- ',
  '40001,8,"fka","SHANGHAI OLD NAME TRADING CO",-0- ',
  '40001,3,"aka","SET CO","weak"',
  // An alias of an entry that is not in the main file: ignored, as OFAC's files are published together.
  '99999,1,"aka","ORPHAN",-0- ',
]);

const ADD = ofacFile([
  '36,25,-0- ,"Havana","Cuba",-0- ',
  '306,200,"Avenida de Concha Espina 8","Madrid E-28036","Spain",-0- ',
  '306,199,"Zweierstrasse 35","Zurich CH-8022","Switzerland",-0- ',
  '40001,5,"Room 1, Lane 2","Shanghai","China","registered office"',
]);

const COMMENTS = ofacFile(['28264,"hone Number 8613314257947; Identification Number 210302198701102136 (China)."']);

type Files = Record<string, Buffer>;

async function parse(
  files: Files,
  {
    adapter = ofacSdnCsvAdapter,
    chunkSize,
    settings = {},
  }: { adapter?: SourceAdapter<OfacSettings>; chunkSize?: number; settings?: unknown } = {},
): Promise<ParseItem[]> {
  const parsed: OfacSettings = adapter.parseSettings(settings);
  const opened: Record<string, () => Readable> = {};
  for (const [name, bytes] of Object.entries(files)) opened[name] = () => chunked(bytes, chunkSize);
  return collect(adapter.parse(opened.main!(), staticParseContext(parsed, opened)));
}

const FULL_SET: Files = { main: SDN, alt: ALT, add: ADD, comments: COMMENTS };

describe('OFAC CSV adapters', () => {
  it('join sdn.csv with its aliases, addresses and remark continuations', async () => {
    const items = await parse(FULL_SET);
    expect(errors(items)).toEqual([]);
    const byKey = new Map(records(items).map((r) => [r.key, r]));
    expect([...byKey.keys()]).toEqual(['36', '306', '28264', '40001', '15036', '7000', '38556']);

    expect(byKey.get('306')).toEqual({
      key: '306',
      entityType: 'organization',
      programs: ['CUBA'],
      names: [
        { value: 'BANCO NACIONAL DE CUBA', kind: 'primary' },
        { value: 'NATIONAL BANK OF CUBA', kind: 'alias' },
      ],
      identifiers: [],
      // The address OFAC numbers first (199), not the first one in the file.
      country: 'CH',
      authority: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
      attributes: {
        ent_num: '306',
        SDN_Name: 'BANCO NACIONAL DE CUBA',
        Program: 'CUBA',
        Remarks: "a.k.a. 'BNC'.",
        aliases: 'aka NATIONAL BANK OF CUBA',
        addresses: 'Zweierstrasse 35, Zurich CH-8022, Switzerland; Avenida de Concha Espina 8, Madrid E-28036, Spain',
      },
    });

    const china = byKey.get('40001')!;
    expect(china.names.map((n) => n.value)).toEqual([
      'SHANGHAI EXAMPLE TRADING CO., LTD.',
      'SET CO',
      'SHANGHAI OLD NAME TRADING CO',
    ]);
    expect(china.programs).toEqual(['IRAN-EO13846', 'SDGT']);
    expect(china.identifiers).toEqual([
      { scheme: 'uscc', value: CHINA_CO_USCC },
      { scheme: 'registration', value: '310115000123456' },
    ]);
    expect(china.country).toBe('CN');
    expect(china.attributes.aliases).toBe('aka SET CO (weak); fka SHANGHAI OLD NAME TRADING CO');
    expect(china.attributes.addresses).toBe('Room 1, Lane 2, Shanghai, China (registered office)');

    // The comments file continues the cut Remarks mid-word.
    const li = byKey.get('28264')!;
    expect(li.entityType).toBe('person');
    expect(li.programs).toEqual(['DPRK3', 'CYBER2']);
    expect(li.attributes.remarks_extension).toBe(
      'hone Number 8613314257947; Identification Number 210302198701102136 (China).',
    );
    expect(li.identifiers).toEqual([{ scheme: 'other', value: '210302198701102136' }]);

    expect(byKey.get('36')!.country).toBe('CU');
    expect(byKey.get('36')!.names).toEqual([{ value: 'AEROCARIBBEAN AIRLINES', kind: 'primary' }]);
  });

  it('decodes Latin-1 and doubled quotes, and maps vessels and aircraft', async () => {
    const byKey = new Map(records(await parse({ main: SDN })).map((r) => [r.key, r]));
    expect(byKey.get('15036')!.names[0]!.value).toBe('ZÜRICH ÖL "THE BEST" OIL AG');
    const vessel = byKey.get('7000')!;
    expect(vessel.entityType).toBe('vessel');
    expect(vessel.identifiers).toEqual([{ scheme: 'imo', value: '9187629' }]);
    expect(vessel.attributes).toMatchObject({
      Call_Sign: '9BXX',
      Vess_type: 'Crude Oil Tanker',
      Tonnage: '300,000',
      GRT: '150,000',
      Vess_flag: 'Iran',
      Vess_owner: 'NATIONAL IRANIAN TANKER COMPANY',
    });
    expect(byKey.get('38556')!.entityType).toBe('aircraft');
  });

  it('parses the main file alone when the side files are not provided, from its rows only', async () => {
    const alone = records(await parse({ main: SDN }));
    expect(alone).toHaveLength(7);
    const bank = alone.find((r) => r.key === '306')!;
    expect(bank.names).toEqual([{ value: 'BANCO NACIONAL DE CUBA', kind: 'primary' }]);
    expect(bank.country).toBeUndefined();
    expect(bank.attributes).toEqual({
      ent_num: '306',
      SDN_Name: 'BANCO NACIONAL DE CUBA',
      Program: 'CUBA',
      Remarks: "a.k.a. 'BNC'.",
    });
    // Only the files given count: the same sdn.csv parses to the same content every time.
    const again = records(await parse({ main: SDN }));
    expect(again.map(recordContentHash)).toEqual(alone.map(recordContentHash));
  });

  it('gives the same records whatever the chunk boundaries (CR LF, 0x1A and Latin-1 split)', async () => {
    const whole = records(await parse(FULL_SET));
    for (const size of [1, 2, 7, 64]) {
      expect(records(await parse(FULL_SET, { chunkSize: size }))).toEqual(whole);
    }
  });

  it('does not depend on the order of alias and address rows', async () => {
    const reordered: Files = {
      ...FULL_SET,
      alt: ofacFile([
        '40001,3,"aka","SET CO","weak"',
        '306,220,"aka","NATIONAL BANK OF CUBA",-0- ',
        '40001,8,"fka","SHANGHAI OLD NAME TRADING CO",-0- ',
      ]),
    };
    const hashes = (items: ParseItem[]) => records(items).map(recordContentHash);
    expect(hashes(await parse(reordered))).toEqual(hashes(await parse(FULL_SET)));
  });

  it('reports a file cut short as a truncated last row', async () => {
    const bytes = SDN.subarray(0, SDN.indexOf('"ZÜRICH', 0, 'latin1') + 4);
    const items = await parse({ main: bytes });
    expect(records(items).map((r) => r.key)).toEqual(['36', '306', '28264', '40001']);
    expect(errors(items)).toEqual([{ row: 5, message: expect.stringContaining('cut short'), truncated: true }]);

    // Cut between cells, outside quotes: no line break and no end-of-file byte after it.
    const unquoted = Buffer.from(sdnRow(['36', 'AEROCARIBBEAN AIRLINES', undefined, 'CUBA']), 'latin1');
    expect(errors(await parse({ main: unquoted }))).toEqual([
      { row: 1, message: expect.stringContaining('cut short'), truncated: true },
    ]);
  });

  it('accepts a last row ended by the 0x1A byte alone, and a file without the byte', async () => {
    const noCrLf = Buffer.concat([SDN.subarray(0, SDN.length - 3), EOF]);
    expect(errors(await parse({ main: noCrLf }))).toEqual([]);
    expect(records(await parse({ main: noCrLf }))).toHaveLength(7);
    const noMarker = SDN.subarray(0, SDN.length - 1);
    expect(records(await parse({ main: noMarker }))).toEqual(records(await parse({ main: SDN })));
  });

  it('reports broken rows with their line numbers and goes on', async () => {
    const main = ofacFile([
      sdnRow(['36', 'AEROCARIBBEAN AIRLINES', undefined, 'CUBA', ...Array<undefined>(8)]),
      '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA"',
      sdnRow(['X12', 'NOT A NUMBER', undefined, 'CUBA', ...Array<undefined>(8)]),
      sdnRow(['480', undefined, undefined, 'CUBA', ...Array<undefined>(8)]),
      '',
      sdnRow(['535', 'CIMEX', undefined, 'CUBA', ...Array<undefined>(8)]),
    ]);
    const items = await parse({ main });
    expect(records(items).map((r) => r.key)).toEqual(['36', '535']);
    expect(errors(items)).toEqual([
      { row: 2, message: expect.stringMatching(/sdn\.csv line 2: expected 12 columns .* found 4/) },
      { row: 3, message: expect.stringContaining('ent_num "X12" is not a number') },
      { row: 4, message: expect.stringContaining('SDN_Name of ent_num 480 is empty') },
    ]);
  });

  it('reports broken and cut side-file rows under the side file name', async () => {
    const alt = ofacFile(['306,220,"aka","NATIONAL BANK OF CUBA",-0- ', '306,221,"aka"']);
    const add = Buffer.from('306,199,"Zweierstrasse 35","Zurich', 'latin1');
    const items = await parse({ main: SDN, alt, add });
    expect(errors(items)).toEqual([
      { row: 2, message: expect.stringMatching(/^alt\.csv line 2: expected 5 columns/) },
      { row: 1, message: expect.stringMatching(/^add\.csv ends in the middle of line 1/), truncated: true },
    ]);
    expect(records(items)).toHaveLength(7);
  });

  it('rejects a file that is not an OFAC CSV as a whole', async () => {
    const withHeader = ofacFile([
      'ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks',
      sdnRow(['36', 'AEROCARIBBEAN AIRLINES', undefined, 'CUBA', ...Array<undefined>(8)]),
    ]);
    await expect(parse({ main: withHeader })).rejects.toThrow(SourceFormatError);
    await expect(parse({ main: Buffer.from('<!DOCTYPE html><html><body>Error</body></html>\r\n') })).rejects.toThrow(
      /sdn\.csv is not an OFAC sdn\.csv file/,
    );
    await expect(parse({ main: SDN, alt: SDN })).rejects.toThrow(/alt\.csv is not an OFAC alt\.csv file/);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const items = ofacSdnCsvAdapter.parse(
      chunked(SDN, 16),
      staticParseContext({}, { main: () => chunked(SDN, 16) }, controller.signal),
    );
    const seen: ParseItem[] = [];
    await expect(
      (async () => {
        for await (const item of items) {
          seen.push(item);
          controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });

  it('splits programmes written as "A] [B"', () => {
    expect(splitOfacPrograms('DPRK3] [CYBER2')).toEqual(['DPRK3', 'CYBER2']);
    expect(splitOfacPrograms('[SDGT]')).toEqual(['SDGT']);
    expect(splitOfacPrograms('IRAN-EO13846]  [SDGT] [')).toEqual(['IRAN-EO13846', 'SDGT']);
    expect(splitOfacPrograms(undefined)).toEqual([]);
  });

  it('names the consolidated files in its messages', async () => {
    const items = await parse(
      {
        main: ofacFile([
          sdnRow(['17014', 'JSC BANK', undefined, 'UKRAINE-EO13662] [RUSSIA-EO14024', ...Array<undefined>(8)]),
          '17016,"JSC OTHER BANK",-0- ,"UKRAINE-EO13662"',
        ]),
      },
      { adapter: ofacConsolidatedCsvAdapter },
    );
    expect(records(items).map((r) => r.programs)).toEqual([['UKRAINE-EO13662', 'RUSSIA-EO14024']]);
    expect(errors(items)).toEqual([{ row: 2, message: expect.stringMatching(/^cons_prim\.csv line 2/) }]);
  });
});

describe('OFAC CSV settings and plan', () => {
  const planFor = (adapter: typeof ofacSdnCsvAdapter, url: string, settings: unknown = {}) => {
    const context: PlanContext<OfacSettings> = {
      url,
      settings: adapter.parseSettings(settings),
      cursor: null,
      signal: new AbortController().signal,
      fetchJson: () => Promise.reject(new Error('not used')),
    };
    return adapter.plan!(context);
  };

  it('have their ids and list kind', () => {
    expect(ofacSdnCsvAdapter.id).toBe(OFAC_SDN_CSV_ID);
    expect(OFAC_SDN_CSV_ID).toBe('ofac-sdn-csv');
    expect(ofacConsolidatedCsvAdapter.id).toBe(OFAC_CONSOLIDATED_CSV_ID);
    expect(OFAC_CONSOLIDATED_CSV_ID).toBe('ofac-consolidated-csv');
    expect(ofacSdnCsvAdapter.defaultListKind).toBe('sanctions');
    expect(ofacConsolidatedCsvAdapter.defaultListKind).toBe('sanctions');
  });

  it('fetch the side files next to the main file by default', async () => {
    expect(await planFor(ofacSdnCsvAdapter, 'https://www.treasury.gov/ofac/downloads/sdn.csv')).toEqual({
      mode: 'full',
      resources: [
        { name: 'main', url: 'https://www.treasury.gov/ofac/downloads/sdn.csv' },
        { name: 'alt', url: 'https://www.treasury.gov/ofac/downloads/alt.csv' },
        { name: 'add', url: 'https://www.treasury.gov/ofac/downloads/add.csv' },
        { name: 'comments', url: 'https://www.treasury.gov/ofac/downloads/sdn_comments.csv' },
      ],
    });
    const consolidated = await planFor(
      ofacConsolidatedCsvAdapter,
      'https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv',
    );
    expect(consolidated.resources.map((r) => r.url)).toEqual([
      'https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv',
      'https://www.treasury.gov/ofac/downloads/consolidated/cons_alt.csv',
      'https://www.treasury.gov/ofac/downloads/consolidated/cons_add.csv',
      'https://www.treasury.gov/ofac/downloads/consolidated/cons_comments.csv',
    ]);
  });

  it("follow the main file's case (the Sanctions List Service publishes SDN.CSV)", async () => {
    const plan = await planFor(
      ofacSdnCsvAdapter,
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV',
    );
    expect(plan.resources.map((r) => r.url.slice(r.url.lastIndexOf('/') + 1))).toEqual([
      'SDN.CSV',
      'ALT.CSV',
      'ADD.CSV',
      'SDN_COMMENTS.CSV',
    ]);
  });

  it('take explicit side-file URLs, and null to leave a file out', async () => {
    const plan = await planFor(ofacSdnCsvAdapter, 'https://mirror.example.com/ofac/sdn.csv', {
      altUrl: 'https://other.example.com/aliases.csv',
      commentsUrl: null,
    });
    expect(plan.resources).toEqual([
      { name: 'main', url: 'https://mirror.example.com/ofac/sdn.csv' },
      { name: 'alt', url: 'https://other.example.com/aliases.csv' },
      { name: 'add', url: 'https://mirror.example.com/ofac/add.csv' },
    ]);
  });

  it('reject unknown fields and URLs that are not http(s)', () => {
    expect(ofacSdnCsvAdapter.parseSettings(undefined)).toEqual({});
    expect(() => ofacSdnCsvAdapter.parseSettings({ altURL: 'https://x.example/alt.csv' })).toThrow(
      /unknown field "altURL"/,
    );
    expect(() => ofacSdnCsvAdapter.parseSettings({ addUrl: 'ftp://x.example/add.csv' })).toThrow(SourceSettingsError);
    expect(() => ofacSdnCsvAdapter.parseSettings({ addUrl: 42 })).toThrow(/"addUrl" must be an http\(s\) URL/);
    expect(() => ofacSdnCsvAdapter.parseSettings(['x'])).toThrow(SourceSettingsError);
  });
});
