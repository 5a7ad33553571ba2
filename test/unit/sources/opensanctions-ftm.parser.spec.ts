import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { recordContentHash } from '@partnerwatch/domain';
import { SourceFormatError, staticParseContext, type ParseItem } from '@partnerwatch/sources';
// Not yet re-exported from @partnerwatch/sources (libs/sources/src/index.ts is edited elsewhere).
import { openSanctionsFtmAdapter as adapter } from '../../../libs/sources/src/opensanctions/opensanctions.adapter';
import { readJsonLines } from '../../../libs/sources/src/opensanctions/json-lines.reader';
import { detectNameLanguage } from '../../../libs/sources/src/opensanctions/ftm-entity.mapper';
import { chunked, collect, errors, records, uscc } from './source-fixtures';

const COMPANY_USCC = uscc('91440300MA5F0XYA1');

const company = {
  id: 'NK-company-1',
  caption: 'Shenzhen Example Technology Co., Ltd.',
  schema: 'Company',
  properties: {
    name: ['Shenzhen Example Technology Co., Ltd.', 'Shenzhen Example Tech'],
    alias: ['深圳示例科技有限公司'],
    previousName: ['Example Trading Co.'],
    weakAlias: ['EXTECH'],
    // Lower case with a space, as some sources publish it: normalised to the code.
    registrationNumber: [`${COMPANY_USCC.slice(0, 9).toLowerCase()} ${COMPANY_USCC.slice(9)}`],
    leiCode: ['5493001KJTIIGC8Y1R12'],
    jurisdiction: ['cn'],
    topics: ['sanction', 'export.control'],
    createdAt: ['2023-10-06', '2021-05-01T00:00:00'],
    notes: ['Added to the Entity List for supporting military modernisation'],
    addressEntity: ['addr-1'],
  },
  referents: ['usgov-123'],
  datasets: ['us_trade_csl', 'eu_fsf'],
  first_seen: '2021-05-02T10:00:00',
  last_seen: '2024-06-01T10:57:03',
  last_change: '2023-10-06T12:00:00',
  target: true,
};

const person = {
  id: 'NK-person-1',
  caption: 'Ivan PETROV',
  schema: 'Person',
  properties: {
    name: ['Ivan PETROV', 'Иван ПЕТРОВ'],
    nationality: ['ru'],
    innCode: ['7707083893'],
    // A person's 18-character tax number is an identity card number, not a USCC.
    taxNumber: ['11010519491231002X'],
    programId: ['RUSSIA-EO14024'],
    summary: ['Director of a sanctioned company'],
  },
  datasets: ['us_ofac_sdn'],
  first_seen: '2022-03-01T08:00:00',
  last_seen: '2024-06-01T10:57:03',
  target: true,
};

const address = {
  id: 'addr-1',
  caption: '1 Example Road, Shenzhen',
  schema: 'Address',
  properties: { full: ['1 Example Road, Shenzhen'], country: ['cn'] },
  datasets: ['us_trade_csl'],
  target: false,
};

const lines = (...values: unknown[]): string => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

async function parseFull(text: string | Buffer, settings: unknown = {}, chunkSize?: number): Promise<ParseItem[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return collect(adapter.parse(chunked(bytes, chunkSize), staticParseContext(adapter.parseSettings(settings))));
}

/** Delta files in plan order, as the pipeline hands them: the first as input, the rest by name. */
async function parseDeltas(files: Record<string, string>, settings: unknown = {}): Promise<ParseItem[]> {
  const resources = Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, () => chunked(Buffer.from(text, 'utf8'), 97)]),
  );
  const first = Object.keys(resources)[0]!;
  const context = staticParseContext(adapter.parseSettings(settings), resources);
  return collect(adapter.parse(context.open(first), context));
}

