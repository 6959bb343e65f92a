import { Request, Response } from 'express';
import { tDeep } from '../../core/i18n/i18n';
import { sendXlsx } from '../../core/export/xlsx.util';
import { formatYuan } from '../../core/i18n/format.util';

type Statement = {
  partner: { code: string; name: string; exited?: boolean }; period: string; total: string; accrued: string;
  groups: Record<string, unknown>[]; lines: Record<string, unknown>[]; adjustments: Record<string, unknown>[];
};

/** The statement (对账单) as an Excel file for people: Chinese headers, one row per item, money as numbers. */
export async function sendStatementXlsx(req: Request, res: Response, s: Statement): Promise<void> {
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(req.lang, key, params);
  const rows: Record<string, unknown>[] = [];
  for (const g of s.groups) rows.push({ section: tr('settlement:statement.section.accrual'), item: g.customer_code, detail: g.product, lines: g.lines, amount: g.amount });
  rows.push({ section: tr('settlement:statement.accrued'), amount: s.accrued });
  for (const l of s.lines) {
    const batch = tr('settlement:statement.batchLabel', { id: l.batch_id, kind: `settlement:batchKind.${l.kind}`, status: `settlement:batchStatus.${l.status}` });
    const y = l.score_y === null || l.score_y === undefined ? tr('settlement:statement.override') : String(l.score_y);
    rows.push({ section: tr('settlement:statement.section.settlement'), item: batch, detail: `Y = ${y}；P = ${l.pShown}`, lines: l.accrual_count, amount: l.accrued, note: tr('settlement:statement.formulaNumbers', { accrued: l.accrued, p: l.pShown, total: l.total_formula }) });
    rows.push({ section: tr('settlement:statement.basePay'), item: batch, amount: l.base_pay });
    rows.push({ section: tr('settlement:statement.qualityPay'), item: batch, amount: l.quality_pay });
    rows.push({ section: tr('settlement:statement.adjustments'), item: batch, amount: l.adjustments });
    rows.push({ section: tr('settlement:statement.totalPay'), item: batch, amount: l.total_pay });
    // a remainder left: carried into the next batch, or — the partner has exited, there is none — a debt (#16)
    if (l.carry_forward !== undefined && l.carry_forward !== null && Number(l.carry_forward) !== 0) {
      const debt = s.partner.exited && Number(l.carry_forward) < 0;
      rows.push({ section: tr(s.partner.exited ? 'money:statement.debtLeft' : 'settlement:statement.carried'), item: batch, amount: l.carry_forward,
        note: debt ? tr('money:statement.debtLeftNote', { amount: formatYuan(String(l.carry_forward).replace(/^-/, '')) }) : undefined });
    }
  }
  for (const a of s.adjustments) rows.push({ section: tr('settlement:statement.section.adjustment'), item: tr(`settlement:adjustmentKind.${a.kind}`), detail: a.reference, amount: a.amount, note: a.reason });
  rows.push({ section: tr('settlement:statement.grandTotal', { period: s.period }), amount: s.total });
  const title = tr('settlement:statement.xlsxTitle', { code: s.partner.code, period: s.period });
  await sendXlsx(res, `${title}.xlsx`, {
    title, exportedAtLabel: tr('common:list.exportedAt'),
    filters: [[tr('settlement:col.partner'), `${s.partner.code} ${s.partner.name}`], [tr('settlement:col.period'), s.period]],
    columns: [
      { header: tr('settlement:statement.col.section'), key: 'section', width: 20 },
      { header: tr('settlement:statement.col.item'), key: 'item', width: 28 },
      { header: tr('settlement:statement.col.detail'), key: 'detail', width: 24 },
      { header: tr('settlement:statement.col.lines'), key: 'lines', kind: 'number' },
      { header: tr('settlement:statement.col.amount'), key: 'amount', kind: 'money', width: 16 },
      { header: tr('settlement:statement.col.note'), key: 'note', width: 40 },
    ],
    rows,
  });
}
