import { describe, expect, it } from 'vitest';
import { SourceSettingsError } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { customSourceAdapter as adapter } from '../../../libs/sources/src/custom/custom-source.adapter';
import {
  customFieldReferences,
  describeCustomSettingsSchema,
  parseCustomSourceSettings,
} from '../../../libs/sources/src/custom/custom-source.settings';

const FIELDS = { name: '企业名称' };

function settingsError(settings: unknown): string {
  try {
    adapter.parseSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceSettingsError);
    return (error as Error).message;
  }
  throw new Error('the settings were accepted');
}

describe('custom source settings', () => {
  it('normalises a full table mapping and derives the default key from identifiers, listing date and name', () => {
    const settings = parseCustomSourceSettings({
      format: 'csv',
      encoding: 'GBK',
      headerRow: 2,
      fields: {
        name: ['企业名称', '名称'],
        aliases: '曾用名',
        nameLang: 'zh',
        identifiers: [
          { scheme: 'uscc', field: '统一社会信用代码' },
          { scheme: 'registration', field: '注册号' },
          { fromText: '备注' },
        ],
        listedOn: '列入日期',
        reason: '列入原因',
        authority: ' 决定机关 ',
        country: { value: '中国' },
        entityType: { value: 'Organization' },
        programs: { value: '经营异常名录' },
      },
      listKind: 'abnormal_operations',
    });
    expect(settings).toEqual({
      format: 'csv',
      encoding: 'gb18030',
      headerRow: 2,
      fields: {
        name: ['企业名称', '名称'],
        aliases: ['曾用名'],
        nameLang: 'zh',
        identifiers: [
          { scheme: 'uscc', field: '统一社会信用代码' },
          { scheme: 'registration', field: '注册号' },
          { fromText: '备注' },
        ],
        listedOn: ['列入日期'],
        delistedOn: [],
        reason: { fields: ['列入原因'] },
        authority: { fields: ['决定机关'] },
        country: { value: 'CN' },
        entityType: { value: 'organization' },
        programs: { value: '经营异常名录' },
      },
      key: ['统一社会信用代码', '注册号', '列入日期', '企业名称', '名称'],
      listKind: 'abnormal_operations',
    });
    expect(customFieldReferences(settings).map((r) => `${r.field} <- ${r.setting}`)).toEqual([
      '企业名称 <- settings.fields.name[0]',
      '名称 <- settings.fields.name[1]',
      '曾用名 <- settings.fields.aliases',
      '统一社会信用代码 <- settings.fields.identifiers[0].field',
      '注册号 <- settings.fields.identifiers[1].field',
      '备注 <- settings.fields.identifiers[2].fromText',
      '列入日期 <- settings.fields.listedOn',
      '列入原因 <- settings.fields.reason',
      '决定机关 <- settings.fields.authority',
    ]);
  });

  it('accepts json, jsonl and xml paths', () => {
    expect(
      adapter.parseSettings({ format: 'json', recordPath: '', fields: { name: 'entity.name' }, key: 'id' }),
    ).toMatchObject({ recordPath: '', key: ['id'] });
    expect(adapter.parseSettings({ format: 'jsonl', fields: { name: 'name' } })).toMatchObject({ key: ['name'] });
    expect(
      adapter.parseSettings({
        format: 'xml',
        recordPath: 'list/item',
        fields: { name: 'name', identifiers: [{ scheme: 'lei', field: 'ids/id@value' }] },
        key: ['@id', 'ids/id/@type'],
      }),
    ).toMatchObject({ recordPath: 'list/item', key: ['@id', 'ids/id/@type'] });
  });

  it.each([
    [{}, 'settings.format must be one of csv, tsv, xlsx, json, jsonl, xml; got nothing'],
    ['csv', 'settings must be a JSON object; got "csv"'],
    [{ format: 'xls', fields: FIELDS }, 'settings.format must be one of csv, tsv, xlsx, json, jsonl, xml; got "xls"'],
    [
      { format: 'csv', fields: FIELDS, recordpath: 'x' },
      'settings: unknown key "recordpath" (known keys: format, encoding, sheet, headerRow, recordPath, fields, key, listKind)',
    ],
    [{ format: 'csv' }, 'settings.fields is required'],
    [{ format: 'csv', fields: {} }, 'settings.fields.name is required'],
    [{ format: 'csv', fields: { name: [] } }, 'settings.fields.name must be a field name or a non-empty array'],
    [
      { format: 'csv', fields: { name: '企业名称', listedon: '列入日期' } },
      'settings.fields: unknown key "listedon" (known keys: name, aliases, nameLang, identifiers, listedOn,',
    ],
    [{ format: 'json', fields: FIELDS }, 'settings.recordPath is required for json and xml'],
    [{ format: 'xml', fields: FIELDS }, 'settings.recordPath is required for json and xml'],
    [
      { format: 'csv', recordPath: 'data', fields: FIELDS },
      'settings.recordPath applies only to json and xml, not csv',
    ],
    [{ format: 'json', recordPath: 'data..list', fields: FIELDS }, 'settings.recordPath must be dot-separated keys'],
    [{ format: 'xml', recordPath: 'list item', fields: FIELDS }, 'settings.recordPath must be an element path'],
    [
      { format: 'csv', encoding: 'big5', fields: FIELDS },
      'settings.encoding must be one of auto, utf-8, gb18030, gbk; got "big5"',
    ],
    [{ format: 'xlsx', encoding: 'gbk', fields: FIELDS }, 'settings.encoding does not apply to xlsx'],
    [{ format: 'csv', sheet: 'Sheet1', fields: FIELDS }, 'settings.sheet applies only to xlsx, not csv'],
    [{ format: 'xlsx', headerRow: 0, fields: FIELDS }, 'settings.headerRow must be a whole number from 1 to 1000'],
    [
      { format: 'json', recordPath: '', headerRow: 1, fields: FIELDS },
      'settings.headerRow applies only to csv, tsv and xlsx',
    ],
    [
      {
        format: 'csv',
        fields: {
          name: 'a',
          identifiers: [
            { scheme: 'uscc', field: 'b' },
            { scheme: 'usci', field: 'c' },
          ],
        },
      },
      'settings.fields.identifiers[1].scheme must be one of uscc, lei, registration, tax, duns, imo, other; got "usci"',
    ],
    [
      { format: 'csv', fields: { name: 'a', identifiers: [{ field: 'b' }] } },
      'settings.fields.identifiers[0].scheme is required',
    ],
    [
      { format: 'csv', fields: { name: 'a', identifiers: [{ scheme: 'uscc', fromText: 'b' }] } },
      'settings.fields.identifiers[0] must have either "fromText"',
    ],
    [
      { format: 'csv', fields: { name: 'a', identifiers: [{ scheme: 'uscc', column: 'b' }] } },
      'settings.fields.identifiers[0]: unknown key "column" (known keys: scheme, field, fromText)',
    ],
    [
      { format: 'csv', fields: { name: 'a', identifiers: { scheme: 'uscc' } } },
      'settings.fields.identifiers must be an array',
    ],
    [
      { format: 'csv', fields: { name: 'a', country: { value: 'Atlantis' } } },
      'settings.fields.country.value must be an ISO',
    ],
    [
      { format: 'csv', fields: { name: 'a', entityType: { value: 'company' } } },
      'settings.fields.entityType.value must be one of organization, person, vessel, aircraft, unknown; got "company"',
    ],
    [
      { format: 'csv', fields: { name: 'a', reason: { value: '' } } },
      'settings.fields.reason.value must be a non-empty string',
    ],
    [{ format: 'csv', fields: { name: 'a', reason: { field: 'x' } } }, 'settings.fields.reason: unknown key "field"'],
    [{ format: 'csv', fields: { name: 'a', reason: 3 } }, 'settings.fields.reason must be a field name, an array'],
    [{ format: 'csv', fields: { name: 'a', nameLang: 'Chinese!' } }, 'settings.fields.nameLang must be a language tag'],
    [{ format: 'csv', fields: { name: ['a', 'a'] } }, 'settings.fields.name[1] repeats the field "a"'],
    [
      { format: 'jsonl', fields: { name: 'entity..name' } },
      'settings.fields.name must be a key or dot-separated key path',
    ],
    [
      { format: 'xml', recordPath: 'item', fields: { name: 'a b' } },
      'settings.fields.name must be a child element or attribute path',
    ],
    [{ format: 'csv', fields: FIELDS, key: [] }, 'settings.key must be a field name or a non-empty array'],
    [
      { format: 'csv', fields: FIELDS, listKind: 'blacklist' },
      'settings.listKind must be one of sanctions, export_control',
    ],
  ])('rejects %j with a message naming the setting', (settings, message) => {
    expect(settingsError(settings)).toContain(message);
  });

  it('describes the accepted settings for the API docs', () => {
    const text = describeCustomSettingsSchema();
    for (const word of [
      'format',
      'encoding',
      'recordPath',
      'fields.name',
      'fields.identifiers',
      'fromText',
      'key',
      'listKind',
    ]) {
      expect(text).toContain(word);
    }
  });
});
