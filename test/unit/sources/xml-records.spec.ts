import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '@partnerwatch/sources';
import { flattenNode, type XmlNode } from '../../../libs/sources/src/xml/xml-node';
import { DTD_REFUSED, readXmlRecords, type XmlRecordsOptions } from '../../../libs/sources/src/xml/xml-records';
import { chunked, collect } from './source-fixtures';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

function read(bytes: Buffer, options: Partial<XmlRecordsOptions> = {}, chunkSize?: number) {
  return readXmlRecords(chunked(bytes, chunkSize), { records: ['//item'], ...options });
}

/** The records read before the reader threw, and what it threw. */
async function readUntilError(
  bytes: Buffer,
  options: Partial<XmlRecordsOptions> = {},
): Promise<{ names: string[]; error: unknown }> {
  const names: string[] = [];
  try {
    for await (const record of read(bytes, options)) names.push(record.node.attributes.id ?? record.node.name);
  } catch (error) {
    return { names, error };
  }
  return { names, error: undefined };
}

const LIST = `<?xml version="1.0" encoding="UTF-8"?>
<list generated="2026-01-01">
  <header><count>3</count></header>
  <items>
    <item id="1"><name>ACME &amp; Sons</name><alias>A &lt;1&gt;</alias><alias/></item>
    <item id="2"><name><![CDATA[Beta <Holdings>]]></name></item>
    <group><item id="3"><name>Gamma</name></item></group>
  </items>
</list>`;

