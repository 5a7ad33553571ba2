/**
 * The China credit lists as exported tables and as JSON lookup responses. Each field lists the
 * official Chinese header first, then variants seen in provincial exports and portals, then the
 * JSON field names of the services that publish the list. Sources of the JSON names:
 * - gsxt (国家企业信用信息公示系统) lookups: entname, uniscid, regno, speCause_CN/specause,
 *   serILLRea_CN, abntime, decOrg_CN/decorg, remExcpRes_CN/remexcpres, remDate, reDecOrg_CN/redecorg,
 *   as read by public crawlers (e.g. the field table "ExceptionInformationDesc" /
 *   "IllegalInformationDesc" in GitHub code search; gsxt JSON consumers reading
 *   `object.get("specause")`, `get("remexcpres")`, `get("remdate")`, `get("decorg")`).
 * - Credit China (信用中国, public.creditchina.gov.cn/private-api) responses
 *   `{status, data: {total, list}}` whose list items wrap an `entity` with `columnList` and
 *   `sencesMap` (labels): penalties use the 双公示 cf_* names cf_wsh, cf_xdr_mc, cf_xdr_shxym,
 *   cf_cflb1, cf_jg, cf_cfjg, cf_jdrq, cf_sy, cf_yj, cf_qx (Zicaibucai/creditchina-monitor
 *   creditchina_merged/crawler.py and tests/test_current_crawler.py @ 22502337); the older API's
 *   camelCase cfXdrMc, cfWsh, cfXzjg fold to the same names. The 双公示 data standard's fields
 *   cf_nr, cf_nr_fk (罚款金额（万元）), cf_yxq (处罚有效期), cf_gsjzq (公示截止期), cf_xdr_lb
 *   (行政相对人类别), cf_xdr_zdm, cf_xdr_gsdj, cf_xdr_swdj are as labelled in provincial 双公示
 *   loaders on GitHub (e.g. a Beijing 市场监管 penalty reader mapping CF_NR_FK to 罚款金额（万元）).
 *   The old API's redlist and blacklist records used Chinese keys (纳税人名称, 评价年度,
 *   失信被执行人名称, 被执行人的履行情况, 失信被执行人具体情形...), which the Chinese aliases cover.
 * - Court defaulter records of the Baidu open-data service (iname, caseCode, cardNum, courtName,
 *   areaName, gistId, gistUnit, duty, performance, disruptTypeName, publishDate, regDate,
 *   businessEntity; see ../shared/data/cn-registry/MANIFEST.md) and QCC's ShiXinItems (Anno,
 *   Orgno, Executegov, Executestatus, Actionremark, Publicdate, Liandate, Yiwu, Executeno,
 *   Executeunite, Isperson, Age, Sexy).
 */
import { CN_ABNORMAL_OPERATIONS_COLUMNS } from '../cn-abnormal-operations/cn-abnormal-operations.parser';
import type { CnCreditList, CnCreditListProfile, FieldAlias, ListingFacts, RowReader } from './cn-credit-list.profile';

const USCC_JSON: readonly FieldAlias[] = ['uniscid', 'creditCode', 'tyshxydm', 'shxydm', 'accurate_entity_code'];
const NAME_JSON: readonly FieldAlias[] = ['entname', 'qymc', 'jgmc', 'accurate_entity_name_query'];

/** 经营异常名录, for JSON lookups only: its tables have their own adapter (cn-abnormal-operations). */
export const ABNORMAL_OPERATIONS_PROFILE: CnCreditListProfile = {
  list: 'abnormal_operations',
  listKind: 'abnormal_operations',
  title: '经营异常名录',
  fields: {
    uscc: [...CN_ABNORMAL_OPERATIONS_COLUMNS.uscc, ...USCC_JSON],
    registrationNo: [...CN_ABNORMAL_OPERATIONS_COLUMNS.registrationNo, 'regno'],
    name: [...CN_ABNORMAL_OPERATIONS_COLUMNS.name, ...NAME_JSON],
    reason: [...CN_ABNORMAL_OPERATIONS_COLUMNS.reason, 'speCause_CN', 'specause', 'AddReason'],
    listedOn: [...CN_ABNORMAL_OPERATIONS_COLUMNS.listedOn, 'abntime', 'AddDate'],
    authority: [...CN_ABNORMAL_OPERATIONS_COLUMNS.authority, 'decOrg_CN', 'decorg', 'DecisionOffice'],
    removalReason: [
      ...CN_ABNORMAL_OPERATIONS_COLUMNS.removalReason,
      'remExcpRes_CN',
      'remexcpres',
      'RemoveReason',
      // QCC's own spelling.
      'RomoveReason',
    ],
    removedOn: [...CN_ABNORMAL_OPERATIONS_COLUMNS.removedOn, 'remDate', 'RemoveDate'],
    removalAuthority: [
      ...CN_ABNORMAL_OPERATIONS_COLUMNS.removalAuthority,
      'reDecOrg_CN',
      'redecorg',
      'RemoveDecisionOffice',
    ],
  },
  required: [['name'], ['listedOn'], ['uscc', 'registrationNo']],
  nameField: 'name',
  identifiers: [
    { field: 'uscc', otherwise: 'registration' },
    { field: 'registrationNo', otherwise: 'registration' },
  ],
  listing: (row, context) => {
    const listedOn = context.date('listedOn');
    const reason = row.get('reason');
    const authority = row.get('authority');
    // The same identity as the cn-abnormal-operations table adapter, so both describe one entry alike.
    return {
      keyParts: [context.identifier, listedOn, reason, authority],
      listedOn,
      reason,
      authority,
      delisting: removal(row, context.date('removedOn'), 'removalReason', 'removalAuthority'),
    };
  },
};

