import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { CsvImportError } from './csv.util';
import { decodeCsvBuffer, detectCsvEncoding, utf8CsvStream } from './encoding';

const TEXT = 'code,name,region\nP-1,贵州黔通科技有限公司,安顺市\n';

async function readAll(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('CSV upload encodings (what Excel saves in China)', () => {
  it('reads UTF-8 with and without BOM', () => {
    expect(decodeCsvBuffer(Buffer.from(TEXT))).toBe(TEXT);
    expect(decodeCsvBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toBe(TEXT);
  });
  it('detects and converts GBK / GB18030', () => {
    const gbk = iconv.encode(TEXT, 'gbk');
    expect(detectCsvEncoding(gbk)).toBe('gb18030');
    expect(decodeCsvBuffer(gbk)).toBe(TEXT);
  });
  it('refuses bytes that are neither, instead of importing mojibake', () => {
    const junk = Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xff, 0xfe, 0xff, 0x80, 0x81]);
    expect(() => decodeCsvBuffer(junk)).toThrow(CsvImportError);
  });
  it('streams a large GB18030 file as UTF-8, across chunk boundaries', async () => {
    const big = 'code,name\n' + Array.from({ length: 20_000 }, (_, i) => `P-${i},遵义市红花岗区第${i}号服务商`).join('\n') + '\n';
    const bytes = iconv.encode(big, 'gb18030');
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 4097) chunks.push(bytes.subarray(i, i + 4097));
    expect(await readAll(utf8CsvStream(Readable.from(chunks)))).toBe(big);
    expect(await readAll(utf8CsvStream(Readable.from([Buffer.from(TEXT)])))).toBe(TEXT);
  });
});
