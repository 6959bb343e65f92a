import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, parseCsv, toCsv } from '../../core/csv/csv.util';
import { dec, money } from '../../core/money/money.util';
import { previousPeriod, todayIso } from '../../core/period/period.util';
import { paymentProblems } from './payment-reference.util';
import { matchPaymentRows, PaymentLine } from './payment-file.util';
import { LINES_BLOCKED_BY_INVOICE } from '../invoices/queries/invoices.sql';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import * as B from './queries/batch.sql';
import * as P from './queries/preview.sql';
import { NotificationEvents } from '../notifications/notification-events.service';
import { SettlementBatch } from './settlement.entities';
import { approvalRefusal, approvalsRequired, unacknowledged } from './money-controls.util';
import { AppConfig } from '../../core/config/app-config.service';
import { NotificationsService } from '../notifications/notifications.service';
import { emitWebhookEvent } from '../integrations/webhook-events';

/** the bank's payout file: bank, holder and full account (finance only), total_pay last (#16) */
export const PAYOUT_COLUMNS = ['partner_code', 'partner_name', 'bank_name', 'account_holder', 'bank_account', 'accrued', 'score_y', 'coefficient_p', 'base_pay', 'quality_pay', 'adjustments', 'total_pay'] as const;
/** The batches list: sortable columns (URL key -> SQL). */
export const BATCH_LIST: ListSpec = {
  sortable: { id: 'b.id', period: 'b.period', kind: 'b.kind', status: 'b.status', lines: 'b.line_count', total: 'b.total_pay', computed: 'b.computed_at', approved: 'b.approved_at' },
  defaultSort: 'id', defaultDir: 'desc', pageSize: 50, tieBreaker: 'b.id',
};
export interface BatchFilter { period?: string; kind?: string; status?: string }

/** The inquiries list (all partners, all batches). */
export const INQUIRY_LIST: ListSpec = {
  sortable: { id: 'q.id', partner: 'p.code', period: 'b.period', batch: 'q.batch_id', amount: 'q.amount', status: 'q.status', raised: 'q.raised_at', answered: 'q.answered_at' },
  defaultSort: 'raised', defaultDir: 'desc', pageSize: 50, tieBreaker: 'q.id',
};
export interface InquiryFilter { status?: string; period?: string; q?: string }

/** The lines of one batch (approval preview): sortable columns are the preview query's. */
export const LINE_LIST: ListSpec = { sortable: P.PREVIEW_SORTS, defaultSort: 'partner', defaultDir: 'asc', pageSize: 100 };

/** the bank's payment confirmation: one row per paid line, with the bank's reference and the date paid (#16) */
export const PAYMENT_COLUMNS = ['batch_id', 'partner_code', 'paid_amount', 'paid_on', 'payment_reference'] as const;