/** 严重违法失信名单 (formerly 严重违法失信企业名单, the "blacklist"). */
export const SERIOUS_ILLEGAL_DISHONEST_PROFILE: CnCreditListProfile = {
  list: 'serious_illegal_dishonest',
  listKind: 'serious_illegal_dishonest',
  title: '严重违法失信名单',
  fields: {
    uscc: ['统一社会信用代码', '统一社会信用代码/注册号', '注册号/统一社会信用代码', '社会信用代码', ...USCC_JSON],
    registrationNo: ['注册号', 'regno'],
    name: ['企业名称', '市场主体名称', '当事人名称', '名称', ...NAME_JSON],
    reason: [
      '列入严重违法失信名单(黑名单)原因',
      '列入严重违法失信企业名单(黑名单)原因',
      '列入严重违法失信名单原因',
      '列入严重违法失信企业名单原因',
      '列入原因',
      '列入事由',
      'serILLRea_CN',
      'serillrea',
      'speCause_CN',
      'specause',
    ],
    listedOn: ['列入日期', '列入时间', '列入严重违法失信名单日期', 'abntime'],
    authority: [
      '作出决定机关(列入)',
      '作出列入决定机关',
      '列入决定机关',
      '作出决定机关',
      '决定机关',
      'decOrg_CN',
      'decorg',
    ],
    removalReason: [
      '移出严重违法失信名单(黑名单)原因',
      '移出严重违法失信企业名单(黑名单)原因',
      '移出严重违法失信名单原因',
      '移出严重违法失信企业名单原因',
      '移出原因',
      'remExcpRes_CN',
      'remexcpres',
    ],
    removedOn: ['移出日期', '移出时间', 'remDate'],
    removalAuthority: ['作出决定机关(移出)', '作出移出决定机关', '移出决定机关', 'reDecOrg_CN', 'redecorg'],
  },
  required: [['name'], ['listedOn'], ['uscc', 'registrationNo']],
  nameField: 'name',
  identifiers: [
    { field: 'uscc', otherwise: 'registration' },
    { field: 'registrationNo', otherwise: 'registration' },
  ],
  listing: (row, context) => {
    const listedOn = context.date('listedOn');
    const reason = row.get('reason');
    const authority = row.get('authority');
    return {
      // Identity only: removal fields change the row, not which listing it is.
      keyParts: [context.identifier, listedOn, reason, authority],
      listedOn,
      reason,
      authority,
      delisting: removal(row, context.date('removedOn'), 'removalReason', 'removalAuthority'),
    };
  },
};

/** 履行情况 values that mean the defaulter has performed the judgment in full. */
const FULLY_PERFORMED = /^(?:已)?(?:全部)?履行(?:完毕)?$/;

