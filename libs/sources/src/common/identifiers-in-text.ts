/**
 * Identifiers that lists publish only inside free text: OFAC's Remarks ("Unified Social Credit Code
 * (USCC) 91110000710932515R (China); Tax ID No. 7702070139 (Russia); ...") and the `ids` cell of the
 * US Consolidated Screening List ("Unified Social Credit Code (USCC), 91110000710932515R, CN; ...").
 * Both are lists of "label value (country)" statements separated by semicolons; only statements with
 * a known label become identifiers, so a date of birth or a phone number is never read as one.
 */
import {
  looksLikeUscc,
  normalizeIdentifierValue,
  normalizeUscc,
  validateUscc,
  type EntityIdentifier,
  type IdentifierScheme,
} from '@partnerwatch/domain';

/** Schemes found by their label; IMO numbers are found by their own pattern. */
type LabelScheme = Exclude<IdentifierScheme, 'imo'>;

/**
 * Labels as OFAC and the CSL write them. Matched case-insensitively at the start of a statement
 * (after "alt."), longest first, so "Business Registration Document #" wins over "Registration".
 */
const LABELS: Readonly<Record<LabelScheme, readonly string[]>> = {
  uscc: ['Unified Social Credit Code (USCC)', 'Unified Social Credit Code', 'USCC', '统一社会信用代码'],
  lei: ['Legal Entity Number', 'Legal Entity Identifier', 'LEI'],
  duns: ['D-U-N-S Number', 'D-U-N-S', 'DUNS Number', 'DUNS'],
  tax: [
    'Tax ID No.',
    'Tax ID',
    'Tax Identification Number',
    'Taxpayer Identification Number',
    'Tax Number',
    'Tax Registration Number',
    'TIN',
    'INN',
    'NIT #',
    'RUC #',
    'RIF #',
    'R.F.C.',
    'RFC',
    'V.A.T. Number',
    'VAT Number',
    'US FEIN',
    'C.U.I.T.',
    'CUIT',
    'Italian Fiscal Code',
    'Fiscal Code',
  ],
  registration: [
    'Registration ID',
    'Registration Number',
    'Registration No.',
    'Business Registration Document #',
    'Business Registration Number',
    'Business Registration Certificate Number',
    'Business Number',
    'Company Number',
    'Company Registration Number',
    'Certificate of Incorporation Number',
    'Public Registration Number',
    'Commercial Registry Number',
    'Commercial Registration Number',
    'Chamber of Commerce Number',
    'Istanbul Chamber of Comm. No.',
    'Government Gazette Number',
    'Enterprise Number',
    'C.R. No.',
    'Economic Register Number (CBLS)',
    'Trade License No.',
    'Folio Mercantil No.',
    'Matricula Mercantil No',
    'Central Registration System Number',
    'Registered Charity No.',
    'OGRN',
  ],
  other: [
    'Passport',
    'Diplomatic Passport',
    'National ID No.',
    'National Foreign ID Number',
    'Personal ID Card',
    'Identification Number',
    'Cedula No.',
    'C.U.R.P.',
    'D.N.I.',
    'SSN',
    'LE Number',
    'Electoral Registry No.',
    'Credencial electoral',
    'Birth Certificate Number',
    "Driver's License No.",
    'Travel Document Number',
    'SWIFT/BIC',
    'BIK (RU)',
    'MMSI',
    'Vessel Registration Identification',
  ],
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const LABEL_TABLE: readonly { label: string; scheme: LabelScheme }[] = (
  Object.entries(LABELS) as [LabelScheme, readonly string[]][]
)
  .flatMap(([scheme, labels]) => labels.map((label) => ({ label, scheme })))
  .sort((a, b) => b.label.length - a.label.length);

/**
 * Short all-capital labels ("TIN", "INN", "LEI") are matched in their case only, so that prose such
 * as "Tin mining company" is not read as a tax number; the long labels are matched in any case.
 */
const isAcronym = (label: string): boolean => label.length <= 5 && /^[A-Z0-9-]+$/.test(label);

/** An alternation of labels; a label must be followed by a separator or the end ("TIN" is not "TINA"). */
function labelPattern(labels: readonly string[], flags: string): RegExp {
  const alternation = labels.map(escapeRegExp).join('|');
  return new RegExp(`^(?:alt\\.\\s*)?(${alternation})(?=$|[\\s,:#])`, flags);
}
const LABEL_PATTERNS: readonly RegExp[] = [
  labelPattern(
    LABEL_TABLE.filter((l) => !isAcronym(l.label)).map((l) => l.label),
    'i',
  ),
  labelPattern(
    LABEL_TABLE.filter((l) => isAcronym(l.label)).map((l) => l.label),
    '',
  ),
];
const SCHEME_BY_LABEL = new Map(LABEL_TABLE.map((l) => [l.label.toLowerCase(), l.scheme]));

/**
 * "IMO 9187629" wherever it stands (OFAC: "Vessel Registration Identification IMO ...", "Company
 * Number IMO ..."). Case-sensitive: Nigeria's Imo State appears in addresses.
 */
const IMO_PATTERN = /\bIMO\s*(?:[Nn]o\.?|[Nn]umber)?\s*:?\s*(\d{7})\b/g;

/** Where the value ends: a parenthesised country, the CSL's ", CN", or OFAC's "issued"/"expires" dates. */
const VALUE_END = /\s*\(|,\s|\s+(?:issued|expires)\b/i;
/** The country after the value: OFAC "(China)", CSL ", CN". */
const COUNTRY_AFTER_VALUE = /^\s*(?:\(([^)]*)\)|,\s*([^,]+))/;

const LEI_SHAPE = /^[0-9A-Z]{18}[0-9]{2}$/;
const BIC_SHAPE = /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;
const CHINA = new Set(['china', 'cn', "people's republic of china", 'prc']);

/**
 * ISO 17442 Legal Entity Identifier: 20 characters, the last two check digits such that the whole
 * code, letters read as 10..35, is 1 modulo 97 (ISO 7064 MOD 97-10).
 */
export function isValidLei(raw: string): boolean {
  const code = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!LEI_SHAPE.test(code)) return false;
  let remainder = 0;
  for (const ch of code) {
    const value = ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    // Two-digit letter values shift the remainder by 100, one-digit ones by 10.
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

/**
 * The identifiers stated in a list's free text, normalised, without duplicates, in order of
 * appearance. Unknown labels are skipped: a wrong identifier would make a false identifier match,
 * which is worse than a missing one.
 */
export function identifiersInText(text: string | undefined | null): EntityIdentifier[] {
  if (!text) return [];
  const found: EntityIdentifier[] = [];
  const add = (scheme: IdentifierScheme, raw: string): void => {
    const value = normalizeIdentifierValue(scheme, raw);
    if (value.length === 0) return;
    if (!found.some((i) => i.scheme === scheme && i.value === value)) found.push({ scheme, value });
  };

  for (const rawStatement of text.split(';')) {
    const statement = rawStatement.trim();
    if (statement.length === 0) continue;

    // IMO numbers are recognisable by themselves, whatever label OFAC puts in front of them.
    let imo = false;
    for (const match of statement.matchAll(IMO_PATTERN)) {
      add('imo', match[1]!);
      imo = true;
    }
    if (imo) continue;

    let label: RegExpExecArray | null = null;
    for (const pattern of LABEL_PATTERNS) if ((label = pattern.exec(statement))) break;
    if (!label) continue;
    const labelText = label[1]!.toLowerCase();
    const scheme = SCHEME_BY_LABEL.get(labelText);
    if (!scheme) continue;
    const rest = statement.slice(label[0].length).replace(/^[\s,:#]+/, '');
    const end = VALUE_END.exec(rest);
    // The final statement of an OFAC remark ends the sentence: "... 91110000710932515R (China)."
    const value = (end ? rest.slice(0, end.index) : rest).trim().replace(/\.$/, '').trim();
    // Identifiers have digits (BICs excepted); a labelled phrase without any is prose, not a number.
    if (value === '-0-' || (labelText === 'swift/bic' ? !BIC_SHAPE.test(value) : !/\d/.test(value))) continue;
    const after = end ? COUNTRY_AFTER_VALUE.exec(rest.slice(end.index)) : null;
    const country = (after?.[1] ?? after?.[2])?.trim().toLowerCase();
    add(...classify(scheme, value, country));
  }
  return found;
}

function classify(scheme: LabelScheme, value: string, country: string | undefined): [IdentifierScheme, string] {
  switch (scheme) {
    case 'uscc':
      // A USCC-labelled value of the wrong shape is still a Chinese registration number of some kind.
      return looksLikeUscc(value) ? ['uscc', normalizeUscc(value)] : ['registration', value];
    case 'lei': {
      if (isValidLei(value)) return ['lei', value];
      // "Legal Entity Number 851683897" is a national company number; a 20-character code with a
      // wrong check is a mistyped LEI that must not match any real one.
      const compact = value.replace(/\s+/g, '').toUpperCase();
      return LEI_SHAPE.test(compact) ? ['other', value] : ['registration', value];
    }
    case 'duns':
      return ['duns', value.replace(/[\s-]/g, '')];
    case 'registration':
      // Chinese companies' registration numbers are often their USCC; the check character keeps an
      // 18-digit number from elsewhere from being taken for one.
      if ((country === undefined || CHINA.has(country)) && looksLikeUscc(value) && validateUscc(value).ok) {
        return ['uscc', normalizeUscc(value)];
      }
      return ['registration', value];
    default:
      return [scheme, value];
  }
}
