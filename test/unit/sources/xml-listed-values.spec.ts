import { describe, expect, it } from 'vitest';
import { isoCountryCode } from '../../../libs/sources/src/xml/country-codes';
import { parseDayFirstDate, parseXmlDate } from '../../../libs/sources/src/xml/listed-dates';
import { listedIdentifier } from '../../../libs/sources/src/xml/listed-identifiers';
import { uscc } from './source-fixtures';

describe('isoCountryCode', () => {
  it.each([
    ['China', 'CN'],
    ['CN', 'CN'],
    ['China, Hong Kong Special Administrative Region', 'HK'],
    ['Iran (Islamic Republic of)', 'IR'],
    ["Democratic People's Republic of Korea", 'KP'],
    ['Korea, South', 'KR'],
    ['Congo (Democratic Republic)', 'CD'],
    ['Russian Federation', 'RU'],
    ['Libya (in custody)', 'LY'],
    ['The Netherlands', 'NL'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['Türkiye', 'TR'],
    ['Saint Kitts and Nevis', 'KN'],
    ['Cote d’Ivoire', 'CI'],
    ['Viet Nam', 'VN'],
  ])('%s -> %s', (name, code) => {
    expect(isoCountryCode(name)).toBe(code);
  });

  it('leaves names that are no single country unmapped', () => {
    for (const name of ['Sudan/South Sudan', 'Branch Office 11: Iran', 'Region: Gaza', 'Korea', '', undefined]) {
      expect(isoCountryCode(name)).toBeUndefined();
    }
  });
});

describe('listed dates', () => {
  it('reads xs:date with a zone without shifting the day, and British day-first dates', () => {
    expect(parseXmlDate('2015-03-27-04:00')).toBe('2015-03-27');
    expect(parseXmlDate('2018-08-24T19:40:35.913-04:00')).toBe('2018-08-24');
    expect(parseXmlDate('2016-11-30')).toBe('2016-11-30');
    expect(parseXmlDate('not a date')).toBeUndefined();
    expect(parseDayFirstDate('31/07/2024')).toBe('2024-07-31');
    expect(parseDayFirstDate('1/7/2024')).toBe('2024-07-01');
    expect(parseDayFirstDate('00/00/1958')).toBeUndefined();
  });
});

describe('listedIdentifier', () => {
  const code = uscc('91440300MA5F0XY31');
  it('takes a USCC-shaped number of an organisation in China for a USCC, never a person’s', () => {
    expect(listedIdentifier('registration', code.toLowerCase(), { organization: true })).toEqual({
      scheme: 'uscc',
      value: code,
    });
    expect(listedIdentifier('registration', code, { organization: true, country: 'RU' })).toEqual({
      scheme: 'registration',
      value: code,
    });
    expect(listedIdentifier('other', code, { organization: false })).toEqual({ scheme: 'other', value: code });
  });

  it('keeps the seven digits of an IMO number', () => {
    expect(listedIdentifier('imo', 'IMO 9826902', { organization: true })).toEqual({ scheme: 'imo', value: '9826902' });
    expect(listedIdentifier('imo', 'IMO9826902', { organization: true })).toEqual({ scheme: 'imo', value: '9826902' });
    expect(listedIdentifier('imo', 'unknown', { organization: true })).toEqual({ scheme: 'other', value: 'UNKNOWN' });
  });
});