/** 失信被执行人 (court dishonest judgment defaulters), companies only. */
export const COURT_DEFAULTERS_PROFILE: CnCreditListProfile = {
  list: 'court_defaulter',
  listKind: 'court_defaulter',
  title: '失信被执行人',
  fields: {
    name: [
      '被执行人名称',
      '失信被执行人名称',
      '被执行人姓名/名称',
      '被执行人',
      '企业名称',
      'iname',
      'pname',
      ...NAME_JSON,
    ],
    uscc: ['统一社会信用代码', ...USCC_JSON],
    idNumber: [
      '证件号码',
      '证件号码/统一社会信用代码',
      '身份证号码/组织机构代码',
      '组织机构代码/身份证号码',
      '身份证号码/工商注册号',
      '证照号码',
      'cardNum',
      'partyCardNum',
    ],
    orgCode: ['组织机构代码', 'orgNo', 'orgcode'],
    court: ['执行法院', 'courtName', 'Executegov'],
    caseNo: ['案号', '执行案号', 'caseCode', 'Anno', 'ah'],
    filedOn: ['立案时间', '立案日期', 'regDate', 'Liandate'],
    publishedOn: ['发布时间', '发布日期', '公布日期', 'publishDate', 'Publicdate'],
    behaviour: [
      '失信被执行人行为具体情形',
      '失信被执行人具体情形',
      '失信行为具体情形',
      '失信情形',
      'disruptTypeName',
      'disreputTypeName',
      'Actionremark',
    ],
    performance: ['履行情况', '被执行人的履行情况', '被执行人履行情况', 'performance', 'Executestatus'],
    duty: ['生效法律文书确定的义务', '法律生效文书确定的义务', 'duty', 'Yiwu'],
    province: ['省份', '地域名称', '所在省份', 'areaName', 'Province'],
    basisNo: ['执行依据文号', 'gistId', 'Executeno'],
    basisUnit: ['做出执行依据单位', '作出执行依据单位', 'gistUnit', 'Executeunite'],
    sex: ['性别', 'sexName', 'sexy', 'sex'],
    age: ['年龄', 'age'],
    isPerson: ['是否自然人', 'isPerson'],
  },
  required: [['name'], ['caseNo'], ['court'], ['idNumber', 'uscc', 'orgCode']],
  nameField: 'name',
  identifiers: [
    { field: 'uscc', otherwise: 'registration' },
    { field: 'idNumber', otherwise: 'registration', mayHoldPersonalId: true },
    { field: 'orgCode', otherwise: 'registration', mayHoldPersonalId: true },
  ],
  personHints: { sex: 'sex', age: 'age', isPerson: 'isPerson' },
  privateFields: ['sex', 'age'],
  listing: (row, context) => {
    const caseNo = row.get('caseNo');
    if (!caseNo) context.problems.push(`${row.label('caseNo')} is empty`);
    context.date('filedOn');
    const performance = row.get('performance');
    const facts: ListingFacts = {
      // One case can list several defaulters, so the name joins the case number.
      keyParts: [caseNo, context.name],
      listedOn: context.date('publishedOn'),
      reason: row.get('behaviour'),
      authority: row.get('court'),
    };
    if (performance && FULLY_PERFORMED.test(performance)) facts.delisting = { reason: performance };
    return facts;
  },
};

/** 重大税收违法失信主体 (major tax violators; before 2022 重大税收违法案件当事人名单). */
export const MAJOR_TAX_VIOLATORS_PROFILE: CnCreditListProfile = {
  list: 'tax_violation',
  listKind: 'tax_violation',
  title: '重大税收违法失信主体',
  fields: {
    name: ['纳税人名称', '当事人名称', '企业名称', 'nsrmc', ...NAME_JSON],
    taxId: [
      '纳税人识别号',
      '纳税人识别号/统一社会信用代码',
      '统一社会信用代码(纳税人识别号)',
      '纳税人识别号或社会信用代码',
      'nsrsbh',
    ],
    uscc: ['统一社会信用代码', '社会信用代码', ...USCC_JSON],
    orgCode: ['组织机构代码', 'zzjgdm'],
    address: ['注册地址', '注册经营地址', '经营地点', 'zcdz'],
    legalRepresentative: ['法定代表人或者负责人姓名', '法定代表人或负责人姓名', '法定代表人姓名', '法定代表人'],
    caseNature: ['案件性质', 'ajxz'],
    facts: ['主要违法事实', '主要违法事实及相关法律依据', 'zywfss'],
    punishment: ['相关法律依据及税务处理处罚情况', '相关法律依据及处理处罚情况', '处理处罚情况'],
    authority: ['公布机关', '检查机关', '公布单位', '税务机关', '所属税务机关'],
    publishedOn: ['公布日期', '发布日期', '公布时间', '发布时间'],
    personalIds: [
      /证件号码|身份证/,
      // "法定代表人或者负责人性别、证件名称及号码" and the like.
      /证件名称及号码/,
    ],
  },
  required: [['name'], ['taxId', 'uscc', 'orgCode'], ['caseNature']],
  nameField: 'name',
  identifiers: [
    { field: 'uscc', otherwise: 'registration' },
    // Natural persons are listed under their ID number as taxpayer number.
    { field: 'taxId', otherwise: 'tax', mayHoldPersonalId: true },
    { field: 'orgCode', otherwise: 'registration' },
  ],
  privateFields: ['personalIds'],
  listing: (row, context) => {
    const caseNature = row.get('caseNature');
    const authority = row.get('authority');
    const publishedOn = context.date('publishedOn');
    // The legal representative stays an attribute as published: a person's name is no identifier.
    return {
      keyParts: [context.identifier, caseNature, authority, publishedOn],
      listedOn: publishedOn,
      reason: caseNature,
      authority,
    };
  },
};

