import { t } from '../i18n/i18n';
import { CsvImportError, formatRowError, parseCsv, safeCsvCell, toCsv } from './csv.util';

describe('csv', () => {
  it('reads rows with spreadsheet row numbers', () => {
    const { rows } = parseCsv('a,b\n1,2\n3,4\n', ['a', 'b']);
    expect(rows).toEqual([{ row: 2, values: { a: '1', b: '2' } }, { row: 3, values: { a: '3', b: '4' } }]);
  });
  it('names missing and unknown header columns', () => {
    try {
      parseCsv('a,c\n1,2\n', ['a', 'b']);
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(CsvImportError);
      const lines = (e as CsvImportError).errors.map((r) => formatRowError(r, (k, p) => t('zh-CN', k, p)));
      expect(lines).toEqual(['第 1 行，列 (header)：缺少列：b；应为 a,b', '第 1 行，列 (header)：无法识别的列：c']);
      expect(formatRowError((e as CsvImportError).errors[0], (k, p) => t('en', k, p))).toBe('row 1, column (header): missing column(s): b; expected a,b');
    }
  });
  it('strips a UTF-8 BOM', () => {
    expect(parseCsv('\uFEFFa\nx\n', ['a']).rows[0].values.a).toBe('x');
  });
  it('escapes formula cells but not negative numbers', () => {
    expect(safeCsvCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(safeCsvCell('+1+1')).toBe(`'+1+1`);
    expect(safeCsvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(safeCsvCell('-12.50')).toBe('-12.50');
    expect(safeCsvCell('-cmd')).toBe(`'-cmd`);
    expect(toCsv(['x'], [['=1+2']])).toBe(`\uFEFFx\n'=1+2\n`);
  });
});
