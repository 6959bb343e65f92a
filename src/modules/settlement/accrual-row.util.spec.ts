import { formatRowError } from '../../core/csv/csv.util';
import { tDeep } from '../../core/i18n/i18n';
import { parsePeriod } from '../../core/period/period.util';
import { ACCRUAL_COLUMNS, checkAccrualRow } from './accrual-row.util';

const header = [...ACCRUAL_COLUMNS];
const q3 = parsePeriod('2026Q3');
const check = (cells: string[]) => checkAccrualRow(7, cells, header, q3).errors;

describe('accrual row format checks', () => {
  it('accepts a well-formed row, negative amounts included', () => {
    expect(check(['P1', 'C1', 'broadband', '2026-07-01', '1234.50', 'R1'])).toEqual([]);
    expect(check(['P1', 'C1', 'broadband', '2026-09-30', '-10', 'R2'])).toEqual([]);
  });
  it('names row and column of each problem', () => {
    expect(check(['', 'C1', 'x', '2026-07-01', '1', 'R'])).toEqual([{ row: 7, column: 'partner_code', message: 'settlement:csv.required' }]);
    expect(check(['P', 'C', 'x', '2026-02-30', '1', 'R'])[0]).toMatchObject({ column: 'accrual_date', message: 'settlement:csv.badDate', params: { value: '2026-02-30' } });
    expect(check(['P', 'C', 'x', '2026-10-01', '1', 'R'])[0]).toMatchObject({ column: 'accrual_date', message: 'settlement:csv.outsidePeriod', params: { period: '2026Q3' } });
    for (const bad of ['1,000.00', '1.234', '1e5', 'abc', '01.00', '--1']) {
      expect(check(['P', 'C', 'x', '2026-07-01', bad, 'R'])[0]).toMatchObject({ column: 'amount' });
    }
    expect(check(['P', 'C', 'x', '2026-07-01', '1', 'R', 'extra'])[0]).toMatchObject({ column: '(row)' });
  });
  it('reads as "第 N 行" in Chinese and "Row N" in English', () => {
    const [e] = check(['P', 'C', 'x', '2026-07-01', '12.345', 'R']);
    expect(formatRowError(e, (k, p) => tDeep('zh-CN', k, p))).toBe('第 7 行，列 amount：“12.345”不是有效金额（数字，最多两位小数，如 1234.50 或 -10.00）');
    expect(formatRowError(e, (k, p) => tDeep('en', k, p))).toMatch(/"12.345" is not an amount/);
  });
});
