import { USCC_ALPHABET, usccCheckCharacter } from '@partnerwatch/domain';
import { Rng } from './prng';

export type Criticality = 'low' | 'medium' | 'high' | 'critical';
export type Relationship = 'supplier' | 'logistics' | 'distributor' | 'service_provider';

export interface DemoCompany {
  uscc: string;
  nameZh: string;
  nameEn: string;
  province: string;
  city: string;
  tags: string[];
  criticality: Criticality;
  relationship: Relationship;
}

export const DEMO_TAGS = ['electronics', 'tier-1', 'apac', 'raw-materials', 'logistics', 'packaging'] as const;
export type DemoTag = (typeof DEMO_TAGS)[number];

export interface DemoCity {
  /** How the place opens a company name; Shenzhen firms conventionally keep the 市. */
  namePrefixZh: string;
  /** Pinyin, as it opens the English name. */
  nameEn: string;
  province: string;
  /** GB/T 2260 administrative division code carried in positions 3..8 of the USCC. */
  divisionCode: string;
  /** The market regulation bureau that registers companies there and decides their abnormal-operations listings. */
  authorityZh: string;
}

/** Real division codes; the municipalities use the district where most of their registrations happen. */
export const DEMO_CITIES: readonly DemoCity[] = [
  {
    namePrefixZh: '苏州',
    nameEn: 'Suzhou',
    province: 'Jiangsu',
    divisionCode: '320500',
    authorityZh: '苏州市市场监督管理局',
  },
  {
    namePrefixZh: '昆山',
    nameEn: 'Kunshan',
    province: 'Jiangsu',
    divisionCode: '320583',
    authorityZh: '昆山市市场监督管理局',
  },
  {
    namePrefixZh: '无锡',
    nameEn: 'Wuxi',
    province: 'Jiangsu',
    divisionCode: '320200',
    authorityZh: '无锡市市场监督管理局',
  },
  {
    namePrefixZh: '常州',
    nameEn: 'Changzhou',
    province: 'Jiangsu',
    divisionCode: '320400',
    authorityZh: '常州市市场监督管理局',
  },
  {
    namePrefixZh: '南京',
    nameEn: 'Nanjing',
    province: 'Jiangsu',
    divisionCode: '320100',
    authorityZh: '南京市市场监督管理局',
  },
  {
    namePrefixZh: '深圳市',
    nameEn: 'Shenzhen',
    province: 'Guangdong',
    divisionCode: '440300',
    authorityZh: '深圳市市场监督管理局',
  },
  {
    namePrefixZh: '广州',
    nameEn: 'Guangzhou',
    province: 'Guangdong',
    divisionCode: '440100',
    authorityZh: '广州市市场监督管理局',
  },
  {
    namePrefixZh: '东莞市',
    nameEn: 'Dongguan',
    province: 'Guangdong',
    divisionCode: '441900',
    authorityZh: '东莞市市场监督管理局',
  },
  {
    namePrefixZh: '佛山市',
    nameEn: 'Foshan',
    province: 'Guangdong',
    divisionCode: '440600',
    authorityZh: '佛山市市场监督管理局',
  },
  {
    namePrefixZh: '杭州',
    nameEn: 'Hangzhou',
    province: 'Zhejiang',
    divisionCode: '330100',
    authorityZh: '杭州市市场监督管理局',
  },
  {
    namePrefixZh: '宁波',
    nameEn: 'Ningbo',
    province: 'Zhejiang',
    divisionCode: '330200',
    authorityZh: '宁波市市场监督管理局',
  },
  {
    namePrefixZh: '温州',
    nameEn: 'Wenzhou',
    province: 'Zhejiang',
    divisionCode: '330300',
    authorityZh: '温州市市场监督管理局',
  },
  {
    namePrefixZh: '上海',
    nameEn: 'Shanghai',
    province: 'Shanghai',
    divisionCode: '310115',
    authorityZh: '上海市浦东新区市场监督管理局',
  },
  {
    namePrefixZh: '北京',
    nameEn: 'Beijing',
    province: 'Beijing',
    divisionCode: '110108',
    authorityZh: '北京市海淀区市场监督管理局',
  },
  {
    namePrefixZh: '天津',
    nameEn: 'Tianjin',
    province: 'Tianjin',
    divisionCode: '120116',
    authorityZh: '天津市滨海新区市场监督管理局',
  },
  {
    namePrefixZh: '重庆',
    nameEn: 'Chongqing',
    province: 'Chongqing',
    divisionCode: '500112',
    authorityZh: '重庆市渝北区市场监督管理局',
  },
  {
    namePrefixZh: '武汉',
    nameEn: 'Wuhan',
    province: 'Hubei',
    divisionCode: '420100',
    authorityZh: '武汉市市场监督管理局',
  },
  {
    namePrefixZh: '成都',
    nameEn: 'Chengdu',
    province: 'Sichuan',
    divisionCode: '510100',
    authorityZh: '成都市市场监督管理局',
  },
  {
    namePrefixZh: '青岛',
    nameEn: 'Qingdao',
    province: 'Shandong',
    divisionCode: '370200',
    authorityZh: '青岛市市场监督管理局',
  },
  {
    namePrefixZh: '厦门',
    nameEn: 'Xiamen',
    province: 'Fujian',
    divisionCode: '350200',
    authorityZh: '厦门市市场监督管理局',
  },
  {
    namePrefixZh: '西安',
    nameEn: "Xi'an",
    province: 'Shaanxi',
    divisionCode: '610100',
    authorityZh: '西安市市场监督管理局',
  },
  {
    namePrefixZh: '合肥',
    nameEn: 'Hefei',
    province: 'Anhui',
    divisionCode: '340100',
    authorityZh: '合肥市市场监督管理局',
  },
  {
    namePrefixZh: '长沙',
    nameEn: 'Changsha',
    province: 'Hunan',
    divisionCode: '430100',
    authorityZh: '长沙市市场监督管理局',
  },
  {
    namePrefixZh: '郑州',
    nameEn: 'Zhengzhou',
    province: 'Henan',
    divisionCode: '410100',
    authorityZh: '郑州市市场监督管理局',
  },
  {
    namePrefixZh: '大连',
    nameEn: 'Dalian',
    province: 'Liaoning',
    divisionCode: '210200',
    authorityZh: '大连市市场监督管理局',
  },
];

