import iconv from 'iconv-lite';
import { PassThrough, Readable, Transform } from 'node:stream';
import { CsvImportError } from './csv.util';

/**
 * Uploaded CSV files come from Excel: UTF-8 (with or without BOM) or, on Chinese Windows, GBK/GB18030.
 * The encoding is detected from the bytes; a file that is neither is refused, never imported as mojibake.
 */
export type CsvEncoding = 'utf8' | 'gb18030';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the bytes are valid UTF-8; `partialEnd` allows a multi-byte character cut off at the end of a sample. */
export function isValidUtf8(buf: Buffer, partialEnd = false): boolean {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : (b & 0xf8) === 0xf0 ? 3 : -1;
    if (n < 0 || (n === 1 && b < 0xc2)) return false;
    if (i + n >= buf.length) return partialEnd && Array.from(buf.subarray(i + 1)).every((c) => (c & 0xc0) === 0x80);
    for (let k = 1; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

export function detectCsvEncoding(sample: Buffer, partialEnd = false): CsvEncoding {
  if (sample.subarray(0, 3).equals(UTF8_BOM) || isValidUtf8(sample, partialEnd)) return 'utf8';
  // a sample may end inside a character: judge it without its last few bytes
  const decoded = iconv.decode(partialEnd ? sample.subarray(0, Math.max(0, sample.length - 4)) : sample, 'gb18030');
  // a GB18030 reading that still has replacement characters (or control bytes) is not a text file we understand
  if (decoded.includes('\uFFFD') || /[\u0000-\u0008\u000e-\u001f]/.test(decoded)) {
    throw new CsvImportError([{ row: 0, column: '(file)', message: 'common:csv.unknownEncoding' }]);
  }
  return 'gb18030';
}

/** The whole file as text (UTF-8 BOM removed, GBK/GB18030 converted). */
export function decodeCsvBuffer(buf: Buffer): string {
  const enc = detectCsvEncoding(buf);
  if (enc === 'gb18030') return iconv.decode(buf, 'gb18030');
  return buf.toString('utf8').replace(/^\uFEFF/, '');
}

/** A byte stream re-encoded as UTF-8: the first 64 KiB decide the encoding, the rest is converted on the way. */
export function utf8CsvStream(input: Readable): Readable {
  const out = new PassThrough();
  const head: Buffer[] = [];
  let size = 0;
  let decided = false;
  const decide = (final: boolean) => {
    decided = true;
    const sample = Buffer.concat(head);
    let enc: CsvEncoding;
    try {
      enc = detectCsvEncoding(sample, !final);
    } catch (err) {
      out.destroy(err as Error);
      input.destroy();
      return;
    }
    const rest = new PassThrough();
    const convert: Transform = enc === 'gb18030' ? (iconv.decodeStream('gb18030') as unknown as Transform) : new PassThrough();
    const reencode = enc === 'gb18030' ? (iconv.encodeStream('utf8') as unknown as Transform) : new PassThrough();
    rest.pipe(convert).pipe(reencode).pipe(out);
    convert.on('error', (e) => out.destroy(e));
    rest.write(sample);
    if (final) { rest.end(); return; }
    input.on('data', (c: Buffer) => { if (!rest.write(c)) { input.pause(); rest.once('drain', () => input.resume()); } });
    input.on('end', () => rest.end());
  };
  input.on('error', (e) => out.destroy(e));
  const onData = (c: Buffer) => {
    head.push(c);
    size += c.length;
    if (size >= 65_536) { input.off('data', onData); input.off('end', onEnd); input.pause(); decide(false); input.resume(); }
  };
  const onEnd = () => { if (!decided) decide(true); };
  input.on('data', onData);
  input.once('end', onEnd);
  return out;
}
