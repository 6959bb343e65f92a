import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { toCsv } from '../../core/csv/csv.util';
import { dec, money, parseAmount } from '../../core/money/money.util';
import { parsePeriod } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { qualityCoefficient } from '../scoring/quality-coefficient.util';
import { inquiryAmountProblem } from './inquiry-amount.util';
import { formulaText, withheldByQuality } from './pay-formula.util';
import { SettlementInquiry } from './settlement.entities';
import { SettlementService } from './settlement.service';
import { NotificationEvents } from '../notifications/notification-events.service';
import { AppConfig } from '../../core/config/app-config.service';
import { statementActions } from './statement-window.util';

/** Statements (对账单) per partner and period, and inquiries raised on them. Partner users only ever reach their own. */
@Injectable()
export class StatementService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly settlement: SettlementService,
    private readonly audit: AuditService,
    private readonly notify: NotificationEvents,
    private readonly config: AppConfig,
  ) {}

  /** Per period: accrued, settled, and its state in the partner's words (#16): draft, approved, paid on DATE with REF. */
  async periods(actor: Actor, partnerId: number): Promise<{ period: string; accrued: string; lines: number; totalPay: string | null; state: string | null; approvedAt: Date | null; paidOn: string | null; reference: string | null; confirmed: boolean }[]> {
    this.partners.assertCanSee(actor, partnerId);
    const rows = await this.db.query(
      `SELECT a.period, a.accrued::text, a.lines, s.total_pay::text AS total_pay, s.has_draft, s.all_paid, s.approved_at, s.paid_on, s.refs, s.confirmed
         FROM (SELECT period, sum(amount) AS accrued, count(*)::int AS lines FROM accrual_line WHERE partner_id = $1 GROUP BY period) a
         LEFT JOIN (SELECT b.period, sum(l.total_pay) AS total_pay, bool_or(b.status = 'draft') AS has_draft, bool_and(l.paid_on IS NOT NULL) AS all_paid,
                           max(b.approved_at) AS approved_at, max(l.paid_on)::text AS paid_on, string_agg(DISTINCT l.payment_reference, ', ') AS refs,
                           bool_and(l.confirmed_at IS NOT NULL) AS confirmed
                      FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
                     WHERE l.partner_id = $1 AND b.status <> 'cancelled' GROUP BY b.period) s ON s.period = a.period
        ORDER BY a.period DESC`, [partnerId]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return rows.map((r: Record<string, any>) => ({
      period: r.period, accrued: r.accrued, lines: r.lines, totalPay: r.total_pay,
      state: r.total_pay === null ? null : r.has_draft ? 'draft' : r.all_paid ? 'paid' : 'approved',
      approvedAt: r.approved_at, paidOn: r.paid_on, reference: r.refs, confirmed: !!r.confirmed && !r.has_draft,
    }));
  }

  async statement(actor: Actor, partnerId: number, periodCode: string) {
    this.partners.assertCanSee(actor, partnerId);
    const period = parsePeriod(periodCode).code;
    const partner = await this.partners.findById(partnerId);
    if (!partner) throw new NotFoundException('settlement:errors.partnerNotFound');
    const groups = await this.db.query(
      `SELECT customer_code, product, count(*)::int AS lines, sum(amount)::text AS amount FROM accrual_line
        WHERE partner_id = $1 AND period = $2 GROUP BY customer_code, product ORDER BY customer_code, product`, [partnerId, period]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const lines: Record<string, any>[] = await this.db.query(
      `SELECT l.id, l.batch_id, b.kind, b.status, l.accrual_count, l.accrued::text, l.score_y::text, l.coefficient_p::text, l.p_override_reason,
              l.score_note, l.base_pay::text, l.quality_pay::text, l.adjustments::text, l.total_formula::text, l.total_pay::text, l.carry_forward::text, l.formula_version,
              b.approved_at, b.paid_at, b.paid_comment, l.payment_reference, l.paid_on::text AS paid_on, l.confirmed_at,
              coalesce(nullif(cu.display_name, ''), cu.username) AS confirmed_by_name, l.pay_without_invoice_reason,
              inv.id AS invoice_id, inv.invoice_no, inv.amount::text AS invoice_amount, inv.status AS invoice_status, inv.check_reason AS invoice_reason, inv.document_id AS invoice_document
         FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id LEFT JOIN user_account cu ON cu.id = l.confirmed_by
         LEFT JOIN LATERAL (SELECT * FROM settlement_invoice x WHERE x.line_id = l.id ORDER BY x.id DESC LIMIT 1) inv ON true
        WHERE l.partner_id = $1 AND b.period = $2 AND b.status <> 'cancelled' ORDER BY b.id`, [partnerId, period]);
    const adjustments = lines.length ? await this.db.query(
      `SELECT a.id, a.applied_in_batch_id, a.amount::text, a.kind, a.reason, a.reference FROM settlement_adjustment a
        WHERE a.partner_id = $1 AND a.applied_in_batch_id = ANY($2::int[]) ORDER BY a.id`, [partnerId, lines.map((l) => l.batch_id)]) : [];
    const inquiries = await this.db.query(
      `SELECT q.id, q.batch_id, q.amount::text, q.reason, q.status, q.answer, q.raised_at, q.answered_at FROM settlement_inquiry q
         JOIN settlement_batch b ON b.id = q.batch_id WHERE q.partner_id = $1 AND b.period = $2 ORDER BY q.id`, [partnerId, period]);
    const settled: Record<string, any>[] = lines.map((l) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      ...l,
      formula: formulaText(l.accrued!, l.score_y, l.coefficient_p!, l.total_formula!),
      // for the statement's formula in words: which case of P applies, and P shown with 6 decimals
      // a final (exit) line over periods with different Y has no single Y: each period's Y is in its note (#16)
      pCase: l.score_y === null ? (l.kind === 'final' ? 'perPeriod' : 'override') : dec(l.score_y).gte(90) ? 'full' : 'ratio',
      pShown: (l.score_y === null ? dec(l.coefficient_p!) : dec(qualityCoefficient(l.score_y))).toFixed(6),
      withheld: withheldByQuality(l.accrued!, l.total_formula!),
      // the partner's words (#16): a line paid on its own carries its reference and date; else the batch's
      state: l.paid_on ? 'paid' : l.status,
      paidOn: l.paid_on ?? l.paid_at,
      paymentReference: l.payment_reference ?? l.paid_comment,
      ...statementActions({ status: l.status, approvedAt: l.approved_at, confirmedAt: l.confirmed_at }, this.config.get('STATEMENT_INQUIRY_DAYS')),
      // invoices (#16): uploaded once approved; again after a rejection
      canInvoice: ['approved', 'exported', 'paid'].includes(l.status) && (!l.invoice_id || l.invoice_status === 'rejected'),
    }));
    const total = money(lines.reduce<ReturnType<typeof dec>>((acc, l) => acc.plus(String(l.total_pay)), dec(0)));
    const accrued = money(groups.reduce((acc: ReturnType<typeof dec>, g: { amount: string }) => acc.plus(g.amount), dec(0)));
    // an exited partner has no next batch: a negative remainder is a debt to settle outside the payouts (#16)
    return { partner: { id: partner.id, code: partner.code, name: partner.name, exited: partner.status === 'exited' }, period, groups, lines: settled, adjustments, inquiries, total, accrued };
  }

  async statementCsv(actor: Actor, partnerId: number, period: string): Promise<string> {
    const s = await this.statement(actor, partnerId, period);
    const rows: unknown[][] = s.groups.map((g: Record<string, string>) => ['accrual', g.customer_code, g.product, g.lines, g.amount, '']);
    for (const l of s.lines) {
      rows.push(['settlement', `batch ${l.batch_id} (${l.kind}, ${l.status})`, `Y=${l.score_y ?? 'override'} P=${dec(l.coefficient_p!).toFixed(6)}`, l.accrual_count, l.accrued, l.formula]);
      rows.push(['base_pay', '', '', '', l.base_pay, ''], ['quality_pay', '', '', '', l.quality_pay, ''], ['adjustments', '', '', '', l.adjustments, ''], ['total_pay', '', '', '', l.total_pay, '']);
      // a remainder left: carried into the next batch, or — an exited partner has none — a debt (as the PDF and Excel say)
      if (l.carry_forward !== undefined && l.carry_forward !== null && !dec(String(l.carry_forward)).isZero()) {
        rows.push([s.partner.exited && dec(String(l.carry_forward)).isNegative() ? 'debt' : 'carry_forward', '', '', '', l.carry_forward, '']);
      }
    }
    for (const a of s.adjustments) rows.push(['adjustment', a.kind, a.reference, '', a.amount, a.reason]);
    rows.push(['total', '', '', '', s.total, '']);
    return toCsv(['section', 'customer_or_item', 'product_or_detail', 'lines', 'amount', 'note'], rows);
  }

  /** A partner questions a line until the window ends (also after export). Another partner's line answers 404. */
  async raiseInquiry(actor: Actor, lineId: number, amount: string, reason: string): Promise<SettlementInquiry> {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    const [line] = await this.db.query(
      `SELECT l.id, l.batch_id, l.partner_id, l.accrued::text AS accrued, b.status, b.approved_at, l.confirmed_at
         FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id WHERE l.id = $1 AND l.partner_id = $2`, [lineId, partnerId]);
    if (!line) throw new NotFoundException('settlement:errors.lineNotFound');
    this.assertWindow(line, 'canInquire');
    if (!reason?.trim()) throw new RuleViolation('settlement:errors.inquiryReasonRequired', 'reason');
    let value: string;
    try { value = money(parseAmount(amount, { allowNegative: true })); } catch (e) { throw new RuleViolation((e as Error).message, 'amount', (e as RuleViolation).params); }
    const bound = inquiryAmountProblem(value, line.accrued);
    if (bound) throw new RuleViolation(bound.message, 'amount', bound.params);
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(SettlementInquiry);
      const q = await repo.save(repo.create({ batchId: line.batch_id, lineId: String(line.id), partnerId, amount: value, reason: reason.trim(), status: 'open', raisedBy: actor.id }));
      await this.audit.record(actor, { action: 'settlement.inquiry.raise', entityType: 'settlement_inquiry', entityId: q.id, partnerId, after: { amount: value, batchId: line.batch_id }, reason: q.reason }, m);
      return q;
    });
  }

  /** 对账确认: the partner confirms an approved statement line within the window (who, when; audited). Another partner's line: 404. */
  async confirm(actor: Actor, lineId: number): Promise<void> {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    await this.db.transaction(async (m) => {
      const [line] = await m.query(
        `SELECT l.id, l.batch_id, b.status, b.approved_at, l.confirmed_at FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
          WHERE l.id = $1 AND l.partner_id = $2 FOR UPDATE OF l`, [lineId, partnerId]);
      if (!line) throw new NotFoundException('settlement:errors.lineNotFound');
      this.assertWindow(line, 'canConfirm');
      await m.query(`UPDATE settlement_line SET confirmed_by = $2, confirmed_at = now() WHERE id = $1`, [lineId, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'settlement.statement.confirm', entityType: 'settlement_line', entityId: lineId, partnerId, after: { batchId: line.batch_id, confirmed: true } }, m);
    });
  }

  /** Refuses with the reason in the partner's words: not final yet, already confirmed, window ended, cancelled. */
  private assertWindow(line: { batch_id: number; status: string; approved_at: Date | null; confirmed_at: Date | null }, what: 'canInquire' | 'canConfirm'): void {
    const a = statementActions({ status: line.status, approvedAt: line.approved_at, confirmedAt: line.confirmed_at }, this.config.get('STATEMENT_INQUIRY_DAYS'));
    if (a[what]) return;
    const key = a.closedBecause ?? 'settlement:window.notFinal';
    throw new RuleViolation(`${key}Error`, undefined, { id: line.batch_id, until: a.until ?? '' });
  }

  /** Finance answers: accepted → an 'inquiry' adjustment in the partner's next batch; rejected → the reason is the answer. */
  async answerInquiry(actor: Actor, id: number, accept: boolean, answer: string): Promise<void> {
    if (!answer?.trim()) throw new RuleViolation('settlement:errors.answerRequired', 'answer');
    await this.db.transaction(async (m) => {
      const repo = m.getRepository(SettlementInquiry);
      const q = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!q) throw new NotFoundException({ message: 'settlement:errors.inquiryNotFound', params: { id } });
      if (q.status !== 'open') throw new RuleViolation('settlement:errors.inquiryAnswered', undefined, { id, status: `settlement:inquiryStatus.${q.status}` });
      let adjustmentId: number | null = null;
      if (accept) {
        const adj = await this.settlement.addSystemAdjustment(actor, { partnerId: q.partnerId, amount: q.amount, kind: 'inquiry', reason: `询问 #${id} 已接受：${answer.trim()}`, reference: `inquiry:${id}` }, m);
        adjustmentId = adj.id;
      }
      await repo.update({ id }, { status: accept ? 'accepted' : 'rejected', answer: answer.trim(), answeredBy: actor.id > 0 ? actor.id : null, answeredAt: new Date(), adjustmentId });
      await this.notify.inquiryAnswered(id, m);
      await this.audit.record(actor, { action: `settlement.inquiry.${accept ? 'accept' : 'reject'}`, entityType: 'settlement_inquiry', entityId: id, partnerId: q.partnerId, before: { status: 'open' }, after: { status: accept ? 'accepted' : 'rejected', adjustmentId }, reason: answer.trim() }, m);
    });
  }
}