/** Characters Chinese firms favour for their trade names, with their pinyin. */
const BRAND_SYLLABLES: readonly (readonly [string, string])[] = [
  ['华', 'hua'],
  ['信', 'xin'],
  ['恒', 'heng'],
  ['泰', 'tai'],
  ['鑫', 'xin'],
  ['达', 'da'],
  ['隆', 'long'],
  ['盛', 'sheng'],
  ['宏', 'hong'],
  ['伟', 'wei'],
  ['德', 'de'],
  ['通', 'tong'],
  ['瑞', 'rui'],
  ['丰', 'feng'],
  ['源', 'yuan'],
  ['金', 'jin'],
  ['安', 'an'],
  ['创', 'chuang'],
  ['联', 'lian'],
  ['宇', 'yu'],
  ['博', 'bo'],
  ['远', 'yuan'],
  ['润', 'run'],
  ['凯', 'kai'],
  ['嘉', 'jia'],
  ['新', 'xin'],
  ['光', 'guang'],
  ['明', 'ming'],
  ['海', 'hai'],
  ['天', 'tian'],
  ['中', 'zhong'],
  ['汇', 'hui'],
  ['鼎', 'ding'],
  ['锦', 'jin'],
  ['祥', 'xiang'],
  ['永', 'yong'],
  ['利', 'li'],
  ['和', 'he'],
  ['益', 'yi'],
  ['腾', 'teng'],
  ['昌', 'chang'],
  ['辉', 'hui'],
  ['佳', 'jia'],
  ['立', 'li'],
  ['东', 'dong'],
  ['亚', 'ya'],
  ['欧', 'ou'],
  ['晟', 'sheng'],
  ['科', 'ke'],
  ['捷', 'jie'],
  ['航', 'hang'],
  ['星', 'xing'],
];

interface Industry {
  zh: string;
  en: string;
  /** Fuller wordings of the same business, as in 精密电子 Precision Electronics; English is not word-for-word. */
  variants?: readonly (readonly [string, string])[];
  relationship: Relationship;
  tags: readonly DemoTag[];
  weight: number;
}

