import type { ListKind } from '@partnerwatch/domain';

/**
 * The CSL merges lists of different meaning; its `source` column names each row's list as
 * "Entity List (EL) - Bureau of Industry and Security". The abbreviation decides the list kind.
 */
export interface CslList {
  /** The list's abbreviation ("EL", "SDN", "NS-MBS"), or the whole source text when it has none. */
  code: string;
  /** Undefined for a list this table does not know: the source's own list kind applies. */
  listKind?: ListKind;
  /** The agency part of the source text ("Bureau of Industry and Security"), as published. */
  authority?: string;
}

const LIST_KIND_BY_CODE: Readonly<Record<string, ListKind>> = {
  // Commerce (BIS): licence requirements, not blocking.
  EL: 'export_control',
  MEU: 'export_control',
  UVL: 'export_control',
  DPL: 'export_control',
  // Treasury (OFAC) and State nonproliferation: sanctions programmes.
  SDN: 'sanctions',
  SSI: 'sanctions',
  FSE: 'sanctions',
  PLC: 'sanctions',
  CMIC: 'sanctions',
  CAP: 'sanctions',
  'NS-MBS': 'sanctions',
  'NS-ISA': 'sanctions',
  '561': 'sanctions',
  ISN: 'sanctions',
  // State (DDTC): parties debarred from defence trade.
  DTC: 'debarment',
};

/** When a new list appears under a known agency, the agency says what kind of list it is. */
const LIST_KIND_BY_AGENCY: Readonly<Record<string, ListKind>> = {
  'bureau of industry and security': 'export_control',
  'treasury department': 'sanctions',
};

/** Lists whose source text has no abbreviation in parentheses. */
const CODE_BY_NAME: Readonly<Record<string, string>> = {
  'nonproliferation sanctions': 'ISN',
  'foreign sanctions evaders': 'FSE',
  'entity list': 'EL',
  'military end user list': 'MEU',
  'unverified list': 'UVL',
  'denied persons list': 'DPL',
  'specially designated nationals': 'SDN',
  'itar debarred': 'DTC',
};

const LIST_CODE = /^[A-Z0-9-]{2,12}$/;

/**
 * The last parenthesised code in the list's name: "Entity List (EL)", "Military End User (MEU) List",
 * "(NS-MBS List)" as "NS-MBS". Bare codes ("EL", "SDN") stand for themselves.
 */
function abbreviation(name: string): string | undefined {
  let found: string | undefined;
  for (const match of name.matchAll(/\(([^()]+)\)/g)) {
    const code = match[1]!.replace(/\s+list$/i, '').trim();
    if (LIST_CODE.test(code)) found = code;
  }
  return found;
}

export function cslList(source: string): CslList {
  const text = source.trim();
  const dash = text.lastIndexOf(' - ');
  const name = dash >= 0 ? text.slice(0, dash).trim() : text;
  const agency = dash >= 0 ? text.slice(dash + 3).trim() : undefined;

  const code = abbreviation(name) ?? CODE_BY_NAME[name.toLowerCase()] ?? (LIST_CODE.test(name) ? name : text);

  const list: CslList = { code };
  const kind =
    LIST_KIND_BY_CODE[code.toUpperCase()] ?? (agency ? LIST_KIND_BY_AGENCY[agency.toLowerCase()] : undefined);
  if (kind) list.listKind = kind;
  if (agency) list.authority = agency;
  return list;
}