describe('readXmlRecords', () => {
  it('yields each record element as a small tree, at any depth, with entities and CDATA resolved', async () => {
    const records = await collect(read(utf8(LIST)));
    expect(records.map((r) => r.node.attributes.id)).toEqual(['1', '2', '3']);
    const [first, second] = records;
    expect(first?.line).toBe(5);
    expect(first?.selector).toBe('//item');
    expect(first?.node).toEqual({
      name: 'item',
      attributes: { id: '1' },
      text: '',
      children: [
        { name: 'name', attributes: {}, text: 'ACME & Sons', children: [] },
        { name: 'alias', attributes: {}, text: 'A <1>', children: [] },
        { name: 'alias', attributes: {}, text: '', children: [] },
      ],
    });
    expect(second?.node.children[0]?.text).toBe('Beta <Holdings>');
  });

  it('matches a path from the root, and never a record inside a record', async () => {
    const records = await collect(read(utf8(LIST), { records: ['list/items/item', 'list/header'] }));
    expect(records.map((r) => `${r.selector} ${r.node.name}`)).toEqual([
      'list/header header',
      'list/items/item item',
      'list/items/item item',
    ]);
    const nested = `<r><item id="a"><item id="b"/></item></r>`;
    const outer = await collect(read(utf8(nested)));
    expect(outer.map((r) => r.node.attributes.id)).toEqual(['a']);
    expect(outer[0]?.node.children[0]?.attributes.id).toBe('b');
  });

  it('matches local names: a default namespace or a prefix makes no difference', async () => {
    const xml = `<?xml version="1.0"?>
<fsd:export xmlns:fsd="http://eu.europa.ec/fpi/fsd/export" xmlns:x="urn:x">
  <fsd:item x:code="P" plain="v"><fsd:name>One</fsd:name></fsd:item>
</fsd:export>`;
    const defaultNs = `<export xmlns="http://eu.europa.ec/fpi/fsd/export"><item><name>Two</name></item></export>`;
    const [prefixed] = await collect(read(utf8(xml), { records: ['export/item'], rootNames: ['export'] }));
    expect(prefixed?.node.name).toBe('item');
    expect(prefixed?.node.attributes).toEqual({ code: 'P', plain: 'v' });
    expect(prefixed?.node.children[0]).toMatchObject({ name: 'name', text: 'One' });
    const [plain] = await collect(read(utf8(defaultNs), { records: ['export/item'], rootNames: ['export'] }));
    expect(plain?.node.children[0]).toMatchObject({ name: 'name', text: 'Two' });
  });

  it('reads records cut at every chunk boundary the same', async () => {
    const whole = await collect(read(utf8(LIST)));
    const byteByByte = await collect(read(utf8(LIST), {}, 1));
    expect(byteByByte).toEqual(whole);
  });

  describe('security', () => {
    it('refuses a DOCTYPE with a clear message', async () => {
      const xml = `<?xml version="1.0"?><!DOCTYPE list [<!ELEMENT list ANY>]><list><item/></list>`;
      await expect(collect(read(utf8(xml)))).rejects.toThrow(new SourceFormatError(DTD_REFUSED));
      expect(DTD_REFUSED).toBe('XML with a DTD is refused (entity expansion and external entities are not allowed)');
    });

    it('refuses an entity bomb from its first chunk, without reading the rest of the stream', async () => {
      let pulled = 0;
      // "Billion laughs" followed by an endless DTD: a parser that buffered the DTD would never stop.
      async function* bomb(): AsyncGenerator<Buffer> {
        pulled++;
        yield utf8('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n');
        for (let i = 1; ; i++) {
          pulled++;
          const previous = i === 1 ? 'lol' : `lol${i - 1}`;
          yield utf8(` <!ENTITY lol${i} "${`&${previous};`.repeat(10)}">\n`.repeat(100));
        }
      }
      const error = await collect(readXmlRecords(bomb(), { records: ['//item'] })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceFormatError);
      expect((error as Error).message).toBe(DTD_REFUSED);
      expect(pulled).toBe(1);
    });

    it('refuses an external entity (XXE), declared in a DTD or not', async () => {
      const declared = `<?xml version="1.0"?>
<!DOCTYPE item [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<item>&xxe;</item>`;
      await expect(collect(read(utf8(declared)))).rejects.toThrow(DTD_REFUSED);
      const undeclared = `<list><item>&xxe;</item></list>`;
      const error = await collect(read(utf8(undeclared))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceFormatError);
      expect((error as Error).message).toMatch(/not one of the five predefined XML entities/);
      expect((error as Error).message).toMatch(/line 1/);
    });

    it('refuses a DOCTYPE split across chunks, and a DOCTYPE after a comment', async () => {
      const xml = `<?xml version="1.0"?><!-- list --><!DOCTYPE list SYSTEM "http://127.0.0.1/x.dtd"><list/>`;
      for (const size of [1, 3, 7, 64]) {
        await expect(collect(read(utf8(xml), {}, size))).rejects.toThrow(DTD_REFUSED);
      }
    });

    it('says so when the registry served an HTML page instead of the export', async () => {
      const html = '<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body/></html>';
      await expect(collect(read(utf8(html)))).rejects.toThrow(/HTML page, not XML/);
    });

    it('caps the size of one record', async () => {
      const big = `<list><item id="1"><name>${'x'.repeat(5000)}</name></item></list>`;
      const { error } = await readUntilError(utf8(big), { maxRecordChars: 1000 });
      expect(error).toBeInstanceOf(SourceFormatError);
      expect((error as Error).message).toMatch(/<item> record starting at line 1 is larger than 1000 characters/);
      const manyElements = `<list><item>${'<a/>'.repeat(1000)}</item></list>`;
      await expect(collect(read(utf8(manyElements), { maxRecordChars: 10_000 }))).rejects.toThrow(/larger than/);
    });

    it('caps a single token outside records (one huge text node or attribute)', async () => {
      const text = `<list>${'y'.repeat(200_000)}<item/></list>`;
      await expect(collect(read(utf8(text), { maxTokenChars: 50_000 }))).rejects.toThrow(/without a tag/);
      const noRoot = `<?xml version="1.0"?><!--${' '.repeat(200_000)}-->`;
      await expect(collect(read(utf8(noRoot), { maxTokenChars: 50_000 }))).rejects.toThrow(SourceFormatError);
    });

    it('refuses absurd nesting', async () => {
      const deep = `<list>${'<a>'.repeat(300)}${'</a>'.repeat(300)}</list>`;
      await expect(collect(read(utf8(deep)))).rejects.toThrow(/nested more than 256 levels/);
    });
  });

  describe('truncated and malformed exports', () => {
    const FULL = '<list>\n<item id="1"/>\n<item id="2"><name>B</name></item>\n<item id="3"><name>Gam';

    it('yields the complete records, then throws a SourceFormatError saying the export is truncated', async () => {
      const { names, error } = await readUntilError(utf8(FULL));
      expect(names).toEqual(['1', '2']);
      expect(error).toBeInstanceOf(SourceFormatError);
      expect((error as Error).message).toMatch(/truncated/);
      expect((error as Error).message).toMatch(/inside the <item> record that starts at line 4/);
      expect((error as Error).message).toMatch(/2 complete records/);
    });

    it('treats a cut between records, or inside a tag name, as truncated too', async () => {
      const betweenRecords = await readUntilError(utf8('<list><item id="1"/><item id="2"/>'));
      expect(betweenRecords.names).toEqual(['1', '2']);
      expect((betweenRecords.error as Error).message).toMatch(/truncated: the document ends inside <list>/);
      const insideTag = await readUntilError(utf8('<list><item id="1"/><ite'));
      expect(insideTag.names).toEqual(['1']);
      expect((insideTag.error as Error).message).toMatch(/truncated/);
    });

    it('rejects an empty download', async () => {
      await expect(collect(read(Buffer.alloc(0)))).rejects.toThrow(/empty/);
      await expect(collect(read(utf8('  \n')))).rejects.toThrow(/empty/);
    });

    it('rejects malformed XML with its position', async () => {
      const { names, error } = await readUntilError(utf8('<list>\n<item id="1"/>\n<item id="2"></itme>\n</list>'));
      expect(names).toEqual([]);
      expect(error).toBeInstanceOf(SourceFormatError);
      expect((error as Error).message).toMatch(/not well-formed at line 3/);
    });

    it('rejects a document with another root element', async () => {
      await expect(
        collect(read(utf8('<html><body/></html>'), { rootNames: ['list'], label: 'Test list' })),
      ).rejects.toThrow("Test list: the document's root element is <html>, expected <list>; is this the right export?");
    });
  });

  describe('encodings', () => {
    const NAMES = ['Société Générale', 'Müller GmbH', '€ Trade — “quoted”'];
    const document = (declaration: string): string =>
      `${declaration}<list>${NAMES.map((n, i) => `<item id="${i}"><name>${n}</name></item>`).join('')}</list>`;
    const names = async (bytes: Buffer, chunkSize?: number, encoding?: string): Promise<string[]> =>
      (await collect(read(bytes, encoding ? { encoding } : {}, chunkSize))).map((r) => r.node.children[0]?.text ?? '');

    it('reads a document declared ISO-8859-1 (as Windows-1252, like browsers)', async () => {
      const bytes = iconv.encode(document('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'windows-1252');
      expect(bytes.includes(0x80)).toBe(true);
      expect(await names(bytes)).toEqual(NAMES);
      expect(await names(bytes, 5)).toEqual(NAMES);
    });

    it('reads a document declared windows-1252 with single quotes', async () => {
      const bytes = iconv.encode(document("<?xml version='1.0' encoding='windows-1252'?>"), 'windows-1252');
      expect(await names(bytes)).toEqual(NAMES);
    });

    it('reads UTF-8 with and without a byte order mark', async () => {
      const text = document('<?xml version="1.0" encoding="UTF-8"?>');
      expect(await names(utf8(text))).toEqual(NAMES);
      expect(await names(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]), 2)).toEqual(NAMES);
      expect(await names(utf8(document('')), 3)).toEqual(NAMES);
    });

    it('reads UTF-16 with a byte order mark, little- and big-endian', async () => {
      const text = document('<?xml version="1.0" encoding="UTF-16"?>');
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const be = Buffer.from(le);
      be.swap16();
      expect(await names(le)).toEqual(NAMES);
      expect(await names(le, 3)).toEqual(NAMES);
      expect(await names(be, 5)).toEqual(NAMES);
    });

    it('rejects bytes that are not valid in the declared encoding', async () => {
      const bytes = iconv.encode(document('<?xml version="1.0" encoding="UTF-8"?>'), 'windows-1252');
      await expect(names(bytes)).rejects.toThrow(
        /not valid utf-8 in the bytes from offset 0 \(the encoding was taken from its declaration/,
      );
    });

    it('lets the source setting override a wrong declaration', async () => {
      const bytes = iconv.encode(document('<?xml version="1.0" encoding="UTF-8"?>'), 'windows-1252');
      expect(await names(bytes, undefined, 'iso-8859-1')).toEqual(NAMES);
    });

    it('rejects an encoding it does not know', async () => {
      await expect(names(utf8(document('<?xml version="1.0" encoding="x-klingon"?>')))).rejects.toThrow(
        /declares encoding="x-klingon", which is not supported/,
      );
    });
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const controller = new AbortController();
    const items = `<list>${'<item id="x"><name>n</name></item>'.repeat(5000)}</list>`;
    const records = readXmlRecords(chunked(utf8(items), 1024), { records: ['//item'], signal: controller.signal });
    let seen = 0;
    const error = await (async () => {
      for await (const _record of records) {
        if (++seen === 10) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(seen).toBeLessThan(5000);
  });

  it('aborts a stalled download without waiting for its next chunk', async () => {
    const controller = new AbortController();
    const stream = new Readable({ read: () => undefined });
    stream.push(utf8('<list><item id="1"/>'));
    const records = readXmlRecords(stream, { records: ['//item'], signal: controller.signal });
    expect((await records.next()).value?.node.attributes.id).toBe('1');
    setTimeout(() => controller.abort(), 10);
    await expect(records.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(stream.destroyed).toBe(true);
  });

  it('releases the input when the consumer stops early', async () => {
    const stream = Readable.from([utf8('<list><item id="1"/><item id="2"/>'), utf8('<item id="3"/></list>')]);
    for await (const record of readXmlRecords(stream, { records: ['//item'] })) {
      expect(record.node.attributes.id).toBe('1');
      break;
    }
    expect(stream.destroyed).toBe(true);
  });
});

describe('flattenNode', () => {
  const node = (
    name: string,
    text = '',
    children: XmlNode[] = [],
    attributes: Record<string, string> = {},
  ): XmlNode => ({
    name,
    attributes,
    text,
    children,
  });

  it('keys values by path, numbers repeated elements, and skips empty ones without numbering them', () => {
    const record = node('ENTITY', '\n  ', [
      node('FIRST_NAME', '  ACME\n   TRADING  '),
      node('ALIAS', '', [node('QUALITY'), node('ALIAS_NAME')]),
      node('ALIAS', '', [node('QUALITY', 'Good'), node('ALIAS_NAME', 'Acme')]),
      node('ADDRESS', '', [node('COUNTRY', 'China')], { logicalId: '7', empty: ' ' }),
      node('ADDRESS', '', [node('COUNTRY', 'Iran')]),
      node('DATAID', '123'),
    ]);
    expect(flattenNode(record, { exclude: new Set(['DATAID']) })).toEqual({
      FIRST_NAME: 'ACME TRADING',
      'ALIAS/QUALITY': 'Good',
      'ALIAS/ALIAS_NAME': 'Acme',
      'ADDRESS[1]@logicalId': '7',
      'ADDRESS[1]/COUNTRY': 'China',
      'ADDRESS[2]/COUNTRY': 'Iran',
    });
  });
});
