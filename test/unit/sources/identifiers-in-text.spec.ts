import { describe, expect, it } from 'vitest';
import { identifiersInText, isValidLei } from '../../../libs/sources/src/common/identifiers-in-text';
import { uscc } from './source-fixtures';

const CHINA_TELECOM = '9111000071093019X7';
const SOME_USCC = uscc('91310000MA1FL4CN4');

describe('isValidLei', () => {
  it('accepts LEIs whose ISO 7064 check digits hold', () => {
    expect(isValidLei('5493001KJTIIGC8Y1R12')).toBe(true);
    expect(isValidLei('253400V1H6ART1UQ0N98')).toBe(true);
    expect(isValidLei('7LTWFZYICNSX8D621K86')).toBe(true);
    // Spacing and case as people type it.
    expect(isValidLei(' 5493 001k jtii gc8y 1r12 ')).toBe(true);
  });

  it('rejects a wrong check, a wrong length and letters in the check digits', () => {
    expect(isValidLei('5493001KJTIIGC8Y1R17')).toBe(false);
    expect(isValidLei('5493001KJTIIGC8Y1R1')).toBe(false);
    expect(isValidLei('5493001KJTIIGC8Y1R1A')).toBe(false);
    expect(isValidLei('')).toBe(false);
  });
});

describe('identifiersInText', () => {
  it('reads the identifiers of an OFAC remark and skips everything else', () => {
    const remarks =
      'Organization Established Date 01 Jan 1995; Target Type Private Company; ' +
      `Unified Social Credit Code (USCC) ${CHINA_TELECOM} (China); Registration Number 1234 (China); ` +
      'Legal Entity Number 5493001KJTIIGC8Y1R12; Tax ID No. 7702070139 (Russia); D-U-N-S Number 52-024-2307; ' +
      'Website www.example.cn; Email Address info@example.cn; Phone Number 8613314257947; ' +
      'Linked To: SOME GROUP; Secondary sanctions risk: section 1(b) of Executive Order 13224.';
    expect(identifiersInText(remarks)).toEqual([
      { scheme: 'uscc', value: CHINA_TELECOM },
      { scheme: 'registration', value: '1234' },
      { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' },
      { scheme: 'tax', value: '7702070139' },
      { scheme: 'duns', value: '520242307' },
    ]);
  });

  it('reads the CSL ids cell ("label, value, country")', () => {
    const ids =
      `Unified Social Credit Code (USCC), ${SOME_USCC}, CN; Registration Number, 12345, China; ` +
      'Issuer Name, China Telecom Corporation Limited; Equity Ticker, 0728 HK; ISIN, US1694261033; ' +
      'Tax ID No., 7702070139, RU; Legal Entity Number, 253400V1H6ART1UQ0N98, RU; ' +
      'Identification Number, AO 2879097, IT, 30 Oct 2012; SWIFT/BIC, VTBRRUMM; ' +
      'Listing Date (CMIC), 2021-06-03; Gender, Male; Website, www.vtb.ru';
    expect(identifiersInText(ids)).toEqual([
      { scheme: 'uscc', value: SOME_USCC },
      { scheme: 'registration', value: '12345' },
      { scheme: 'tax', value: '7702070139' },
      { scheme: 'lei', value: '253400V1H6ART1UQ0N98' },
      { scheme: 'other', value: 'AO2879097' },
      { scheme: 'other', value: 'VTBRRUMM' },
    ]);
  });

  it('finds IMO numbers whatever the label in front of them', () => {
    expect(
      identifiersInText(
        'Vessel Registration Identification IMO 9187629; Company Number IMO 1991835; ' +
          'Identification Number IMO 5470386; alt. Vessel Registration Identification, IMO 7406784.',
      ),
    ).toEqual([
      { scheme: 'imo', value: '9187629' },
      { scheme: 'imo', value: '1991835' },
      { scheme: 'imo', value: '5470386' },
      { scheme: 'imo', value: '7406784' },
    ]);
    // "Imo State" is a Nigerian state, not an IMO number.
    expect(identifiersInText('Owerri, Imo State 4600123')).toEqual([]);
  });

  it('normalises values and drops duplicates, alt. prefixes and the closing full stop', () => {
    expect(
      identifiersInText(
        `Tax ID No. AABA 670850 Y; alt. Tax ID No. aaba670850y; Unified Social Credit Code (USCC) ${CHINA_TELECOM.toLowerCase()} (China).`,
      ),
    ).toEqual([
      { scheme: 'tax', value: 'AABA670850Y' },
      { scheme: 'uscc', value: CHINA_TELECOM },
    ]);
  });

  it('keeps the scheme honest when a value does not fit its label', () => {
    expect(identifiersInText('Unified Social Credit Code (USCC) 110000450001234 (China)')).toEqual([
      { scheme: 'registration', value: '110000450001234' },
    ]);
    // A national company number filed as "Legal Entity Number", and a mistyped LEI.
    expect(identifiersInText('Legal Entity Number 851683897; Legal Entity Number 5493001KJTIIGC8Y1R17')).toEqual([
      { scheme: 'registration', value: '851683897' },
      { scheme: 'other', value: '5493001KJTIIGC8Y1R17' },
    ]);
  });

  it('takes a Chinese registration number for a USCC only when its check character holds', () => {
    const wrongCheck = SOME_USCC.slice(0, 17) + (SOME_USCC.endsWith('0') ? '1' : '0');
    expect(identifiersInText(`Registration Number ${SOME_USCC} (China)`)).toEqual([
      { scheme: 'uscc', value: SOME_USCC },
    ]);
    expect(identifiersInText(`Registration Number ${wrongCheck} (China)`)).toEqual([
      { scheme: 'registration', value: wrongCheck },
    ]);
    expect(identifiersInText(`Registration ID ${SOME_USCC} (Russia)`)).toEqual([
      { scheme: 'registration', value: SOME_USCC },
    ]);
    // An 18-digit resident identity card number is a person's, never a company code.
    expect(identifiersInText('Identification Number 210302198701102136 (China)')).toEqual([
      { scheme: 'other', value: '210302198701102136' },
    ]);
  });

  it('does not read prose or dates as identifiers', () => {
    expect(
      identifiersInText(
        'Tin mining company; INNOVATION 1234; DOB 10 Jan 1987; nationality China; Passport issued by Iran; ' +
          'Registration Number -0-; Gender Male',
      ),
    ).toEqual([]);
    expect(identifiersInText('')).toEqual([]);
    expect(identifiersInText(undefined)).toEqual([]);
  });
});
