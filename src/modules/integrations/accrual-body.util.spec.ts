import { createHash } from 'node:crypto';
import { BodyFormatError, bodyFormat, JsonArraySplitter, objectToCsvLine, toAccrualCsv } from './accrual-body.util';

const read = async (r: NodeJS.ReadableStream) => { let s = ''; for await (const c of r) s += c; return s; };
const row = { partner_code: 'P1', customer_code: 'C1', product: '专线', accrual_date: '2026-07-01', amount: '12.50', reference: 'R,"1"' };

describe('accrual API bodies', () => {
  it('know their format from the content type', () => {
    expect(bodyFormat('text/csv; charset=utf-8')).toBe('csv');
    expect(bodyFormat('application/x-ndjson')).toBe('ndjson');
    expect(bodyFormat('application/json')).toBe('json');
    expect(bodyFormat('text/plain')).toBeNull();
  });

  it('turn an object into a quoted CSV line in the import column order', () => {
    expect(objectToCsvLine(row)).toBe('"P1","C1","专线","2026-07-01","12.50","R,""1"""\n');
    expect(objectToCsvLine({ amount: 3 })).toBe('"","","","","3",""\n');
  });

  it('split a JSON array streamed in arbitrary chunks, braces inside strings included', () => {
    const text = JSON.stringify([row, { ...row, reference: 'x}{]"' }, row]);
    const got: string[] = [];
    const s = new JsonArraySplitter();
    for (let i = 0; i < text.length; i += 7) s.push(text.slice(i, i + 7), (t) => got.push(t));
    s.end();
    expect(got.map((t) => JSON.parse(t).reference)).toEqual(['R,"1"', 'x}{]"', 'R,"1"']);
  });

  it('refuse a body that is not an array of objects, naming the element', () => {
    expect(() => new JsonArraySplitter().push('{"a":1}', () => undefined)).toThrow(BodyFormatError);
    const s = new JsonArraySplitter();
    expect(() => s.push('[{"a":1}, 5]', () => undefined)).toThrow(expect.objectContaining({ line: 2 }));
    const open = new JsonArraySplitter();
    open.push('[{"a":1}', () => undefined);
    expect(() => open.end()).toThrow(BodyFormatError);
  });

  it('converts NDJSON and JSON to the same CSV and hashes the raw bytes', async () => {
    const nd = `${JSON.stringify(row)}\n\n${JSON.stringify(row)}`;
    const h1 = createHash('sha256');
    const csv1 = await read(toAccrualCsv([Buffer.from(nd)], 'ndjson', h1));
    const csv2 = await read(toAccrualCsv([Buffer.from(JSON.stringify([row, row]))], 'json'));
    expect(csv1).toBe(csv2);
    expect(csv1.split('\n')[0]).toBe('partner_code,customer_code,product,accrual_date,amount,reference');
    expect(h1.digest('hex')).toBe(createHash('sha256').update(nd).digest('hex'));
  });

  it('names the line of a broken NDJSON element', async () => {
    await expect(read(toAccrualCsv([Buffer.from(`${JSON.stringify(row)}\n{oops\n`)], 'ndjson'))).rejects.toMatchObject({ line: 2 });
  });
});