const INDUSTRIES: readonly Industry[] = [
  {
    zh: '电子',
    en: 'Electronics',
    variants: [
      ['精密电子', 'Precision Electronics'],
      ['微电子', 'Microelectronics'],
    ],
    relationship: 'supplier',
    tags: ['electronics'],
    weight: 6,
  },
  {
    zh: '科技',
    en: 'Technology',
    variants: [
      ['智能科技', 'Intelligent Technology'],
      ['新能源科技', 'New Energy Technology'],
    ],
    relationship: 'supplier',
    tags: [],
    weight: 6,
  },
  {
    zh: '机械',
    en: 'Machinery',
    variants: [
      ['精密机械', 'Precision Machinery'],
      ['重工机械', 'Heavy Machinery'],
    ],
    relationship: 'supplier',
    tags: [],
    weight: 4,
  },
  {
    zh: '化工',
    en: 'Chemical',
    variants: [['精细化工', 'Fine Chemical']],
    relationship: 'supplier',
    tags: ['raw-materials'],
    weight: 3,
  },
  { zh: '纺织', en: 'Textile', relationship: 'supplier', tags: ['raw-materials'], weight: 2 },
  { zh: '新材料', en: 'New Materials', relationship: 'supplier', tags: ['raw-materials'], weight: 3 },
  { zh: '半导体', en: 'Semiconductor', relationship: 'supplier', tags: ['electronics'], weight: 2 },
  { zh: '光电', en: 'Optoelectronics', relationship: 'supplier', tags: ['electronics'], weight: 2 },
  {
    zh: '五金',
    en: 'Hardware',
    variants: [['精密五金', 'Precision Hardware']],
    relationship: 'supplier',
    tags: [],
    weight: 2,
  },
  {
    zh: '模具',
    en: 'Mould',
    variants: [['精密模具', 'Precision Mould']],
    relationship: 'supplier',
    tags: [],
    weight: 2,
  },
  { zh: '塑胶', en: 'Plastics', relationship: 'supplier', tags: ['raw-materials'], weight: 2 },
  { zh: '汽车零部件', en: 'Auto Parts', relationship: 'supplier', tags: [], weight: 2 },
  {
    zh: '包装',
    en: 'Packaging',
    variants: [['印刷包装', 'Printing & Packaging']],
    relationship: 'supplier',
    tags: ['packaging'],
    weight: 3,
  },
  { zh: '实业', en: 'Industrial', relationship: 'supplier', tags: [], weight: 3 },
  {
    zh: '装备',
    en: 'Equipment',
    variants: [['智能装备', 'Intelligent Equipment']],
    relationship: 'supplier',
    tags: [],
    weight: 2,
  },
  {
    zh: '物流',
    en: 'Logistics',
    variants: [['供应链物流', 'Supply Chain Logistics']],
    relationship: 'logistics',
    tags: ['logistics'],
    weight: 4,
  },
  {
    zh: '国际货运代理',
    en: 'International Freight Forwarding',
    relationship: 'logistics',
    tags: ['logistics'],
    weight: 2,
  },
  { zh: '供应链管理', en: 'Supply Chain Management', relationship: 'logistics', tags: ['logistics'], weight: 2 },
  {
    zh: '贸易',
    en: 'Trading',
    variants: [['国际贸易', 'International Trading']],
    relationship: 'distributor',
    tags: [],
    weight: 4,
  },
  { zh: '进出口', en: 'Import & Export', relationship: 'distributor', tags: [], weight: 2 },
  { zh: '电子商务', en: 'E-Commerce', relationship: 'distributor', tags: [], weight: 1 },
  { zh: '信息技术', en: 'Information Technology', relationship: 'service_provider', tags: [], weight: 2 },
  { zh: '检测技术', en: 'Testing Technology', relationship: 'service_provider', tags: [], weight: 1 },
  { zh: '企业管理咨询', en: 'Business Consulting', relationship: 'service_provider', tags: [], weight: 1 },
];

const WEIGHTED_INDUSTRIES = INDUSTRIES.map((item) => [item, item.weight] as const);

const LEGAL_FORMS: readonly (readonly [{ zh: string; en: string }, number])[] = [
  [{ zh: '有限公司', en: 'Co., Ltd.' }, 70],
  [{ zh: '股份有限公司', en: 'Joint Stock Co., Ltd.' }, 15],
  [{ zh: '有限责任公司', en: 'Co., Ltd.' }, 15],
];

const CRITICALITIES: readonly (readonly [Criticality, number])[] = [
  ['low', 35],
  ['medium', 35],
  ['high', 20],
  ['critical', 10],
];

/** GB 11714 organization code characters: digits keep their value, letters count from A = 10. */
function organizationCodeValue(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return -1;
}

