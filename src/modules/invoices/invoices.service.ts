import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { formatYuan } from '../../core/i18n/format.util';
import { Actor } from '../../core/auth/actor';
import { dec } from '../../core/money/money.util';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { DocumentsService, UploadedFile } from '../documents/documents.service';
import { NotificationsService } from '../notifications/notifications.service';
import { checkDecisionProblem, checkInvoiceInput, InvoiceInput } from './invoice-rules.util';
import { SettlementInvoice } from './invoice.entity';
import * as Q from './queries/invoices.sql';

const INVOICEABLE = ['approved', 'exported', 'paid'];

/**
 * Invoices (发票, #16): the partner uploads its invoice for an approved statement line; finance checks the amount
 * against the line's total pay (accepted, or rejected with a reason so the partner uploads again); finance may give a
 * per-line reason to pay without an accepted invoice. Payment checks this through LINES_BLOCKED_BY_INVOICE.
 */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly documents: DocumentsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /** The partner's upload. Another partner's line: 404. The file goes through the documents module (type, size). */
  async submit(actor: Actor, lineId: number, input: InvoiceInput, file: UploadedFile | undefined): Promise<{ invoice: SettlementInvoice; period: string }> {
    if (actor.role !== 'partner' || !actor.partnerId) throw new ForbiddenException('partners:errors.partnerUsersOnly');
    const line = await this.line(lineId, actor.partnerId);
    if (!INVOICEABLE.includes(line.status)) throw new RuleViolation('invoices:errors.notApproved', undefined, { id: line.batch_id });
    if (line.live > 0) throw new RuleViolation('invoices:errors.alreadySubmitted');
    const { value, problems } = checkInvoiceInput(input, todayIso());
    if (!value) throw new RuleViolation(problems[0].message, problems[0].field, problems[0].params);
    // the document row and the invoice in one transaction: a refused invoice leaves no file on the line
    const checked = await this.documents.check(actor, 'settlement_line', lineId, 'invoice', file);
    return this.db.transaction(async (m) => {
      const doc = await this.documents.record(actor, checked, m);
      const repo = m.getRepository(SettlementInvoice);
      const invoice = await repo.save(repo.create({ lineId: line.id, partnerId: line.partner_id, ...value, documentId: doc.id, status: 'submitted', submittedBy: actor.id > 0 ? actor.id : null }));
      await this.audit.record(actor, { action: 'invoice.submit', entityType: 'settlement_invoice', entityId: invoice.id, partnerId: line.partner_id, after: { lineId, ...value, documentId: doc.id } }, m);
      await this.notifications.notify({
        key: `invoice.uploaded:${invoice.id}`, kind: 'invoice.uploaded', link: `/invoices?batch=${line.batch_id}`,
        params: { id: invoice.id, code: line.code, name: line.name, period: line.period, amount: formatYuan(value.amount), totalPay: formatYuan(line.total_pay) },
        users: await this.notifications.usersWithRoles(['finance'], m),
      }, { manager: m });
      return { invoice, period: line.period };
    });
  }

  /** Finance checks: accept (a different amount needs the reason) or reject with the reason (the partner is told). */
  async check(actor: Actor, id: number, decision: string, reason: string | undefined): Promise<SettlementInvoice> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(SettlementInvoice);
      const inv = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!inv) throw new NotFoundException({ message: 'invoices:errors.notFound', params: { id } });
      if (inv.status !== 'submitted') throw new RuleViolation('invoices:errors.alreadyChecked', undefined, { id, status: `invoices:status.${inv.status}` });
      const line = await this.line(Number(inv.lineId), null, m);
      const problem = checkDecisionProblem(decision, inv.amount, line.total_pay, reason);
      if (problem) throw new RuleViolation(problem.message, problem.field, problem.params);
      const status = decision === 'accept' ? 'accepted' : 'rejected';
      const matches = dec(inv.amount).eq(line.total_pay);
      await repo.update({ id }, { status, amountMatches: matches, checkReason: reason?.trim() || null, checkedBy: actor.id > 0 ? actor.id : null, checkedAt: new Date() });
      await this.audit.record(actor, { action: `invoice.${decision}`, entityType: 'settlement_invoice', entityId: id, partnerId: inv.partnerId,
        before: { status: 'submitted' }, after: { status, amount: inv.amount, totalPay: line.total_pay, amountMatches: matches }, reason: reason?.trim() || null }, m);
      if (status === 'rejected') {
        await this.notifications.notify({
          key: `invoice.rejected:${id}`, kind: 'invoice.rejected', link: `/my/statements/${line.period}`,
          params: { id, invoiceNo: inv.invoiceNo, period: line.period, reason: reason!.trim() },
          users: await this.notifications.usersOfPartner(inv.partnerId, m),
        }, { manager: m });
      }
      return (await repo.findOne({ where: { id } }))!;
    });
  }

  /** Finance's reason to pay one line without an accepted invoice (stored on the line, audited). */
  async payWithoutInvoice(actor: Actor, lineId: number, reason: string | undefined): Promise<void> {
    if (!reason?.trim()) throw new RuleViolation('invoices:errors.waiverReasonRequired', 'reason');
    await this.db.transaction(async (m) => {
      const line = await this.line(lineId, null, m);
      await m.query(`UPDATE settlement_line SET pay_without_invoice_reason = $2, pay_without_invoice_by = $3, pay_without_invoice_at = now() WHERE id = $1`,
        [lineId, reason.trim(), actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'settlement.line.payWithoutInvoice', entityType: 'settlement_line', entityId: lineId, partnerId: line.partner_id,
        after: { batchId: line.batch_id }, reason: reason.trim() }, m);
    });
  }

  /** Lines of one batch with their latest invoice, or (no batch) the invoices waiting for a check. */
  async lines(batchId: number | null, limit = 500, offset = 0): Promise<Record<string, unknown>[]> {
    return batchId === null ? this.db.query(Q.INVOICES_WAITING, [limit, offset]) : this.db.query(Q.BATCH_LINES_WITH_INVOICES, [batchId, limit, offset]);
  }

  private async line(lineId: number, partnerId: number | null, m: EntityManager = this.db.manager) {
    if (!Number.isSafeInteger(lineId) || lineId <= 0) throw new NotFoundException('settlement:errors.lineNotFound');
    const [line] = await m.query(Q.LINE_FOR_INVOICE, [lineId, partnerId]);
    if (!line) throw new NotFoundException('settlement:errors.lineNotFound');
    return line as { id: string; partner_id: number; total_pay: string; batch_id: number; period: string; status: string; code: string; name: string; live: number };
  }
}
