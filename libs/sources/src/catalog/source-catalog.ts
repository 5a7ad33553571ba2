import type { ListKind } from '@partnerwatch/domain';

/**
 * Built-in public sources with their official download locations. The worker creates them
 * (disabled unless SOURCES_ENABLED names them) so an operator turns a list on rather than types
 * its URL; SOURCES_FILE or the API can point any of them elsewhere. Sources without a stable bulk
 * export (China's credit lists are published per province, or only as per-company lookups) are
 * templates: they have no URL until one is configured.
 */
export interface CatalogSource {
  key: string;
  name: string;
  adapter: string;
  listKind: ListKind;
  /** Official download location; null when each deployment must supply one. */
  url: string | null;
  settings: Record<string, unknown>;
  intervalSeconds: number;
  note?: string;
}

const OFAC = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports';
const HOUR = 3600;

export const SOURCE_CATALOG: readonly CatalogSource[] = [
  {
    key: 'ofac-sdn',
    name: 'OFAC Specially Designated Nationals (SDN) list',
    adapter: 'ofac-sdn-csv',
    listKind: 'sanctions',
    url: `${OFAC}/SDN.CSV`,
    settings: { altUrl: `${OFAC}/ALT.CSV`, addUrl: `${OFAC}/ADD.CSV`, commentsUrl: `${OFAC}/SDN_COMMENTS.CSV` },
    intervalSeconds: HOUR,
  },
  {
    key: 'ofac-consolidated',
    name: 'OFAC Consolidated (non-SDN) sanctions list',
    adapter: 'ofac-consolidated-csv',
    listKind: 'sanctions',
    url: `${OFAC}/CONS_PRIM.CSV`,
    settings: {
      altUrl: `${OFAC}/CONS_ALT.CSV`,
      addUrl: `${OFAC}/CONS_ADD.CSV`,
      commentsUrl: `${OFAC}/CONS_COMMENTS.CSV`,
    },
    intervalSeconds: HOUR,
  },
  {
    key: 'us-csl',
    name: 'US Consolidated Screening List (Entity List, MEU, UVL, DPL, SDN and more)',
    adapter: 'us-csl-csv',
    listKind: 'export_control',
    url: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv',
    settings: {},
    intervalSeconds: HOUR,
    note: 'List kind per entry from its source column: Entity List, MEU, UVL and DPL are export controls.',
  },
  {
    key: 'un-consolidated',
    name: 'UN Security Council Consolidated List',
    adapter: 'un-consolidated-xml',
    listKind: 'sanctions',
    url: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
    settings: {},
    intervalSeconds: HOUR,
  },
  {
    key: 'eu-fsf',
    name: 'EU Financial Sanctions Files (consolidated list)',
    adapter: 'eu-fsf-xml',
    listKind: 'sanctions',
    url: 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw',
    settings: {},
    intervalSeconds: HOUR,
  },
  {
    key: 'uk-sanctions',
    name: 'UK Sanctions List (FCDO)',
    adapter: 'uk-sanctions-csv',
    listKind: 'sanctions',
    url: 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv',
    settings: {},
    intervalSeconds: HOUR,
  },
  {
    key: 'bis-dpl',
    name: 'BIS Denied Persons List',
    adapter: 'bis-dpl',
    listKind: 'export_control',
    url: 'https://www.bis.doc.gov/dpl/dpl.txt',
    settings: {},
    intervalSeconds: 6 * HOUR,
  },
  {
    key: 'world-bank-debarred',
    name: 'World Bank listing of ineligible firms and individuals',
    adapter: 'world-bank-debarred',
    listKind: 'debarment',
    url: null,
    settings: {},
    intervalSeconds: 24 * HOUR,
    note: 'The World Bank publishes the list as an XLSX download from its debarred-firms page; set its URL.',
  },
  {
    key: 'ebrd-ineligible',
    name: 'EBRD ineligible entities',
    adapter: 'ebrd-ineligible',
    listKind: 'debarment',
    url: null,
    settings: {},
    intervalSeconds: 24 * HOUR,
    note: 'The EBRD publishes a CSV export of its ineligible entities page; set its URL.',
  },
  {
    key: 'opensanctions-default',
    name: 'OpenSanctions default collection (with daily deltas)',
    adapter: 'opensanctions-ftm',
    listKind: 'sanctions',
    url: 'https://data.opensanctions.org/datasets/latest/default/entities.ftm.json',
    settings: { indexUrl: 'https://data.opensanctions.org/datasets/latest/default/index.json' },
    intervalSeconds: 6 * HOUR,
    note: 'Commercial use of OpenSanctions data needs a licence.',
  },
  {
    key: 'cn-sanctions',
    name: "China's own lists: MOFCOM Unreliable Entity List, export-control lists, countermeasures (OpenSanctions-curated)",
    adapter: 'cn-sanctions-curated',
    listKind: 'sanctions',
    url: 'https://raw.githubusercontent.com/opensanctions/opensanctions/main/datasets/cn/sanctions/sanctions.csv',
    settings: {},
    intervalSeconds: 12 * HOUR,
  },
  {
    key: 'us-dod-1260h',
    name: 'US DoD 1260H Chinese military companies (OpenSanctions-curated)',
    adapter: 'us-dod-1260h',
    listKind: 'export_control',
    url: 'https://raw.githubusercontent.com/opensanctions/opensanctions/main/datasets/us/dod_chinese_milcorps/sanctions.csv',
    settings: {},
    intervalSeconds: 24 * HOUR,
  },
  ...(
    [
      ['cn-abnormal-operations', '经营异常名录 List of Enterprises with Abnormal Operations', 'abnormal_operations'],
      [
        'cn-serious-illegal-dishonest',
        '严重违法失信名单 Seriously illegal and dishonest entities',
        'serious_illegal_dishonest',
      ],
      ['cn-court-defaulters', '失信被执行人 Court dishonest judgment defaulters', 'court_defaulter'],
      ['cn-major-tax-violators', '重大税收违法失信主体 Major tax violators', 'tax_violation'],
      ['cn-admin-penalties', '行政处罚 Administrative penalties', 'admin_penalty'],
      ['cn-a-grade-taxpayers', 'A级纳税人 A-grade taxpayers (redlist)', 'redlist'],
    ] as const
  ).map(([key, name, listKind]): CatalogSource => ({
    key,
    name,
    adapter: key,
    listKind,
    url: null,
    settings: {},
    intervalSeconds: 24 * HOUR,
    note:
      'Published per province by market regulators, courts and tax bureaux (open-data portals, ' +
      'CSV/TSV/XLSX, UTF-8 or GB18030): set the URL of the table you watch.',
  })),
];

export function catalogSource(key: string): CatalogSource | undefined {
  return SOURCE_CATALOG.find((s) => s.key === key);
}
