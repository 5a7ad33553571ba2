import { describe, expect, it } from 'vitest';
import { validateUscc } from '@partnerwatch/domain';
import {
  DEMO_CITIES,
  DEMO_TAGS,
  authorityFor,
  generateCompanies,
  organizationCodeCheckCharacter,
} from '../../../apps/demo/src/demo-companies';
import { Rng } from '../../../apps/demo/src/prng';

interface UsccVector {
  code: string;
  valid: boolean;
}

// Valid codes of well-known companies, written into the test (the full real set is checked in
// test/shared-data against ../shared's vectors).
const vectors: UsccVector[] = [
  '914403001922038216',
  '9144030071526726XG',
  '91440300708461136T',
  '91330100799655058B',
  '91520000214434146R',
  '9111010859963405XW',
].map((code) => ({ code, valid: true }));

describe('organizationCodeCheckCharacter (GB 11714)', () => {
  it('reproduces the organization code check of real, valid USCCs', () => {
    const valid = vectors.filter((vector) => vector.valid);
    expect(valid.length).toBeGreaterThan(5);
    for (const { code } of valid) {
      // Positions 9..17 of a USCC are the organization code: 8 characters and their own check.
      expect(organizationCodeCheckCharacter(code.slice(8, 16)), code).toBe(code.charAt(16));
    }
  });

  it('maps a remainder of 10 to X and rejects malformed bodies', () => {
    expect(organizationCodeCheckCharacter('71526726')).toBe('X');
    expect(organizationCodeCheckCharacter('1234567')).toBeUndefined();
    expect(organizationCodeCheckCharacter('1234567-')).toBeUndefined();
  });
});

describe('generateCompanies', () => {
  const companies = generateCompanies(1500, 42);

  it('produces GB 32100-valid enterprise codes whose division and organization code are real-shaped', () => {
    const divisions = new Set(DEMO_CITIES.map((city) => city.divisionCode));
    for (const company of companies) {
      expect(validateUscc(company.uscc), company.uscc).toEqual({ ok: true, code: company.uscc });
      expect(company.uscc.startsWith('91')).toBe(true);
      expect(divisions.has(company.uscc.slice(2, 8))).toBe(true);
      expect(organizationCodeCheckCharacter(company.uscc.slice(8, 16))).toBe(company.uscc.charAt(16));
    }
  });

  it('puts the division code of the company city in its USCC', () => {
    for (const company of companies) {
      const city = DEMO_CITIES.find((item) => item.nameEn === company.city)!;
      expect(company.uscc.slice(2, 8)).toBe(city.divisionCode);
      expect(company.province).toBe(city.province);
      expect(company.nameZh.startsWith(city.namePrefixZh)).toBe(true);
      expect(company.nameEn.startsWith(city.nameEn + ' ')).toBe(true);
    }
  });

  it('keeps codes, Chinese names and English names unique', () => {
    expect(new Set(companies.map((company) => company.uscc)).size).toBe(companies.length);
    expect(new Set(companies.map((company) => company.nameZh)).size).toBe(companies.length);
    expect(new Set(companies.map((company) => company.nameEn.toLowerCase())).size).toBe(companies.length);
  });

  it('is deterministic per seed, and a longer list extends a shorter one', () => {
    expect(generateCompanies(1500, 42)).toEqual(companies);
    expect(generateCompanies(100, 42)).toEqual(companies.slice(0, 100));
    const other = generateCompanies(100, 43);
    expect(other).not.toEqual(companies.slice(0, 100));
    expect(other.filter((company, i) => company.uscc === companies[i]!.uscc)).toHaveLength(0);
  });

  it('builds names from a city, a brand, a business and a legal form', () => {
    for (const company of companies) {
      expect(company.nameZh).toMatch(/^\p{Script=Han}+(有限公司|股份有限公司|有限责任公司)$/u);
      expect(company.nameEn).toMatch(/^[A-Z][a-z']+ [A-Z][a-z']+ [A-Za-z& -]+ (Joint Stock )?Co\., Ltd\.$/);
    }
  });

  it('uses the documented tag set and a spread of criticality and relationship', () => {
    const tags = new Set<string>(DEMO_TAGS);
    for (const company of companies) for (const tag of company.tags) expect(tags.has(tag)).toBe(true);
    expect(new Set(companies.map((company) => company.criticality))).toEqual(
      new Set(['low', 'medium', 'high', 'critical']),
    );
    expect(new Set(companies.map((company) => company.relationship))).toEqual(
      new Set(['supplier', 'logistics', 'distributor', 'service_provider']),
    );
    const logistics = companies.filter((company) => company.relationship === 'logistics');
    expect(logistics.every((company) => company.tags.includes('logistics'))).toBe(true);
  });

  it('derives the deciding authority from the registration place', () => {
    const suzhou = companies.find((company) => company.city === 'Suzhou')!;
    expect(authorityFor(suzhou)).toBe('苏州市市场监督管理局');
    const shanghai = companies.find((company) => company.city === 'Shanghai')!;
    expect(shanghai.uscc.slice(2, 8)).toBe('310115');
    expect(authorityFor(shanghai)).toBe('上海市浦东新区市场监督管理局');
  });

  it('rejects impossible counts', () => {
    expect(generateCompanies(0, 1)).toEqual([]);
    expect(() => generateCompanies(-1, 1)).toThrow(RangeError);
    expect(() => generateCompanies(1.5, 1)).toThrow(RangeError);
  });
});

describe('Rng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const values = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Rng(8).next()).not.toBe(values[0]);
    const ints = Array.from({ length: 1000 }, () => a.int(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
  });
});
