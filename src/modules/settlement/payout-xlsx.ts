import ExcelJS from 'exceljs';
import { Language, t } from '../../core/i18n/i18n';
import { dec, money } from '../../core/money/money.util';
import { maskAccount } from '../../core/privacy/bank-account.util';
import { PAYOUT_COLUMNS } from './settlement-batch.service';

type Row = Record<string, string | null>;
const MONEY = new Set(['accrued', 'base_pay', 'quality_pay', 'adjustments', 'total_pay']);

/**
 * The payout file as .xlsx (#16): the CSV's columns in the CSV's order and header names (what the bank reads), money
 * as number cells with two decimals, the account as text (leading zeros kept); a second sheet with the control totals.
 * `fullAccounts` is the masking rule's answer for the reader: otherwise only the last 4 digits are shown.
 */
export async function payoutXlsx(
  lang: Language, batch: { id: number; period: string }, rows: Row[], control: { lineCount: number; sum: string }, fullAccounts: boolean,
): Promise<Buffer> {
  const sum = money(rows.reduce((acc, r) => acc.plus(r.total_pay ?? 0), dec(0)));
  // the same totals as the CSV's control file, or no file at all
  if (rows.length !== control.lineCount || sum !== control.sum) throw new Error(`payout xlsx of batch ${batch.id} does not add up to its control totals`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t(lang, 'statementPdf:payout.sheet'));
  ws.columns = PAYOUT_COLUMNS.map((key) => ({
    header: key, key, width: key === 'partner_name' || key === 'bank_name' || key === 'account_holder' ? 28 : key === 'bank_account' ? 24 : 14,
    style: MONEY.has(key) ? { numFmt: '#,##0.00' } : key === 'coefficient_p' ? { numFmt: '0.000000' } : key === 'score_y' ? { numFmt: '0.00' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow({
      partner_code: r.code, partner_name: r.name, bank_name: r.bank_name || null, account_holder: r.bank_account_name || null,
      bank_account: r.bank_account_no ? (fullAccounts ? r.bank_account_no : maskAccount(r.bank_account_no)) : null,
      accrued: Number(r.accrued), score_y: r.score_y === null ? null : Number(r.score_y), coefficient_p: Number(dec(r.coefficient_p ?? 0).toFixed(6)),
      base_pay: Number(r.base_pay), quality_pay: Number(r.quality_pay), adjustments: Number(r.adjustments), total_pay: Number(r.total_pay),
    });
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const c = wb.addWorksheet(t(lang, 'statementPdf:payout.controlSheet'));
  c.columns = [{ header: 'batch_id', key: 'batch_id', width: 10 }, { header: 'period', key: 'period', width: 10 }, { header: 'line_count', key: 'line_count', width: 12 }, { header: 'sum_total_pay', key: 'sum_total_pay', width: 18, style: { numFmt: '#,##0.00' } }];
  c.getRow(1).font = { bold: true };
  c.addRow({ batch_id: batch.id, period: batch.period, line_count: rows.length, sum_total_pay: Number(sum) });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
