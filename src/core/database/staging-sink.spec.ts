import { copyTextField, stagingSink, textArrayLiteral } from './staging-sink';

describe('staging sink', () => {
  it('escapes COPY text fields and writes null as \\N', () => {
    expect(copyTextField(null)).toBe('\\N');
    expect(copyTextField('plain 中文')).toBe('plain 中文');
    expect(copyTextField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('builds text[] literals with quotes and backslashes escaped', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['a.pdf', 'say "hi".jpg', 'c\\d', '合同.pdf'])).toBe('{"a.pdf","say \\"hi\\".jpg","c\\\\d","合同.pdf"}');
  });

  it('without a COPY connection, sends 5,000-row INSERT … SELECT FROM unnest() statements with typed columns', async () => {
    const calls: { sql: string; params: unknown[][] }[] = [];
    const sink = stagingSink({ query: async (sql: string, params?: unknown[]) => { calls.push({ sql, params: params as unknown[][] }); return []; } }, null, 's', [{ name: 'row_no', type: 'int' }, { name: 'v', type: 'text' }]);
    for (let i = 0; i < 5001; i++) await sink.add([String(i), i % 2 ? null : `v${i}`]);
    expect(calls).toHaveLength(1);
    await sink.end();
    expect(calls).toHaveLength(2);
    expect(calls[0].sql).toMatch(/INSERT INTO s \(row_no, v\)\s+SELECT u\.c0::int, u\.c1::text FROM unnest\(\$1::text\[\], \$2::text\[\]\)/);
    expect(calls[0].params[0]).toHaveLength(5000);
    expect(calls[1].params).toEqual([['5000'], ['v5000']]);
  });
});