describe('opensanctions-ftm: FtM entities to list records', () => {
  it('maps a company, a person and skips a non-target address', async () => {
    const items = await parseFull(lines(company, address, person));
    expect(errors(items)).toEqual([]);
    const [c, p] = records(items);
    expect(records(items)).toHaveLength(2);

    expect(c).toEqual({
      key: 'NK-company-1',
      entityType: 'organization',
      programs: ['export.control', 'sanction'],
      names: [
        { value: 'Shenzhen Example Technology Co., Ltd.', kind: 'primary' },
        { value: 'Shenzhen Example Tech', kind: 'alias' },
        { value: '深圳示例科技有限公司', lang: 'zh', kind: 'alias' },
        { value: 'Example Trading Co.', kind: 'alias' },
        { value: 'EXTECH', kind: 'alias' },
      ],
      identifiers: [
        { scheme: 'lei', value: '5493001KJTIIGC8Y1R12' },
        { scheme: 'uscc', value: COMPANY_USCC },
      ],
      country: 'CN',
      listedOn: '2021-05-01',
      reason: 'Added to the Entity List for supporting military modernisation',
      authority: 'eu_fsf; us_trade_csl',
      attributes: {
        addressEntity: 'addr-1',
        alias: '深圳示例科技有限公司',
        createdAt: '2021-05-01T00:00:00; 2023-10-06',
        jurisdiction: 'cn',
        leiCode: '5493001KJTIIGC8Y1R12',
        name: 'Shenzhen Example Tech; Shenzhen Example Technology Co., Ltd.',
        notes: 'Added to the Entity List for supporting military modernisation',
        previousName: 'Example Trading Co.',
        registrationNumber: `${COMPANY_USCC.slice(0, 9).toLowerCase()} ${COMPANY_USCC.slice(9)}`,
        topics: 'export.control; sanction',
        weakAlias: 'EXTECH',
        schema: 'Company',
        datasets: 'eu_fsf; us_trade_csl',
      },
    });

    expect(p).toMatchObject({
      key: 'NK-person-1',
      entityType: 'person',
      programs: ['RUSSIA-EO14024'],
      names: [
        { value: 'Ivan PETROV', kind: 'primary' },
        { value: 'Иван ПЕТРОВ', kind: 'alias' },
      ],
      identifiers: [
        { scheme: 'tax', value: '11010519491231002X' },
        { scheme: 'tax', value: '7707083893' },
      ],
      country: 'RU',
      // No createdAt: the date OpenSanctions first saw the entry.
      listedOn: '2022-03-01',
      reason: 'Director of a sanctioned company',
      authority: 'us_ofac_sdn',
    });
  });

  it('keeps export-run fields out of the record, so an unchanged entity hashes the same', async () => {
    const rerun = {
      ...company,
      last_seen: '2024-07-01T00:00:00',
      referents: ['usgov-123', 'other-456'],
      properties: { ...company.properties, name: [...company.properties.name].reverse() },
    };
    const [before] = records(await parseFull(lines(company)));
    const [after] = records(await parseFull(lines(rerun)));
    expect(recordContentHash(after!)).toBe(recordContentHash(before!));
  });

  it('takes non-target entities too when targetsOnly is false', async () => {
    const items = await parseFull(lines(company, address), { targetsOnly: false });
    expect(records(items).map((r) => [r.key, r.entityType])).toEqual([
      ['NK-company-1', 'organization'],
      ['addr-1', 'unknown'],
    ]);
  });

  it('maps schemas to entity types', async () => {
    const of = (schema: string) => ({ id: schema, schema, caption: schema, properties: {}, target: true });
    const items = await parseFull(
      lines(...['LegalEntity', 'Organization', 'Vessel', 'Airplane', 'CryptoWallet'].map(of)),
    );
    expect(records(items).map((r) => r.entityType)).toEqual([
      'organization',
      'organization',
      'vessel',
      'aircraft',
      'unknown',
    ]);
  });

  it('detects CJK name languages', () => {
    expect(detectNameLanguage('华为技术有限公司')).toBe('zh');
    expect(detectNameLanguage('株式会社トヨタ')).toBe('ja');
    expect(detectNameLanguage('삼성전자')).toBe('ko');
    expect(detectNameLanguage('𠀋𠀍')).toBe('zh');
    expect(detectNameLanguage('Huawei')).toBeUndefined();
    expect(detectNameLanguage('Общество «Интер Тобако»')).toBeUndefined();
  });

  it('reads entities cut at any chunk boundary, with CRLF, a BOM and blank lines', async () => {
    const text = '\uFEFF' + lines(company, person).replace(/\n/g, '\r\n') + '\r\n';
    for (const size of [1, 7, 64]) {
      const items = await parseFull(text, {}, size);
      expect(errors(items)).toEqual([]);
      expect(records(items).map((r) => r.key)).toEqual(['NK-company-1', 'NK-person-1']);
    }
  });

  it('reports malformed lines with their line number and goes on', async () => {
    const text = [
      JSON.stringify(company),
      '{"id": "broken", ',
      JSON.stringify({ caption: 'no id', schema: 'Person', properties: {} }),
      JSON.stringify({ id: 'nameless', schema: 'Company', properties: {}, target: true }),
      JSON.stringify(person),
      '',
    ].join('\n');
    const items = await parseFull(text);
    expect(records(items).map((r) => r.key)).toEqual(['NK-company-1', 'NK-person-1']);
    expect(errors(items)).toEqual([
      { row: 2, message: expect.stringMatching(/^line 2 is not valid JSON/) },
      { row: 3, message: 'line 3: not an FtM entity: "id" is missing or empty' },
      { row: 4, message: 'line 4: FtM entity nameless (Company) has no name' },
    ]);
    expect(errors(items).some((e) => e.truncated)).toBe(false);
  });

  it('marks a last line without newline that does not parse as truncated', async () => {
    const full = lines(company, person);
    const cut = full.slice(0, full.length - 40);
    const items = await parseFull(cut);
    expect(records(items).map((r) => r.key)).toEqual(['NK-company-1']);
    expect(errors(items)).toEqual([{ row: 2, message: expect.stringMatching(/cut short/), truncated: true }]);
  });

  it('accepts a complete last line without newline', async () => {
    const items = await parseFull(lines(company, person).trimEnd());
    expect(errors(items)).toEqual([]);
    expect(records(items)).toHaveLength(2);
  });

  it('reports invalid UTF-8 on its line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(lines(company)),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(lines(person)),
    ]);
    const items = await parseFull(bytes);
    expect(errors(items)).toEqual([{ row: 2, message: 'line 2 is not valid UTF-8' }]);
    expect(records(items)).toHaveLength(2);
  });

  it('rejects an empty export rather than let it remove every entry', async () => {
    await expect(parseFull('')).rejects.toThrow(SourceFormatError);
    await expect(parseFull('\n\r\n')).rejects.toThrow(/the export is empty/);
  });

  it('reports a delta operation fed to a full plan', async () => {
    const items = await parseFull(lines({ op: 'ADD', entity: company }));
    expect(errors(items)).toEqual([{ row: 1, message: expect.stringMatching(/delta operation in a full export/) }]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const context = staticParseContext(adapter.parseSettings({}), {}, controller.signal);
    await expect(collect(adapter.parse(Readable.from([Buffer.from(lines(company))]), context))).rejects.toThrow();
  });
});