/** 行政处罚 as published under 双公示 (Credit China's cf_* fields). */
export const ADMIN_PENALTIES_PROFILE: CnCreditListProfile = {
  list: 'admin_penalty',
  listKind: 'admin_penalty',
  title: '行政处罚',
  fields: {
    name: ['行政相对人名称', '处罚对象名称', '被处罚单位名称', '当事人名称', '企业名称', 'cf_xdr_mc', ...NAME_JSON],
    uscc: [
      '相对人统一社会信用代码',
      '行政相对人代码_1(统一社会信用代码)',
      '统一社会信用代码',
      'cf_xdr_shxym',
      /^行政相对人代码\d*\(?统一社会信用代码\)?$/,
      ...USCC_JSON,
    ],
    registrationNo: [
      '工商注册号',
      '工商登记码',
      'cf_xdr_gsdj',
      'cf_xdr_gszc',
      /^行政相对人代码\d*\(?工商(?:注册号|登记码)\)?$/,
    ],
    orgCode: ['组织机构代码', 'cf_xdr_zdm', 'cf_xdr_zzjg', /^行政相对人代码\d*\(?组织机构代码\)?$/],
    taxId: ['税务登记号', 'cf_xdr_swdj', /^行政相对人代码\d*\(?税务登记号\)?$/],
    subjectType: ['行政相对人类别', '相对人类别', 'cf_xdr_lb'],
    personalId: [
      '相对人证件号码',
      '证件号码',
      '身份证号',
      'cf_xdr_sfz',
      'cf_xdr_zjhm',
      /^行政相对人代码\d*\(?(?:相对人)?(?:证件号码|身份证号?)\)?$/,
    ],
    legalRepresentativeId: ['法定代表人证件号码', '法定代表人身份证号', 'cf_fr_zjhm', 'cf_fr_sfz'],
    docNo: ['决定书文号', '行政处罚决定书文号', '处罚决定书文号', '文书号', 'cf_wsh'],
    category: ['处罚类别', '处罚类别1', '处罚种类', 'cf_cflb', 'cf_cflb1'],
    content: ['处罚内容', '处罚结果', 'cf_nr', 'cf_jg'],
    cause: ['违法行为类型', '处罚事由', '违法事实', 'cf_wfxw', 'cf_sy'],
    fineInTenThousands: ['罚款金额(万元)', 'cf_nr_fk'],
    fineInYuan: ['罚款金额(元)', '罚款金额'],
    decidedOn: ['处罚决定日期', '决定日期', '作出行政处罚决定日期', '处罚日期', 'cf_jdrq'],
    authority: ['处罚机关', '作出行政处罚决定机关名称', '处罚决定机关', '执法机关', 'cf_xzjg', 'cf_cfjg'],
    validUntil: ['处罚有效期', 'cf_yxq'],
    publicUntil: ['公示截止期', '公示截止日期', 'cf_gsjzq'],
  },
  required: [['name'], ['docNo'], ['decidedOn'], ['uscc', 'registrationNo', 'orgCode', 'taxId']],
  nameField: 'name',
  identifiers: [
    { field: 'uscc', otherwise: 'registration' },
    { field: 'registrationNo', otherwise: 'registration' },
    { field: 'orgCode', otherwise: 'registration' },
    { field: 'taxId', otherwise: 'tax' },
  ],
  personHints: { subjectType: 'subjectType', personalId: 'personalId' },
  privateFields: ['personalId', 'legalRepresentativeId'],
  listing: (row, context) => {
    const docNo = row.get('docNo');
    if (!docNo) context.problems.push(`${row.label('docNo')} is empty`);
    const facts: ListingFacts = {
      keyParts: [docNo, context.identifier],
      listedOn: context.date('decidedOn'),
      reason: row.get('cause') ?? row.get('content'),
      authority: row.get('authority'),
      attributes: penaltySeverityHints(row),
    };
    // Penalties are published for a fixed period; once it has passed the registry no longer shows
    // the penalty, which is what a delisting means here. "长期" and the like are no date: still shown.
    const publicUntil = row.date('publicUntil').iso;
    if (publicUntil && publicUntil < context.today) {
      facts.delisting = { on: publicUntil, reason: `公示截止期 ${publicUntil} 已过` };
    }
    return facts;
  },
};

