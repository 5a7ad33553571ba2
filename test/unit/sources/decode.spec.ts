import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, normalizeEncodingSetting, SourceFormatError } from '@partnerwatch/sources';
import { chunked, readText } from './source-fixtures';

const CHINESE = '统一社会信用代码,企业名称\n91110108MA00000000,北京星河贸易有限公司\n';

describe('decodeText', () => {
  it('reads UTF-8 without a BOM as utf-8', async () => {
    const decoded = decodeText(chunked(Buffer.from(CHINESE, 'utf8')), 'auto');
    expect(await readText(decoded.stream)).toBe(CHINESE);
    expect(await decoded.encoding).toBe('utf-8');
  });

  it('strips a UTF-8 BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE, 'utf8')]);
    const decoded = decodeText(chunked(bytes), 'auto');
    expect(await readText(decoded.stream)).toBe(CHINESE);
    expect(await decoded.encoding).toBe('utf-8');
  });

  it('strips the BOM when the encoding is given as utf-8', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE, 'utf8')]);
    expect(await readText(decodeText(chunked(bytes, 2), 'utf-8').stream)).toBe(CHINESE);
  });

  it('detects GB18030 even when fed one byte at a time', async () => {
    const decoded = decodeText(chunked(iconv.encode(CHINESE, 'gb18030'), 1), 'auto');
    expect(await readText(decoded.stream)).toBe(CHINESE);
    expect(await decoded.encoding).toBe('gb18030');
  });

  it('detects GB18030 when the first non-ASCII byte comes after a long ASCII prefix', async () => {
    const text = 'id,name\n' + '1,ACME Trading Ltd\n'.repeat(10_000) + '2,上海江南物流有限公司\n';
    const decoded = decodeText(chunked(iconv.encode(text, 'gb18030'), 4096), 'auto');
    expect(await readText(decoded.stream)).toBe(text);
    expect(await decoded.encoding).toBe('gb18030');
  });

  it('keeps a UTF-8 character cut at the end of the sniffed sample whole', async () => {
    // 3-byte characters with a 10-byte sample: the sample ends inside the fourth character.
    const text = '经营异常名录企业名称'.repeat(50);
    const decoded = decodeText(chunked(Buffer.from(text, 'utf8'), 7), 'auto', { sampleBytes: 10 });
    expect(await readText(decoded.stream)).toBe(text);
    expect(await decoded.encoding).toBe('utf-8');
  });

  it('reads GB18030 across a large file in odd-sized chunks', async () => {
    const text = '企业名称,列入日期\n' + '北京星河贸易有限公司,2023年1月5日\n'.repeat(5_000);
    const decoded = decodeText(chunked(iconv.encode(text, 'gb18030'), 1001), 'auto');
    expect(await readText(decoded.stream)).toBe(text);
  });

  it('treats pure ASCII as utf-8', async () => {
    const decoded = decodeText(chunked(Buffer.from('a,b\n1,2\n')), 'auto');
    expect(await readText(decoded.stream)).toBe('a,b\n1,2\n');
    expect(await decoded.encoding).toBe('utf-8');
  });

  it('fails with SourceFormatError when bytes declared UTF-8 are not', async () => {
    const decoded = decodeText(chunked(iconv.encode(CHINESE, 'gb18030')), 'utf-8');
    await expect(readText(decoded.stream)).rejects.toThrow(SourceFormatError);
  });

  it('fails with SourceFormatError when a file that started as UTF-8 turns into something else', async () => {
    const bytes = Buffer.concat([Buffer.from(CHINESE, 'utf8'), iconv.encode('上海江南物流有限公司', 'gb18030')]);
    const decoded = decodeText(chunked(bytes, 16), 'auto', { sampleBytes: 16 });
    await expect(readText(decoded.stream)).rejects.toThrow(/not valid UTF-8/);
  });

  it('maps settings names to decoders, gbk to gb18030', () => {
    expect(normalizeEncodingSetting('GBK')).toBe('gb18030');
    expect(normalizeEncodingSetting('utf8')).toBe('utf-8');
    expect(normalizeEncodingSetting('auto')).toBe('auto');
    expect(normalizeEncodingSetting('latin1')).toBeUndefined();
  });
});
