import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatDate, formatDateTime, formatMoney, formatYuan } from '../../core/i18n/format.util';
import { Language, tDeep } from '../../core/i18n/i18n';
import { dec } from '../../core/money/money.util';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** What StatementService.statement() returns (the parts the PDF prints). */
export interface PdfStatement {
  partner: { id: number; code: string; name: string; exited: boolean }; period: string; accrued: string; total: string;
  groups: Row[]; lines: Row[]; adjustments: Row[];
}
export interface PdfOptions {
  lang: Language; operatorName: string; code: string; issuedAt: Date; verifyUrl: string;
  font: { path: string; face?: string };
}

/** The configured CJK font is not there: the message names the file and how to fix it. */
export class StatementFontMissing extends Error {
  constructor(readonly path: string) { super(`statement PDF font not found: ${path} (install fonts-noto-cjk or set STATEMENT_PDF_FONT)`); }
}

export function assertFont(path: string): void {
  if (!path || !existsSync(path)) throw new StatementFontMissing(path);
}

const A4 = { margin: 48 };
const GREY = '#555555';

/**
 * The statement (对账单) as a printable A4 PDF: operator, partner, period, accruals by customer and product, each
 * settlement line with the formula in numbers, adjustments, the total, the state of each batch, and the verification
 * code finance looks up. One CJK font (a subset is embedded); pdfkit lays the text out.
 */