const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The GB 11714 check character for an 8-character organization code body, or undefined if malformed. */
export function organizationCodeCheckCharacter(first8: string): string | undefined {
  if (first8.length !== 8) return undefined;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = organizationCodeValue(first8.charAt(i));
    if (value < 0) return undefined;
    sum += value * ORGANIZATION_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

const DIGITS = [...'0123456789'];
const NON_ZERO_DIGITS = DIGITS.slice(1);
const USCC_CHARACTERS = [...USCC_ALPHABET];

/**
 * An organization code body shaped like the real ones: older firms carry the numeric codes issued before 2015 (they
 * mostly start with 5-7), newer ones the 'MA' series assigned with the USCC. Characters stay inside the USCC
 * alphabet because the code is embedded in one.
 */
function organizationCodeBody(rng: Rng): string {
  if (rng.chance(0.35)) {
    let body = 'MA' + rng.pick(NON_ZERO_DIGITS);
    for (let i = 0; i < 5; i++) body += rng.pick(USCC_CHARACTERS);
    return body;
  }
  let body = rng.pick(['5', '6', '7', '7']);
  for (let i = 0; i < 7; i++) body += rng.pick(DIGITS);
  return body;
}

function makeUscc(rng: Rng, city: DemoCity): string {
  const body = organizationCodeBody(rng);
  const organizationCode = body + organizationCodeCheckCharacter(body)!;
  const first17 = '91' + city.divisionCode + organizationCode;
  return first17 + usccCheckCharacter(first17)!;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Pinyin of a two-character brand, with the apostrophe pinyin needs before a vowel-initial syllable (Jia'an). */
function brandPinyin(first: string, second: string): string {
  const separator = /^[aeo]/.test(second) ? "'" : '';
  return capitalize(first) + separator + second;
}

function tagsFor(rng: Rng, industry: Industry, criticality: Criticality): string[] {
  const tags = new Set<string>(industry.tags);
  const important = criticality === 'high' || criticality === 'critical';
  if (industry.relationship === 'supplier' && rng.chance(important ? 0.8 : 0.25)) tags.add('tier-1');
  if (rng.chance(0.6)) tags.add('apac');
  return DEMO_TAGS.filter((tag) => tags.has(tag));
}

function generateOne(rng: Rng): DemoCompany {
  const city = rng.pick(DEMO_CITIES);
  const first = rng.pick(BRAND_SYLLABLES);
  let second = rng.pick(BRAND_SYLLABLES);
  while (second[0] === first[0]) second = rng.pick(BRAND_SYLLABLES);
  const industry = rng.weighted(WEIGHTED_INDUSTRIES);
  const [businessZh, businessEn] =
    industry.variants && rng.chance(0.4) ? rng.pick(industry.variants) : [industry.zh, industry.en];
  const legalForm = rng.weighted(LEGAL_FORMS);
  const criticality = rng.weighted(CRITICALITIES);

  const nameZh = city.namePrefixZh + first[0] + second[0] + businessZh + legalForm.zh;
  const nameEn = [city.nameEn, brandPinyin(first[1], second[1]), businessEn, legalForm.en].join(' ');

  return {
    uscc: makeUscc(rng, city),
    nameZh,
    nameEn,
    province: city.province,
    city: city.nameEn,
    tags: tagsFor(rng, industry, criticality),
    criticality,
    relationship: industry.relationship,
  };
}

/**
 * Deterministic list of fictitious but realistic Chinese companies: same count and seed, same companies, and a
 * larger count extends a smaller one. USCCs, Chinese names and English names are each unique within the list
 * (pinyin homophones such as 信/鑫/新 would otherwise give two firms one English name).
 */
export function generateCompanies(count: number, seed: number): DemoCompany[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const rng = new Rng(seed);
  const companies: DemoCompany[] = [];
  const seen = new Set<string>();
  // The name space holds millions of combinations; the cap only stops a runaway loop on absurd counts.
  const maxAttempts = count * 50 + 1000;
  for (let attempt = 0; companies.length < count; attempt++) {
    if (attempt >= maxAttempts) throw new RangeError(`Could not generate ${count} distinct companies`);
    const company = generateOne(rng);
    const keys = ['uscc:' + company.uscc, 'zh:' + company.nameZh, 'en:' + company.nameEn.toLowerCase()];
    if (keys.some((key) => seen.has(key))) continue;
    for (const key of keys) seen.add(key);
    companies.push(company);
  }
  return companies;
}

/** The bureau that decides listings for a company, derived from its registration place. */
export function authorityFor(company: DemoCompany): string {
  const division = company.uscc.slice(2, 8);
  const city =
    DEMO_CITIES.find((item) => item.divisionCode === division) ??
    DEMO_CITIES.find(
      (item) => item.nameEn === company.city || (company.city !== '' && item.namePrefixZh.startsWith(company.city)),
    );
  if (city) return city.authorityZh;
  // Companies supplied by a caller may come from elsewhere; keep the real naming pattern when the city is in Chinese.
  if (/\p{Script=Han}/u.test(company.city)) return `${company.city.replace(/市$/, '')}市市场监督管理局`;
  return '市场监督管理局';
}
