import { describe, expect, it } from 'vitest';
import { recordContentHash, type ListRecord } from '@partnerwatch/domain';
import { SourceFormatError, SourceSettingsError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
import { unConsolidatedAdapter as adapter } from '../../../libs/sources/src/un/un-consolidated.adapter';
import { chunked, collect, errors, records, uscc } from './source-fixtures';

const HONGXIANG_USCC = uscc('91210600118960838');

/** Shaped like the real consolidated.xml: one line per record, padded values, empty placeholders. */
function unList(individuals: string[], entities: string[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:noNamespaceSchemaLocation="https://www.un.org/sc/resources/sc-sanctions.xsd" dateGenerated="2018-08-24T19:40:35.913-04:00">\n' +
    `    <INDIVIDUALS>\n${individuals.map((i) => `        ${i}\n`).join('')}    </INDIVIDUALS>\n` +
    `    <ENTITIES>\n${entities.map((e) => `        ${e}\n`).join('')}    </ENTITIES>\n` +
    '</CONSOLIDATED_LIST>\n'
  );
}

const PERSON =
  '<INDIVIDUAL><DATAID>6908555</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME> RI </FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>' +
  '<THIRD_NAME/><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033 </REFERENCE_NUMBER><LISTED_ON>2016-11-30</LISTED_ON>' +
  '<NAME_ORIGINAL_SCRIPT>리원호</NAME_ORIGINAL_SCRIPT><COMMENTS1>Ministry of State Security official.\n\n</COMMENTS1>' +
  "<DESIGNATION><VALUE>Official</VALUE></DESIGNATION><NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY>" +
  '<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE><LAST_DAY_UPDATED><VALUE/></LAST_DAY_UPDATED>' +
  '<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ri Won-ho; Lee Won Ho</ALIAS_NAME></INDIVIDUAL_ALIAS>' +
  '<INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-17</DATE></INDIVIDUAL_DATE_OF_BIRTH>' +
  '<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER> 381310014</NUMBER></INDIVIDUAL_DOCUMENT><SORT_KEY/><SORT_KEY_LAST_MOD/></INDIVIDUAL>';

const ENTITY =
  '<ENTITY><DATAID>6908629</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO., LTD.</FIRST_NAME>' +
  '<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.099</REFERENCE_NUMBER><LISTED_ON>2015-03-27-04:00</LISTED_ON>' +
  '<NAME_ORIGINAL_SCRIPT>丹东鸿祥实业发展有限公司</NAME_ORIGINAL_SCRIPT>' +
  `<COMMENTS1>Supplies the DPRK; Unified Social Credit Code (USCC) ${HONGXIANG_USCC} (China).</COMMENTS1>` +
  '<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE><LAST_DAY_UPDATED><VALUE/></LAST_DAY_UPDATED>' +
  '<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>DHID</ALIAS_NAME></ENTITY_ALIAS>' +
  '<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Dandong Hongxiang Trading</ALIAS_NAME></ENTITY_ALIAS>' +
  '<ENTITY_ADDRESS><CITY>Dandong</CITY><COUNTRY>China</COUNTRY></ENTITY_ADDRESS>' +
  "<ENTITY_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>" +
  '<SORT_KEY/><SORT_KEY_LAST_MOD/></ENTITY>';

async function parse(xml: string, settings: unknown = {}, chunkSize?: number): Promise<ParseItem[]> {
  const parsed = adapter.parseSettings(settings);
  return collect(adapter.parse(chunked(Buffer.from(xml, 'utf8'), chunkSize), staticParseContext(parsed)));
}

const byKey = (items: ParseItem[]): Map<string, ListRecord> => new Map(records(items).map((r) => [r.key, r]));

describe('un-consolidated-xml parser', () => {
  it('maps individuals and entities to records keyed by REFERENCE_NUMBER', async () => {
    const items = await parse(unList([PERSON], [ENTITY]));
    expect(errors(items)).toEqual([]);
    const [person, entity] = records(items);
    expect(person).toEqual({
      key: 'KPi.033',
      entityType: 'person',
      names: [
        { value: 'RI WON HO', kind: 'primary' },
        { value: '리원호', lang: 'ko', kind: 'alias' },
        { value: 'Ri Won-ho', kind: 'alias' },
        { value: 'Lee Won Ho', kind: 'alias' },
      ],
      identifiers: [{ scheme: 'other', value: '381310014' }],
      programs: ['DPRK'],
      country: 'KP',
      listedOn: '2016-11-30',
      reason: 'Ministry of State Security official.',
      authority: 'UN Security Council',
      attributes: {
        FIRST_NAME: 'RI',
        SECOND_NAME: 'WON HO',
        UN_LIST_TYPE: 'DPRK',
        REFERENCE_NUMBER: 'KPi.033',
        LISTED_ON: '2016-11-30',
        NAME_ORIGINAL_SCRIPT: '리원호',
        COMMENTS1: 'Ministry of State Security official.',
        'DESIGNATION/VALUE': 'Official',
        'NATIONALITY/VALUE': "Democratic People's Republic of Korea",
        'LIST_TYPE/VALUE': 'UN List',
        'INDIVIDUAL_ALIAS/QUALITY': 'Good',
        'INDIVIDUAL_ALIAS/ALIAS_NAME': 'Ri Won-ho; Lee Won Ho',
        'INDIVIDUAL_DATE_OF_BIRTH/TYPE_OF_DATE': 'EXACT',
        'INDIVIDUAL_DATE_OF_BIRTH/DATE': '1964-07-17',
        'INDIVIDUAL_DOCUMENT/TYPE_OF_DOCUMENT': 'Passport',
        'INDIVIDUAL_DOCUMENT/NUMBER': '381310014',
      },
    });
    expect(entity).toMatchObject({
      key: 'KPe.099',
      entityType: 'organization',
      names: [
        { value: 'DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO., LTD.', kind: 'primary' },
        { value: '丹东鸿祥实业发展有限公司', lang: 'zh', kind: 'alias' },
        { value: 'DHID', kind: 'alias' },
        { value: 'Dandong Hongxiang Trading', kind: 'alias' },
      ],
      // The first address decides the country; the USCC stated in the comments is an identifier.
      country: 'CN',
      identifiers: [{ scheme: 'uscc', value: HONGXIANG_USCC }],
      // xs:date with a zone, as some real LISTED_ON values are written.
      listedOn: '2015-03-27',
    });
    expect(entity?.attributes['ENTITY_ALIAS[2]/ALIAS_NAME']).toBe('Dandong Hongxiang Trading');
    expect(entity?.attributes['ENTITY_ADDRESS[2]/COUNTRY']).toBe("Democratic People's Republic of Korea");
  });

  it('leaves the UN database bookkeeping out of the content hash, but not the amendment date', async () => {
    const before = byKey(await parse(unList([PERSON], [ENTITY])));
    const renumbered = PERSON.replace(
      '<DATAID>6908555</DATAID><VERSIONNUM>1</VERSIONNUM>',
      '<DATAID>7000001</DATAID><VERSIONNUM>2</VERSIONNUM>',
    );
    const after = byKey(await parse(unList([renumbered], [ENTITY])));
    expect(recordContentHash(after.get('KPi.033')!)).toBe(recordContentHash(before.get('KPi.033')!));

    const amended = PERSON.replace(
      '<LAST_DAY_UPDATED><VALUE/></LAST_DAY_UPDATED>',
      '<LAST_DAY_UPDATED><VALUE>2018-09-17</VALUE></LAST_DAY_UPDATED>',
    );
    const changed = byKey(await parse(unList([amended], [ENTITY])));
    expect(recordContentHash(changed.get('KPi.033')!)).not.toBe(recordContentHash(before.get('KPi.033')!));
  });

  it('treats re-indentation and dropped empty placeholders as no change', async () => {
    const before = byKey(await parse(unList([PERSON], [ENTITY])));
    // The 2026 export is pretty-printed and leaves out empty LAST_DAY_UPDATED and THIRD_NAME elements.
    const reformatted = PERSON.replace(/></g, '>\n      <')
      .replace('<LAST_DAY_UPDATED>\n      <VALUE/>\n      </LAST_DAY_UPDATED>', '')
      .replace('<THIRD_NAME/>', '');
    expect(reformatted).not.toContain('LAST_DAY_UPDATED');
    const after = byKey(await parse(unList([reformatted], [ENTITY])));
    expect(after.get('KPi.033')).toEqual(before.get('KPi.033'));
  });

  it('reports a record without a REFERENCE_NUMBER or a name as a row error and goes on', async () => {
    const noReference = PERSON.replace('<REFERENCE_NUMBER>KPi.033 </REFERENCE_NUMBER>', '<REFERENCE_NUMBER/>');
    const noName = ENTITY.replace(/<FIRST_NAME>[^<]*<\/FIRST_NAME>/, '<FIRST_NAME> </FIRST_NAME>').replace(
      /<NAME_ORIGINAL_SCRIPT>[^<]*<\/NAME_ORIGINAL_SCRIPT>/,
      '',
    );
    const items = await parse(
      unList(
        [noReference, PERSON.replace('KPi.033', 'KPi.034')],
        [noName.replace(/<ENTITY_ALIAS>.*?<\/ENTITY_ALIAS>/g, '')],
      ),
    );
    expect(records(items).map((r) => r.key)).toEqual(['KPi.034']);
    expect(errors(items)).toEqual([
      { row: 3, message: '<INDIVIDUAL> (DATAID 6908555) has no REFERENCE_NUMBER' },
      // Each test individual spans three lines (its COMMENTS1 ends in two line breaks).
      { row: 11, message: 'KPe.099: no name (FIRST_NAME is empty)' },
    ]);
  });

  it('reads the same records whatever the chunking', async () => {
    const xml = unList([PERSON], [ENTITY]);
    expect(await parse(xml, {}, 7)).toEqual(await parse(xml));
  });

  it('refuses another XML document, and a truncated list after its complete records', async () => {
    await expect(parse('<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>')).rejects.toThrow(
      /root element is <sdnList>, expected <CONSOLIDATED_LIST>/,
    );
    const xml = unList([PERSON, PERSON.replace('KPi.033', 'KPi.034')], [ENTITY]);
    const cut = xml.slice(0, xml.indexOf('KPi.034'));
    const seen: string[] = [];
    const error = await (async () => {
      const parsed = adapter.parseSettings({});
      for await (const item of adapter.parse(chunked(Buffer.from(cut)), staticParseContext(parsed))) {
        if ('record' in item) seen.push(item.record.key);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['KPi.033']);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as Error).message).toMatch(/^UN consolidated list XML: the export is truncated/);
  });
});

describe('XML source settings', () => {
  it('default to auto and accept an encoding label', () => {
    expect(adapter.parseSettings(undefined)).toEqual({ encoding: 'auto' });
    expect(adapter.parseSettings({ encoding: 'ISO-8859-1' })).toEqual({ encoding: 'iso-8859-1' });
  });

  it('name the field that is wrong', () => {
    expect(() => adapter.parseSettings({ encodeing: 'utf-8' })).toThrow(SourceSettingsError);
    expect(() => adapter.parseSettings({ encodeing: 'utf-8' })).toThrow(/unknown field "encodeing"/);
    expect(() => adapter.parseSettings({ encoding: 'x-klingon' })).toThrow(/"encoding" must be/);
    expect(() => adapter.parseSettings('utf-8')).toThrow(/must be a JSON object/);
  });
});
