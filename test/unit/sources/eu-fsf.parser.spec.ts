import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
import { euFsfAdapter as adapter } from '../../../libs/sources/src/eu/eu-fsf.adapter';
import { DTD_REFUSED } from '../../../libs/sources/src/xml/xml-records';
import { chunked, collect, errors, records, uscc } from './source-fixtures';

const MICRO_USCC = uscc('91440300MA5F0XY31');

/**
 * Written to the published FSF 1.1 schema (no real export is in the shared data): a default
 * namespace, almost every value in attributes, regulationSummary repeated on each child, "00" for
 * an unknown country, a person with a Russian-language alias, an enterprise with a Chinese name.
 */
const FSF = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-09-22T16:47:04.449+02:00" globalFileId="184961">
    <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.8812.51" logicalId="160001">
        <regulation regulationType="amendment" organisationType="council" publicationDate="2024-02-23" entryIntoForceDate="2024-02-23" numberTitle="2024/753 (OJ L)" programme="UKR" logicalId="170001">
            <publicationUrl>https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202400753</publicationUrl>
        </regulation>
        <subjectType code="enterprise" classificationCode="E"/>
        <nameAlias firstName="" middleName="" lastName="" wholeName="Shenzhen Example Microelectronics Co., Ltd." function="" gender="" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="180001">
            <regulationSummary regulationType="amendment" publicationDate="2024-02-23" numberTitle="2024/753 (OJ L)" publicationUrl="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202400753"/>
        </nameAlias>
        <nameAlias wholeName="深圳示例微电子有限公司" nameLanguage="ZH" strong="true" regulationLanguage="en" logicalId="180002"/>
        <nameAlias wholeName="SEM" nameLanguage="" strong="false" regulationLanguage="en" logicalId="180003"/>
        <identification diplomatic="false" knownExpired="false" knownFalse="false" reportedLost="false" revokedByIssuer="false" issuedBy="" latinNumber="" nameOnDocument="" number="${MICRO_USCC}" region="" countryIso2Code="CN" countryDescription="CHINA" identificationTypeCode="regnumber" identificationTypeDescription="Registration Number" regulationLanguage="en" logicalId="190001"/>
        <identification number="7701234567" countryIso2Code="RU" identificationTypeCode="tax" identificationTypeDescription="Tax Identification Number" logicalId="190002"/>
        <identification number="EXMPCNSZ" countryIso2Code="00" identificationTypeCode="swiftbic" identificationTypeDescription="SWIFT BIC" logicalId="190003"/>
        <address city="Shenzhen" street="1 Example Road, Nanshan District" poBox="" zipCode="518000" region="Guangdong" place="" asAtListingTime="false" contactInfo="" countryIso2Code="CN" countryDescription="CHINA" regulationLanguage="en" logicalId="200001"/>
        <remark>Supplier of electronic components with military applications to the Russian military-industrial complex.</remark>
    </sanctionEntity>
    <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.1234.56" logicalId="160002">
        <regulation regulationType="regulation" organisationType="council" publicationDate="2014-03-17" entryIntoForceDate="2014-03-17" numberTitle="269/2014 (OJ L78)" programme="UKR" logicalId="170002"/>
        <regulation regulationType="amendment" organisationType="council" publicationDate="2022-02-25" entryIntoForceDate="2022-02-25" numberTitle="2022/330 (OJ L53)" programme="RUS" logicalId="170003"/>
        <subjectType code="person" classificationCode="P"/>
        <nameAlias firstName="Ivan" middleName="Petrovich" lastName="Exampleov" wholeName="Ivan Petrovich Exampleov" function="Deputy Minister" gender="M" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="180004"/>
        <nameAlias firstName="Иван" middleName="Петрович" lastName="Примеров" wholeName="" nameLanguage="RU" strong="true" regulationLanguage="en" logicalId="180005"/>
        <citizenship region="" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" regulationLanguage="en" logicalId="210001"/>
        <birthdate circa="false" calendarType="GREGORIAN" city="Moscow" birthdate="1961-05-04" dayOfMonth="4" monthOfYear="5" year="1961" countryIso2Code="RU" logicalId="220001"/>
        <identification number="7712345678" countryIso2Code="RU" identificationTypeCode="passport" logicalId="190004"/>
        <address countryIso2Code="00" logicalId="200002"/>
    </sanctionEntity>
    <sanctionEntity euReferenceNumber="EU.9999.99">
        <subjectType code="enterprise" classificationCode="E"/>
        <nameAlias wholeName="No Logical Id Ltd" strong="true"/>
    </sanctionEntity>
