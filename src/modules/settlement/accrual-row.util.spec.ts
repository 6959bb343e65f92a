import { parsePeriod } from '../../core/period/period.util';
import { ACCRUAL_COLUMNS, checkAccrualRow, toCopyLine } from './accrual-row.util';

const header = [...ACCRUAL_COLUMNS];
const q3 = parsePeriod('2026Q3');
const check = (cells: string[]) => checkAccrualRow(7, cells, header, q3).errors;

describe('accrual row format checks', () => {
  it('accepts a well-formed row, negative amounts included', () => {
    expect(check(['P1', 'C1', 'broadband', '2026-07-01', '1234.50', 'R1'])).toEqual([]);
    expect(check(['P1', 'C1', 'broadband', '2026-09-30', '-10', 'R2'])).toEqual([]);
  });
  it('names row and column of each problem', () => {
    expect(check(['', 'C1', 'x', '2026-07-01', '1', 'R'])).toEqual([{ row: 7, column: 'partner_code', message: 'is required' }]);
    expect(check(['P', 'C', 'x', '2026-02-30', '1', 'R'])[0]).toMatchObject({ column: 'accrual_date', message: expect.stringMatching(/not a date/) });
    expect(check(['P', 'C', 'x', '2026-10-01', '1', 'R'])[0]).toMatchObject({ column: 'accrual_date', message: expect.stringMatching(/outside the period 2026Q3/) });
    for (const bad of ['1,000.00', '1.234', '1e5', 'abc', '01.00', '--1']) {
      expect(check(['P', 'C', 'x', '2026-07-01', bad, 'R'])[0]).toMatchObject({ column: 'amount' });
    }
    expect(check(['P', 'C', 'x', '2026-07-01', '1', 'R', 'extra'])[0]).toMatchObject({ column: '(row)' });
  });
  it('quotes text for COPY', () => {
    const { values } = checkAccrualRow(2, ['P1', 'C "x", y', 'p', '2026-07-01', '1.00', 'R1'], header, q3);
    expect(toCopyLine(2, values)).toBe('2,"P1","C ""x"", y","p",2026-07-01,1.00,"R1"\n');
  });
});