describe('opensanctions-ftm: JSON lines', () => {
  it('skips an over-long line and reads on', async () => {
    const text = `${JSON.stringify({ a: 'x'.repeat(200) })}\n{"b":1}\n`;
    const items = await collect(readJsonLines(chunked(Buffer.from(text), 16), { maxLineBytes: 100 }));
    expect(items).toEqual([
      { line: 1, error: 'line 1 is longer than 100 bytes' },
      { line: 2, value: { b: 1 } },
    ]);
  });
});

describe('opensanctions-ftm: deltas', () => {
  const companyRenamed = {
    ...company,
    caption: 'Shenzhen Example Holdings',
    properties: { ...company.properties, name: ['Shenzhen Example Holdings'] },
  };

  it('turns ADD and MOD into records and DEL into removals, across files in plan order', async () => {
    const items = await parseDeltas({
      'delta-20240101000000-aaa': lines({ op: 'ADD', entity: company }, { op: 'ADD', entity: address }),
      'delta-20240102000000-bbb': lines({ op: 'MOD', entity: companyRenamed }, { op: 'ADD', entity: person }),
      'delta-20240103000000-ccc': lines({ op: 'DEL', entity: { id: 'NK-person-1' } }),
    });
    expect(errors(items)).toEqual([]);
    expect(items.map((item) => ('record' in item ? `record ${item.record.key}` : JSON.stringify(item)))).toEqual([
      'record NK-company-1',
      // A non-target entity is not a list entry: removing its key keeps it from being one.
      '{"remove":"addr-1"}',
      'record NK-company-1',
      'record NK-person-1',
      '{"remove":"NK-person-1"}',
    ]);
    // The pipeline keeps the last item per key: the MOD's record.
    const last = new Map<string, ParseItem>();
    for (const item of items) {
      if ('record' in item) last.set(item.record.key, item);
      else if ('remove' in item) last.set(item.remove, item);
    }
    const winner = last.get('NK-company-1');
    expect(winner && 'record' in winner ? winner.record.names[0] : undefined).toEqual({
      value: 'Shenzhen Example Holdings',
      kind: 'primary',
    });
    expect(last.get('NK-person-1')).toEqual({ remove: 'NK-person-1' });
  });

  it('removes an entity that stops being a target', async () => {
    const items = await parseDeltas({
      'delta-20240101000000-aaa': lines({ op: 'MOD', entity: { ...person, target: false } }),
    });
    expect(items).toEqual([{ remove: 'NK-person-1' }]);
  });

  it('reports bad operations with their file and line, and a cut-short last line as truncated', async () => {
    const items = await parseDeltas({
      'delta-20240101000000-aaa': lines({ op: 'ADD', entity: company }, { op: 'UPSERT', entity: person }, { foo: 1 }),
      'delta-20240102000000-bbb':
        lines({ op: 'DEL', entity: {} }) + JSON.stringify({ op: 'ADD', entity: person }).slice(0, 50),
    });
    expect(records(items).map((r) => r.key)).toEqual(['NK-company-1']);
    expect(errors(items)).toEqual([
      {
        row: 2,
        message: 'delta-20240101000000-aaa: line 2: unknown delta operation "UPSERT" (expected ADD, MOD or DEL)',
      },
      {
        row: 3,
        message: 'delta-20240101000000-aaa: line 3: not a delta operation: expected {"op": ..., "entity": {...}}',
      },
      { row: 1, message: 'delta-20240102000000-bbb: line 1: DEL without an entity id' },
      { row: 2, message: expect.stringMatching(/^delta-20240102000000-bbb: line 2 .*cut short/), truncated: true },
    ]);
  });

  it('rejects a plan that mixes delta and full resources', async () => {
    const context = staticParseContext(adapter.parseSettings({}), {
      'delta-20240101000000-aaa': () => Readable.from([Buffer.from(lines({ op: 'ADD', entity: company }))]),
      'entities.ftm.json': () => Readable.from([Buffer.from(lines(company))]),
    });
    await expect(collect(adapter.parse(context.open('delta-20240101000000-aaa'), context))).rejects.toThrow(
      /mixes delta and full resources/,
    );
  });
});