</export>
`;

async function parse(xml: string, chunkSize?: number): Promise<ParseItem[]> {
  const settings = adapter.parseSettings({});
  return collect(adapter.parse(chunked(Buffer.from(xml, 'utf8'), chunkSize), staticParseContext(settings)));
}

describe('eu-fsf-xml parser', () => {
  it('maps an enterprise: names, registration number as USCC, tax and SWIFT, programme, listing date', async () => {
    const [enterprise] = records(await parse(FSF));
    expect(enterprise).toMatchObject({
      key: '160001',
      entityType: 'organization',
      names: [
        { value: 'Shenzhen Example Microelectronics Co., Ltd.', kind: 'primary' },
        { value: '深圳示例微电子有限公司', lang: 'zh', kind: 'alias' },
        { value: 'SEM', kind: 'alias' },
      ],
      identifiers: [
        { scheme: 'uscc', value: MICRO_USCC },
        { scheme: 'tax', value: '7701234567' },
        { scheme: 'other', value: 'EXMPCNSZ' },
      ],
      programs: ['UKR'],
      country: 'CN',
      listedOn: '2024-02-23',
      reason:
        'Supplier of electronic components with military applications to the Russian military-industrial complex.',
      authority: 'European Union',
    });
    expect(enterprise?.attributes).toMatchObject({
      '@euReferenceNumber': 'EU.8812.51',
      '@logicalId': '160001',
      'regulation@programme': 'UKR',
      'nameAlias[1]@wholeName': 'Shenzhen Example Microelectronics Co., Ltd.',
      'nameAlias[2]@nameLanguage': 'ZH',
      'identification[1]@identificationTypeCode': 'regnumber',
      'address@city': 'Shenzhen',
    });
  });

  it('maps a person: composed names with their language, every programme, the earliest regulation', async () => {
    const [, person] = records(await parse(FSF));
    expect(person).toMatchObject({
      key: '160002',
      entityType: 'person',
      names: [
        { value: 'Ivan Petrovich Exampleov', kind: 'primary' },
        { value: 'Иван Петрович Примеров', lang: 'ru', kind: 'alias' },
      ],
      // A person's document number is never taken for a company code.
      identifiers: [{ scheme: 'other', value: '7712345678' }],
      programs: ['UKR', 'RUS'],
      // The address country is unknown ("00"); the citizenship decides.
      country: 'RU',
      listedOn: '2014-03-17',
    });
  });

  it('reports an entity without a logicalId and goes on', async () => {
    const items = await parse(FSF);
    expect(records(items)).toHaveLength(2);
    const line = FSF.slice(0, FSF.indexOf('EU.9999.99')).split('\n').length;
    expect(errors(items)).toEqual([{ row: line, message: 'sanctionEntity EU.9999.99 has no logicalId' }]);
  });

  it('reads the same records whatever the chunking, and a re-indented export hashes the same', async () => {
    const whole = records(await parse(FSF));
    expect(records(await parse(FSF, 13))).toEqual(whole);
    const reindented = FSF.replace(/\n\s+/g, '\n\t');
    expect(records(await parse(reindented)).map(recordContentHash)).toEqual(whole.map(recordContentHash));
  });

  it('refuses another document, a DTD, and a truncated export', async () => {
    await expect(parse('<CONSOLIDATED_LIST/>')).rejects.toThrow(
      /root element is <CONSOLIDATED_LIST>, expected <export>/,
    );
    await expect(parse(`<!DOCTYPE export [<!ENTITY x "y">]>${FSF.slice(FSF.indexOf('<export'))}`)).rejects.toThrow(
      DTD_REFUSED,
    );
    const cut = FSF.slice(0, FSF.indexOf('<sanctionEntity euReferenceNumber="EU.9999.99">') + 20);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of adapter.parse(
        chunked(Buffer.from(cut)),
        staticParseContext(adapter.parseSettings({})),
      )) {
        if ('record' in item) seen.push(item.record.key);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['160001', '160002']);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as Error).message).toMatch(/truncated/);
  });
});