/** Fixed attribute names for the penalty's weight, whatever the export called its columns. */
export const PENALTY_CATEGORY_ATTRIBUTE = '处罚类别';
export const PENALTY_FINE_ATTRIBUTE = '罚款金额(万元)';

/** A fine stated in the penalty's content: "罚款:70000元", "罚款人民币5万元". */
const FINE_IN_TEXT = /罚款(?:人民币)?[:\s]*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万)?元/;

/** The fine in 万元 (the unit of the 双公示 standard's 罚款金额 column), from a column or the content. */
function fineInTenThousands(row: RowReader): string | undefined {
  const stated = row.get('fineInTenThousands');
  if (stated) return stated;
  const toTenThousands = (yuan: string): string | undefined => {
    const amount = Number(yuan.replace(/[,\s元]/g, ''));
    return Number.isFinite(amount) ? String(amount / 10_000) : undefined;
  };
  const inYuan = row.get('fineInYuan');
  if (inYuan) return toTenThousands(inYuan);
  const match = row.get('content')?.normalize('NFKC').match(FINE_IN_TEXT);
  if (!match?.[1]) return undefined;
  return match[2] ? match[1].replace(/,/g, '') : toTenThousands(match[1]);
}

function penaltySeverityHints(row: RowReader): Record<string, string> {
  const hints: Record<string, string> = {};
  const category = row.get('category');
  if (category) hints[PENALTY_CATEGORY_ATTRIBUTE] = category;
  const fine = fineInTenThousands(row);
  if (fine) hints[PENALTY_FINE_ATTRIBUTE] = fine;
  return hints;
}

/** A级纳税人 (taxpayers rated A for a year): a redlist, so leaving it is the signal. */
export const A_GRADE_TAXPAYERS_PROFILE: CnCreditListProfile = {
  list: 'redlist',
  listKind: 'redlist',
  title: 'A级纳税人',
  fields: {
    taxId: [
      '纳税人识别号',
      '纳税人识别号/统一社会信用代码',
      '统一社会信用代码',
      '社会信用代码',
      'nsrsbh',
      ...USCC_JSON,
    ],
    name: ['纳税人名称', '企业名称', 'nsrmc', ...NAME_JSON],
    year: ['评价年度', '评定年度', '年度', 'pjnd'],
    grade: ['纳税信用级别', '纳税信用等级', '信用级别', '信用等级'],
    authority: ['评价机关', '主管税务机关', '税务机关'],
  },
  required: [['taxId'], ['name'], ['year']],
  nameField: 'name',
  identifiers: [{ field: 'taxId', otherwise: 'tax', mayHoldPersonalId: true }],
  listing: (row, context) => {
    const yearRaw = row.get('year');
    const year = yearRaw?.normalize('NFKC').match(/^(\d{4})\s*年?(?:度)?$/)?.[1];
    if (!yearRaw) context.problems.push(`${row.label('year')} is empty`);
    else if (!year) context.problems.push(`${row.label('year')} "${yearRaw}" is not a year`);
    const grade = row.get('grade')?.replace(/级$/, '');
    return {
      keyParts: [context.identifier, year],
      reason: `${year ?? ''}年度纳税信用${grade ?? 'A'}级`,
      authority: row.get('authority'),
    };
  },
};

function removal(
  row: RowReader,
  removedOn: string | undefined,
  reasonField: string,
  authorityField: string,
): ListingFacts['delisting'] {
  // A removal reason without a date still means the registry has taken the company off the list.
  const reason = row.get(reasonField);
  if (!removedOn && !reason) return undefined;
  const delisting: NonNullable<ListingFacts['delisting']> = {};
  if (removedOn) delisting.on = removedOn;
  if (reason) delisting.reason = reason;
  const authority = row.get(authorityField);
  if (authority) delisting.authority = authority;
  return delisting;
}

/** The profiles by list, for the adapters that serve several lists. */
export const CN_CREDIT_LIST_PROFILES: Readonly<Record<CnCreditList, CnCreditListProfile>> = {
  abnormal_operations: ABNORMAL_OPERATIONS_PROFILE,
  serious_illegal_dishonest: SERIOUS_ILLEGAL_DISHONEST_PROFILE,
  court_defaulter: COURT_DEFAULTERS_PROFILE,
  tax_violation: MAJOR_TAX_VIOLATORS_PROFILE,
  admin_penalty: ADMIN_PENALTIES_PROFILE,
  redlist: A_GRADE_TAXPAYERS_PROFILE,
};