export async function renderStatementPdf(s: PdfStatement, o: PdfOptions): Promise<Buffer> {
  assertFont(o.font.path);
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(o.lang, key, params);
  const doc = new PDFDocument({
    size: 'A4', margin: A4.margin, bufferPages: true,
    info: { Title: tr('statementPdf:pdf.docTitle', { code: s.partner.code, period: s.period }), Author: o.operatorName, Subject: s.partner.name, Keywords: o.code },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('data', (c: Buffer) => chunks.push(c)); doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  doc.registerFont('cjk', o.font.path, o.font.face || undefined);
  doc.font('cjk');
  const left = A4.margin;
  const width = doc.page.width - 2 * A4.margin;
  const bottom = () => doc.page.height - A4.margin - 24;
  const ensure = (h: number) => { if (doc.y + h > bottom()) doc.addPage(); };

  /** one table row: cells laid side by side, the row as high as its tallest cell */
  const row = (cells: { text: string; w: number; align?: 'left' | 'right' }[], opts: { size?: number; bold?: boolean; rule?: boolean } = {}) => {
    doc.fontSize(opts.size ?? 9.5);
    const h = Math.max(...cells.map((c) => doc.heightOfString(c.text || ' ', { width: c.w * width - 6 }))) + 5;
    ensure(h);
    const y = doc.y;
    let x = left;
    for (const c of cells) {
      doc.fillColor('black').text(c.text, x + 3, y + 2.5, { width: c.w * width - 6, align: c.align ?? 'left', lineBreak: true });
      if (opts.bold) doc.text(c.text, x + 3.3, y + 2.5, { width: c.w * width - 6, align: c.align ?? 'left' }); // one font: bold by overprint
      x += c.w * width;
    }
    doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(opts.rule ? 0.8 : 0.3).strokeColor(opts.rule ? '#000000' : '#999999').stroke();
    doc.x = left; doc.y = y + h;
  };
  const heading = (text: string) => { ensure(40); doc.moveDown(0.6); doc.fontSize(12).fillColor('black').text(text, left, doc.y, { width }); doc.moveDown(0.2); };
  const para = (text: string, size = 9.5, color = 'black') => { doc.fontSize(size); ensure(doc.heightOfString(text, { width }) + 4); doc.fillColor(color).text(text, left, doc.y, { width }); doc.fillColor('black'); };

  // header
  doc.fontSize(11).fillColor(GREY).text(o.operatorName, { width, align: 'center' });
  doc.moveDown(0.2).fontSize(20).fillColor('black').text(tr('settlement:statement.heading'), { width, align: 'center' });
  doc.moveDown(0.6);
  const kv: [string, string][] = [
    [tr('statementPdf:pdf.operator'), o.operatorName],
    [tr('settlement:col.partner'), `${s.partner.code}  ${s.partner.name}`],
    [tr('settlement:col.period'), s.period],
    [tr('statementPdf:pdf.issuedAt'), formatDateTime(o.issuedAt)],
    [tr('statementPdf:pdf.code'), o.code],
  ];
  for (const [k, v] of kv) row([{ text: k, w: 0.22 }, { text: v, w: 0.78 }], { size: k === kv[4][0] ? 11 : 10 });

  heading(tr('settlement:statement.groups'));
  row([{ text: tr('settlement:col.customer'), w: 0.3 }, { text: tr('settlement:col.product'), w: 0.35 }, { text: tr('settlement:col.lines'), w: 0.1, align: 'right' }, { text: tr('settlement:col.amount'), w: 0.25, align: 'right' }], { rule: true });
  if (!s.groups.length) para(tr('settlement:statement.noAccruals'), 9.5, GREY);
  for (const g of s.groups) row([{ text: String(g.customer_code), w: 0.3 }, { text: String(g.product), w: 0.35 }, { text: String(g.lines), w: 0.1, align: 'right' }, { text: formatMoney(g.amount), w: 0.25, align: 'right' }]);
  row([{ text: tr('settlement:statement.accrued'), w: 0.75 }, { text: formatYuan(s.accrued), w: 0.25, align: 'right' }], { bold: true });

  heading(tr('settlement:statement.settlement'));
  para(tr('settlement:statement.formulaRule'), 10);
  if (!s.lines.length) para(tr('settlement:statement.notSettled'), 9.5, GREY);
  for (const l of s.lines) {
    doc.moveDown(0.4);
    para(tr('settlement:statement.batchLabel', { id: l.batch_id, kind: `settlement:batchKind.${l.kind}`, status: `settlement:batchStatus.${l.status}` }), 10.5);
    para(stateText(tr, l), 10);
    const y = l.score_y ?? (l.pCase === 'perPeriod' ? tr('money:statement.perPeriod') : `—（${tr('settlement:batch.overrideNote', { reason: l.p_override_reason })}）`);
    const items: [string, string][] = [
      [tr('glossary:scoreY'), String(y)],
      [tr('glossary:coefficientP'), dec(String(l.coefficient_p)).toFixed(6)],
      [tr('settlement:statement.accruedLines', { count: l.accrual_count }), formatYuan(l.accrued)],
      [tr('settlement:statement.basePay'), formatYuan(l.base_pay)],
      [tr('settlement:statement.qualityPay'), formatYuan(l.quality_pay)],
      [tr('settlement:statement.adjustments'), formatYuan(l.adjustments)],
      [tr('settlement:statement.totalPay'), formatYuan(l.total_pay)],
    ];
    const carried = !dec(String(l.carry_forward ?? 0)).isZero();
    // an exited partner has no next batch to net a negative remainder against: it is a debt, said so (#16)
    if (carried) items.push([s.partner.exited ? tr('money:statement.debtLeft') : tr('settlement:statement.carried'), formatYuan(l.carry_forward)]);
    for (const [k, v] of items) row([{ text: k, w: 0.7 }, { text: v, w: 0.3, align: 'right' }], { bold: k === tr('settlement:statement.totalPay') });
    para(tr('settlement:statement.formulaNumbers', { accrued: formatMoney(l.accrued), p: l.pShown, total: formatYuan(l.total_formula) }), 9.5);
    if (l.pCase === 'override') para(tr('settlement:statement.pOverride', { reason: l.p_override_reason }), 9, GREY);
    if (l.pCase === 'full') para(tr('settlement:statement.pFull', { y: l.score_y }), 9, GREY);
    if (l.pCase === 'ratio') para(tr('settlement:statement.pRatio', { y: l.score_y, p: l.pShown }), 9, GREY);
    if (l.score_note) para(String(l.score_note), 8.5, GREY);
    if (carried && s.partner.exited && dec(String(l.carry_forward)).isNegative()) para(tr('money:statement.debtLeftNote', { amount: formatYuan(dec(String(l.carry_forward)).abs().toFixed(2)) }), 9.5);
  }

  heading(tr('settlement:statement.adjustmentsTitle'));
  if (!s.adjustments.length) para(tr('common:none'), 9.5, GREY);
  else row([{ text: tr('settlement:col.kind'), w: 0.2 }, { text: tr('settlement:col.reference'), w: 0.22 }, { text: tr('settlement:col.reason'), w: 0.38 }, { text: tr('settlement:col.amount'), w: 0.2, align: 'right' }], { rule: true });
  for (const a of s.adjustments) row([{ text: tr(`settlement:adjustmentKind.${a.kind}`), w: 0.2 }, { text: String(a.reference ?? ''), w: 0.22 }, { text: String(a.reason ?? ''), w: 0.38 }, { text: formatMoney(a.amount), w: 0.2, align: 'right' }]);

  doc.moveDown(0.8);
  para(tr('settlement:statement.grandTotalLine', { period: s.period, amount: formatYuan(s.total) }), 12);
  doc.moveDown(0.8);
  para(tr('statementPdf:pdf.verifyNote', { code: o.code, url: o.verifyUrl }), 9, GREY);

  // footer on every page: the code and the page number
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not start a new page
    const text = tr('statementPdf:pdf.footer', { code: o.code, page: i + 1, pages: range.count });
    doc.fontSize(8).fillColor(GREY).text(text, left, doc.page.height - A4.margin + 6, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

function stateText(tr: (k: string, p?: Record<string, unknown>) => string, l: Row): string {
  switch (l.state === 'paid' ? 'paid' : l.status) {
    case 'draft': return tr('money:statement.stateDraft');
    case 'approved': return tr('money:statement.stateApproved', { date: formatDate(l.approved_at) });
    case 'exported': return tr('money:statement.stateExported', { date: formatDate(l.approved_at) });
    case 'paid': return tr('money:statement.statePaid', { date: formatDate(l.paidOn ?? l.paid_at), ref: l.paymentReference ?? l.paid_comment ?? '' });
    default: return tr(`settlement:batchStatus.${l.status}`);
  }
}
