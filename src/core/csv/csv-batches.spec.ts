import { parse } from 'csv-parse/sync';
import { csvRecordBatches, CsvSyntaxError, recordBoundary } from './csv-batches';

async function all(text: string, chunkSize?: number): Promise<{ batches: number; records: string[][] }> {
  const records: string[][] = [];
  let batches = 0;
  for (const batch of csvRecordBatches(text, chunkSize)) {
    batches++;
    records.push(...batch);
  }
  return { batches, records };
}

describe('csvRecordBatches', () => {
  it('reads records as csv-parse does, across batch boundaries that fall inside quoted fields', async () => {
    const lines = ['customer_code,record_type,occurred_at,description'];
    for (let i = 0; i < 2000; i++) {
      lines.push(`C${i},visit,2026-08-01 09:30,"拜访, 第 ${i} 次 ""重要""\n第二行"`);
      if (i % 7 === 0) lines.push('');
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const { batches, records } = await all(text, 1000); // tiny batches: boundaries everywhere, also in multi-byte text
    expect(batches).toBeGreaterThan(50);
    expect(records).toEqual(parse(text, { skip_empty_lines: true, relax_column_count: true }));
    expect(records[1][3]).toBe('拜访, 第 0 次 "重要"\n第二行');
  });

  it('drops a BOM, skips empty lines, keeps ragged rows, and never guesses the delimiter', async () => {
    const { records } = await all('\uFEFFa,b\n\n1;2;3\n4,5,6\n7\n');
    expect(records).toEqual([['a', 'b'], ['1;2;3'], ['4', '5', '6'], ['7']]);
  });

  it('reads a file without a final newline and an empty file', async () => {
    expect((await all('a,b\n1,2')).records).toEqual([['a', 'b'], ['1', '2']]);
    expect((await all('')).records).toEqual([]);
  });

  it('returns the records before an unclosed quote, then throws a CsvSyntaxError naming where', async () => {
    const seen: string[][] = [];
    let error: unknown;
    try {
      for (const batch of csvRecordBatches('a,b\n1,2\n3,"open\n4,5\n')) seen.push(...batch);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error).toMatchObject({ code: 'CSV_QUOTES', record: 3 });
    expect(seen).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('cuts only at a line feed outside quotes, at or after the target', () => {
    const text = 'a,"x\ny"\nb,c\nd,"e""\n""f"\ng\n';
    expect(recordBoundary(text, 0, 1)).toBe(text.indexOf('b'));
    expect(recordBoundary(text, text.indexOf('b'), text.indexOf('b') + 1)).toBe(text.indexOf('d'));
    expect(recordBoundary(text, text.indexOf('d'), text.indexOf('d') + 1)).toBe(text.indexOf('g'));
    expect(recordBoundary('a\nb', 0, 5)).toBe(3);
    expect(recordBoundary('a,"open\nb\n', 0, 1)).toBe(10); // no line feed outside quotes: the rest
  });

  it('reads a long file whose only quote is at its end (the next quote is searched once, not per line)', () => {
    const text = `${'abc,def\n'.repeat(200_000)}"x"\n`;
    let n = 0;
    let batches = 0;
    for (const batch of csvRecordBatches(text, 4096)) { n += batch.length; batches++; }
    expect(n).toBe(200_001);
    expect(batches).toBeGreaterThan(300);
  });

  it('lets the caller stop early without reading the rest', async () => {
    const text = `h\n${Array.from({ length: 5000 }, (_, i) => `r${i}`).join('\n')}\n`;
    let first: string[][] = [];
    for (const batch of csvRecordBatches(text, 100)) {
      first = batch;
      break;
    }
    expect(first[0]).toEqual(['h']);
    expect(first.length).toBeLessThan(100);
  });
});