/** A batch's life after computation: draft → approved → exported → paid, or draft → cancelled. */
@Injectable()
export class SettlementBatchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly notify: NotificationEvents,
    private readonly notifications: NotificationsService, private readonly config: AppConfig,
  ) {}

  async get(id: number, m: EntityManager = this.db.manager): Promise<SettlementBatch> {
    const b = await m.getRepository(SettlementBatch).findOne({ where: { id } });
    if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    return b;
  }

  async list(period?: string): Promise<SettlementBatch[]> {
    return this.db.getRepository(SettlementBatch).find({ where: period ? { period } : {}, order: { period: 'DESC', id: 'DESC' }, take: 200 });
  }

  /** One page of batches, filtered and sorted on the server. */
  async page(filter: BatchFilter, list: ListQuery): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const where = `WHERE ($1::text IS NULL OR b.period = $1) AND ($2::text IS NULL OR b.kind = $2) AND ($3::text IS NULL OR b.status = $3)`;
    const params = [filter.period || null, filter.kind || null, filter.status || null];
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM settlement_batch b ${where}`, params);
    const rows = await this.db.query(
      `SELECT b.id, b.period, b.kind, b.status, b.line_count AS "lineCount", b.total_pay::text AS "totalPay", b.computed_at AS "computedAt",
              b.approved_at AS "approvedAt", b.paid_at AS "paidAt", p.code AS "partnerCode"
         FROM settlement_batch b LEFT JOIN partner p ON p.id = b.partner_id ${where}
        ORDER BY ${list.orderBy} LIMIT $4 OFFSET $5`, [...params, list.size, list.offset]);
    return { rows, total: n };
  }

  /** One page of inquiries, filtered (status, period, partner code or name) and sorted on the server. */
  async inquiries(filter: InquiryFilter, list: ListQuery): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const where = `WHERE ($1::text IS NULL OR q.status = $1) AND ($2::text IS NULL OR b.period = $2)
                     AND ($3::text IS NULL OR p.code ILIKE $3 OR p.name ILIKE $3)`;
    const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const params = [filter.status || null, filter.period || null, like];
    const from = `FROM settlement_inquiry q JOIN settlement_batch b ON b.id = q.batch_id JOIN partner p ON p.id = q.partner_id`;
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${from} ${where}`, params);
    const rows = await this.db.query(
      `SELECT q.id, q.batch_id AS "batchId", b.period, b.status AS "batchStatus", q.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
              q.amount::text AS amount, q.reason, q.status, q.answer, q.raised_at AS "raisedAt", q.answered_at AS "answeredAt"
         ${from} ${where} ORDER BY ${list.orderBy} LIMIT $4 OFFSET $5`, [...params, list.size, list.offset]);
    return { rows, total: n };
  }

  async listImports(): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT i.id, i.period, i.file_name, i.line_count, i.total_amount::text, i.imported_at,
              (SELECT string_agg('#' || bi.batch_id, ', ') FROM settlement_batch_import bi WHERE bi.import_id = i.id) AS batches
         FROM accrual_import i ORDER BY i.id DESC LIMIT 50`);
  }

  /**
   * Four eyes (#16): the maker (who ran or last recomputed) cannot approve; a batch above BATCH_DUAL_APPROVAL_ABOVE
   * needs two approvals by two different people (it stays a draft after the first); flagged lines must be ticked.
   * Exactly one of two simultaneous approvals wins: the batch row is locked and its status/version checked.
   */
  async approve(actor: Actor, id: number, comment: string, expectedVersion?: number, manager?: EntityManager, acknowledge: readonly (string | number)[] = []): Promise<SettlementBatch> {
    if (!comment?.trim()) throw new RuleViolation('settlement:errors.commentRequired', 'comment');
    return this.tx(manager, async (m) => {
      const b = await m.getRepository(SettlementBatch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
      if (b.status !== 'draft' || (expectedVersion != null && b.version !== expectedVersion)) throw await this.conflict(m, id, 'approve');
      const me = actor.id > 0 ? actor.id : null;
      const prior: { user_id: number | null }[] = await m.query(`SELECT user_id FROM settlement_batch_approval WHERE batch_id = $1 AND batch_version = $2 ORDER BY id`, [id, b.version]);
      const refusal = approvalRefusal(b.computedBy, me, prior.map((p) => p.user_id));
      if (refusal) throw new RuleViolation(refusal, 'comment', { id });
      await this.acknowledgeFlags(m, id, me, acknowledge);
      await m.query(`INSERT INTO settlement_batch_approval (batch_id, user_id, batch_version, comment) VALUES ($1, $2, $3, $4)`, [id, me, b.version, comment.trim()]);
      const needed = approvalsRequired(b.totalPay, this.config.get('BATCH_DUAL_APPROVAL_ABOVE'));
      if (prior.length + 1 < needed) {
        await this.askSecondApproval(m, b, [b.computedBy, me]);
        await this.audit.record(actor, { action: 'settlement.batch.approve.first', entityType: 'settlement_batch', entityId: id, after: { approvals: prior.length + 1, needed }, reason: comment.trim() }, m);
        return this.get(id, m);
      }
      await m.query(
        `UPDATE settlement_batch SET status = 'approved', approved_by = $2, approved_at = now(), approve_comment = $3, version = version + 1 WHERE id = $1`, [id, me, comment.trim()]);
      await m.query(B.CARRY_FORWARD, [id, me]);
      await this.notify.statementsReady(id, m);
      await emitWebhookEvent(m, 'batch.approved', { batchId: id });
      await this.audit.record(actor, { action: 'settlement.batch.approve', entityType: 'settlement_batch', entityId: id, before: { status: 'draft' }, after: { status: 'approved', approvals: prior.length + 1 }, reason: comment.trim() }, m);
      return this.get(id, m);
    });
  }

  /** Flagged lines (high pay, bank account changed) must each be ticked by an approver before the batch is approved. */
  private async acknowledgeFlags(m: EntityManager, id: number, me: number | null, acknowledge: readonly (string | number)[]): Promise<void> {
    const flagged: { id: string; code: string; flags: string[] }[] = await m.query(
      `SELECT l.id::text AS id, p.code, l.review_flags AS flags FROM settlement_line l JOIN partner p ON p.id = l.partner_id
        WHERE l.batch_id = $1 AND cardinality(l.review_flags) > 0 AND l.flag_ack_at IS NULL ORDER BY p.code`, [id]);
    const missing = unacknowledged(flagged, acknowledge);
    if (missing.length) {
      const codes = flagged.filter((f) => missing.includes(f.id)).map((f) => f.code);
      throw new RuleViolation('settlement:errors.flagsNotAcknowledged', 'acknowledge', { count: codes.length, list: codes.slice(0, 50).join(', ') });
    }
    if (flagged.length) await m.query(`UPDATE settlement_line SET flag_ack_by = $2, flag_ack_at = now() WHERE id = ANY($1::bigint[])`, [flagged.map((f) => f.id), me]);
  }

  /** The first of two approvals: the other finance users (not the maker, not the first approver) are asked for the second. */
  private async askSecondApproval(m: EntityManager, b: SettlementBatch, exclude: (number | null)[]): Promise<void> {
    const users = (await this.notifications.usersWithRoles(['finance'], m)).filter((u) => !exclude.includes(u));
    await this.notifications.notify({
      key: `batch.awaitingApproval:${b.id}:v${b.version}:second`, kind: 'batch.awaitingApproval', link: `/settlement/batches/${b.id}`,
      params: { batchId: b.id, period: b.period, batchKind: `settlement:batchKind.${b.kind}`, amount: b.totalPay, lines: b.lineCount }, users,
    }, { manager: m });
  }

  /** Who made the batch and who approved it (the current computation's approvals). */
  async approvals(id: number): Promise<{ maker: string | null; needed: number; approvals: { name: string; at: Date; comment: string }[] }> {
    const [b] = await this.db.query(
      `SELECT b.total_pay::text AS total, coalesce(nullif(u.display_name, ''), u.username) AS maker
         FROM settlement_batch b LEFT JOIN user_account u ON u.id = b.computed_by WHERE b.id = $1`, [id]);
    if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    const approvals = await this.db.query(
      `SELECT coalesce(nullif(u.display_name, ''), u.username, 'system') AS name, a.approved_at AS at, a.comment
         FROM settlement_batch_approval a LEFT JOIN user_account u ON u.id = a.user_id
        WHERE a.batch_id = $1 ORDER BY a.id`, [id]);
    return { maker: b.maker, needed: approvalsRequired(b.total, this.config.get('BATCH_DUAL_APPROVAL_ABOVE')), approvals };
  }

  /** Cancelling a draft releases its imports and adjustments in the same transaction, so the period can be run again. */
  async cancel(actor: Actor, id: number, reason: string, manager?: EntityManager): Promise<void> {
    if (!reason?.trim()) throw new RuleViolation('settlement:errors.cancelReasonRequired', 'reason');
    await this.tx(manager, async (m) => {
      const rows = await m.query(
        `UPDATE settlement_batch SET status = 'cancelled', cancelled_by = $2, cancelled_at = now(), cancel_reason = $3, version = version + 1
          WHERE id = $1 AND status = 'draft' RETURNING id`, [id, actor.id > 0 ? actor.id : null, reason.trim()]);
      if (!(rows[0]?.length ?? rows.length)) throw await this.conflict(m, id, 'cancel');
      await m.query(`DELETE FROM settlement_batch_import WHERE batch_id = $1`, [id]);
      await m.query(B.RELEASE_ADJUSTMENTS, [id]);
      await this.audit.record(actor, { action: 'settlement.batch.cancel', entityType: 'settlement_batch', entityId: id, before: { status: 'draft' }, after: { status: 'cancelled' }, reason: reason.trim() }, m);
    });
  }

  /** The payout file and its control totals as they are: reading them changes nothing and writes no audit entry. */
  async payoutFiles(id: number, manager?: EntityManager): Promise<{ csv: string; control: string; fileName: string; lineCount: number; sum: string; status: string; period: string; rows: Record<string, string | null>[] }> {
    const m = manager ?? this.db.manager;
    const b = await m.getRepository(SettlementBatch).findOne({ where: { id } });
    if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    if (!['approved', 'exported', 'paid'].includes(b.status)) throw new RuleViolation('settlement:errors.exportNotApproved', undefined, { id, status: `settlement:batchStatus.${b.status}` });
    const rows: Record<string, string | null>[] = await m.query(P.EXPORT_LINES, [id]);
    const csv = toCsv(PAYOUT_COLUMNS, rows.map((r) => [r.code, r.name, r.bank_name, r.bank_account_name, r.bank_account_no, r.accrued, r.score_y ?? '', dec(r.coefficient_p!).toFixed(6), r.base_pay, r.quality_pay, r.adjustments, r.total_pay]));
    const sum = money(rows.reduce((acc, r) => acc.plus(r.total_pay!), dec(0)));
    const control = toCsv(['batch_id', 'period', 'line_count', 'sum_total_pay'], [[id, b.period, rows.length, sum]]);
    return { csv, control, fileName: `payout-${b.period}-batch-${id}.csv`, lineCount: rows.length, sum, status: b.status, period: b.period, rows };
  }

  /** The payout file again after export (#16): a read (no status change), refused before the batch was exported. */
  async exportedPayoutFiles(id: number): ReturnType<SettlementBatchService['payoutFiles']> {
    const b = await this.get(id);
    if (b.status !== 'exported' && b.status !== 'paid') throw new RuleViolation('settlement:errors.exportFirst', undefined, { id, status: `settlement:batchStatus.${b.status}` });
    return this.payoutFiles(id);
  }

  /** Exporting (a POST): the payout file and its control totals; the first export moves the batch to exported. */
  async export(actor: Actor, id: number, manager?: EntityManager): Promise<{ csv: string; control: string; fileName: string }> {
    return this.tx(manager, async (m) => {
      const b = await m.getRepository(SettlementBatch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
      const { csv, control, fileName, lineCount, sum } = await this.payoutFiles(id, m);
      if (b.status === 'approved') {
        await m.query(`UPDATE settlement_batch SET status = 'exported', exported_by = $2, exported_at = now(), version = version + 1 WHERE id = $1`, [id, actor.id > 0 ? actor.id : null]);
      }
      await this.audit.record(actor, { action: 'settlement.batch.export', entityType: 'settlement_batch', entityId: id, before: { status: b.status }, after: { status: b.status === 'approved' ? 'exported' : b.status, lineCount, sumTotalPay: sum } }, m);
      return { csv, control, fileName };
    });
  }

  /** The whole batch paid with one reference, today (the CLI, the seed, the API's older callers). */
  async markPaid(actor: Actor, id: number, comment: string, manager?: EntityManager): Promise<void> {
    if (!comment?.trim()) throw new RuleViolation('settlement:errors.paymentReferenceRequired', 'comment');
    await this.markLinesPaid(actor, id, { lineIds: 'all', reference: comment, paidOn: todayIso() }, manager);
  }

  /**
   * Marks lines of an exported batch paid with one payment reference and date (#16): all unpaid lines, or the ones
   * chosen. The batch is paid once every line with something to pay is. Nothing changes if any line is refused.
   */
  async markLinesPaid(actor: Actor, id: number, input: { lineIds: 'all' | readonly (string | number)[]; reference: string; paidOn: string }, manager?: EntityManager): Promise<{ lines: number; batchPaid: boolean }> {
    const problem = paymentProblems(input.reference, input.paidOn, todayIso())[0];
    if (problem) throw new RuleViolation(problem.message, problem.column === 'paid_on' ? 'paidOn' : 'comment', problem.params);
    return this.tx(manager, async (m) => {
      const b = await m.getRepository(SettlementBatch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
      if (b.status !== 'exported') throw await this.conflict(m, id, 'markPaid');
      const all = input.lineIds === 'all';
      const wanted = all ? [] : [...new Set((input.lineIds as readonly (string | number)[]).map(String))].filter((x) => /^\d{1,18}$/.test(x));
      if (!all && !wanted.length) throw new RuleViolation('settlement:payment.noneSelected', 'line');
      const rows: { id: string; code: string; paid_on: string | null }[] = await m.query(
        `SELECT l.id::text AS id, p.code, l.paid_on::text AS paid_on FROM settlement_line l JOIN partner p ON p.id = l.partner_id
          WHERE l.batch_id = $1 AND ($2::boolean OR l.id = ANY($3::bigint[])) AND (NOT $2::boolean OR l.paid_on IS NULL) ORDER BY p.code`, [id, all, wanted]);
      if (rows.length < wanted.length) throw new NotFoundException('settlement:errors.lineNotFound');
      const paid = rows.filter((r) => r.paid_on);
      if (paid.length) throw new RuleViolation('settlement:payment.alreadyPaid', 'line', { list: paid.map((r) => r.code).join(', ') });
      // invoices (#16): only lines with an accepted invoice, or finance's reason to pay without one
      const blocked: { code: string }[] = rows.length ? await m.query(LINES_BLOCKED_BY_INVOICE, [rows.map((r) => r.id)]) : [];
      if (blocked.length) throw new RuleViolation('invoices:errors.blocked', 'line', { list: blocked.slice(0, 50).map((r) => r.code).join(', ') });
      const ref = input.reference.trim();
      return this.recordLinePayments(m, actor, id, rows.map((r) => ({ lineId: r.id, reference: ref, paidOn: input.paidOn.trim() })));
    });
  }

  /** Writes each line's reference and date; when no line with pay is left unpaid the batch is paid (notified, audited). */
  private async recordLinePayments(m: EntityManager, actor: Actor, id: number, entries: { lineId: string; reference: string; paidOn: string }[]): Promise<{ lines: number; batchPaid: boolean }> {
    const me = actor.id > 0 ? actor.id : null;
    if (entries.length) {
      await m.query(
        `UPDATE settlement_line l SET payment_reference = x.reference, paid_on = x.paid_on::date, paid_by = $5, paid_at = now()
           FROM (SELECT unnest($2::bigint[]) AS id, unnest($3::text[]) AS reference, unnest($4::text[]) AS paid_on) x
          WHERE l.id = x.id AND l.batch_id = $1`, [id, entries.map((e) => e.lineId), entries.map((e) => e.reference), entries.map((e) => e.paidOn), me]);
      await this.audit.record(actor, { action: 'settlement.lines.paid', entityType: 'settlement_batch', entityId: id,
        after: { lines: entries.length, references: [...new Set(entries.map((e) => e.reference))].slice(0, 20), dates: [...new Set(entries.map((e) => e.paidOn))].slice(0, 20) } }, m);
    }
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM settlement_line WHERE batch_id = $1 AND paid_on IS NULL AND total_pay > 0`, [id]);
    if (n > 0) return { lines: entries.length, batchPaid: false };
    const [done] = await m.query(
      `UPDATE settlement_batch SET status = 'paid', paid_by = $2, paid_at = now(), version = version + 1,
              paid_comment = coalesce((SELECT left(string_agg(DISTINCT payment_reference, ', '), 2000) FROM settlement_line WHERE batch_id = $1), '')
        WHERE id = $1 AND status = 'exported' RETURNING paid_comment`, [id, me]);
    await this.notify.statementsPaid(id, m);
    await emitWebhookEvent(m, 'batch.paid', { batchId: id });
    await this.audit.record(actor, { action: 'settlement.batch.paid', entityType: 'settlement_batch', entityId: id, after: { status: 'paid' }, reason: (done?.[0]?.paid_comment ?? done?.paid_comment) || null }, m);
    return { lines: entries.length, batchPaid: true };
  }

  /**
   * Payment confirmation from the bank (#16): every row must match an unpaid line exactly and carry the bank's reference
   * and date; every line with pay still unpaid must be in the file. All or nothing: one transaction.
   */
  async importPaymentConfirmation(actor: Actor, content: string | Buffer): Promise<{ batchIds: number[]; lines: number }> {
    const { rows } = parseCsv(content, PAYMENT_COLUMNS);
    const batchIds = [...new Set(rows.map((r) => Number(r.values.batch_id)).filter((n) => Number.isInteger(n) && n > 0))];
    const lines: PaymentLine[] = batchIds.length ? await this.db.query(
      `SELECT l.id::text AS id, l.batch_id, p.code, l.total_pay::text, b.status, l.paid_on::text AS paid_on FROM settlement_line l JOIN partner p ON p.id = l.partner_id
         JOIN settlement_batch b ON b.id = l.batch_id WHERE l.batch_id = ANY($1::int[])`, [batchIds]) : [];
    const unpaid = lines.filter((l) => !l.paid_on).map((l) => l.id);
    const blocked = new Set((unpaid.length ? await this.db.query(LINES_BLOCKED_BY_INVOICE, [unpaid]) as { id: string }[] : []).map((r) => r.id));
    const { errors, entries } = matchPaymentRows(rows, lines, blocked, todayIso());
    if (errors.length) throw new CsvImportError(errors.slice(0, 500), errors.length);
    await this.db.transaction(async (m) => {
      for (const id of batchIds) {
        const b = await m.getRepository(SettlementBatch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (b?.status !== 'exported') throw await this.conflict(m, id, 'markPaid');
        await this.recordLinePayments(m, actor, id, entries.get(id) ?? []);
      }
    });
    return { batchIds, lines: rows.length };
  }

  async preview(id: number, opts: { sort?: string; dir?: 'asc' | 'desc'; limit?: number; offset?: number; q?: string } = {}) {
    const batch = await this.get(id);
    const prev = batch.kind === 'regular' ? previousPeriod(batch.period).code : batch.period;
    const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const lines = await this.db.query(P.previewLines(opts.sort ?? 'partner', opts.dir ?? 'asc'), [id, prev, opts.limit ?? 500, opts.offset ?? 0, like]);
    const [{ n: matching }] = like ? await this.db.query(P.COUNT_LINES, [id, like]) : [{ n: null }];
    const [totals] = await this.db.query(P.PREVIEW_TOTALS, [id]);
    const inquiries = await this.db.query(P.OPEN_INQUIRIES, [id]);
    const flagged = batch.status === 'draft' ? await this.db.query(P.UNACKNOWLEDGED_FLAGS, [id]) : [];
    return { batch, previousPeriod: prev, lines, totals, inquiries, flagged, fourEyes: await this.approvals(id), matching: (matching as number | null) ?? (totals.line_count as number) };
  }

  private tx<T>(manager: EntityManager | undefined, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return manager ? fn(manager) : this.db.transaction(fn);
  }

  private async conflict(m: EntityManager, id: number, action: string): Promise<Error> {
    const b = await m.getRepository(SettlementBatch).findOne({ where: { id } });
    if (!b) return new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    return new ConflictException({ message: 'settlement:errors.conflict', params: { action: `settlement:action.${action}`, id, status: `settlement:batchStatus.${b.status}`, version: b.version } });
  }
}
