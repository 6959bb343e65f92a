import ExcelJS from 'exceljs';
import { payoutXlsx } from './payout-xlsx';

const row = (code: string, total: string, account = '0622202020011223') => ({
  code, name: `${code} 有限公司`, bank_name: '中国工商银行', bank_account_name: `${code} 有限公司`, bank_account_no: account,
  accrued: total, score_y: null, coefficient_p: '1.000000000000', base_pay: '0', quality_pay: '0', adjustments: '0.00', total_pay: total,
});

describe('payout file as .xlsx', () => {
  it('refuses to build a file that does not add up to the control totals', async () => {
    await expect(payoutXlsx('zh-CN', { id: 1, period: '2026Q3' }, [row('A', '10.00')], { lineCount: 1, sum: '10.01' }, true)).rejects.toThrow(/control totals/);
    await expect(payoutXlsx('zh-CN', { id: 1, period: '2026Q3' }, [row('A', '10.00')], { lineCount: 2, sum: '10.00' }, true)).rejects.toThrow(/control totals/);
  });

  it('keeps the account as text (leading zero) in full or masked, and names the sheets in the reader\'s language', async () => {
    for (const [full, want] of [[true, '0622202020011223'], [false, '************1223']] as const) {
      const buf = await payoutXlsx('zh-CN', { id: 1, period: '2026Q3' }, [row('A', '10.00'), row('B', '0.01', '')], { lineCount: 2, sum: '10.01' }, full);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['付款文件', '控制总数']);
      expect(wb.worksheets[0].getCell('E2').value).toBe(want);
      expect(wb.worksheets[0].getCell('E3').value).toBeNull(); // no account: an empty cell, not a masked one
      expect(wb.worksheets[1].getRow(2).values).toEqual([undefined, 1, '2026Q3', 2, 10.01]);
    }
  });
});
