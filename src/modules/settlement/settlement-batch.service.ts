import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, CsvRowError, parseCsv, toCsv } from '../../core/csv/csv.util';
import { dec, money } from '../../core/money/money.util';
import { isValidIsoDate, previousPeriod } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import * as B from './queries/batch.sql';
import * as P from './queries/preview.sql';
import { SettlementBatch } from './settlement.entities';

export const PAYOUT_COLUMNS = ['partner_code', 'partner_name', 'bank_account', 'accrued', 'score_y', 'coefficient_p', 'base_pay', 'quality_pay', 'adjustments', 'total_pay'] as const;
export const PAYMENT_COLUMNS = ['batch_id', 'partner_code', 'paid_amount', 'paid_on'] as const;

/** A batch's life after computation: draft → approved → exported → paid, or draft → cancelled. */
@Injectable()
export class SettlementBatchService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async get(id: number, m: EntityManager = this.db.manager): Promise<SettlementBatch> {
    const b = await m.getRepository(SettlementBatch).findOne({ where: { id } });
    if (!b) throw new NotFoundException(`settlement batch ${id} not found`);
    return b;
  }

  async list(period?: string): Promise<SettlementBatch[]> {
    return this.db.getRepository(SettlementBatch).find({ where: period ? { period } : {}, order: { period: 'DESC', id: 'DESC' }, take: 200 });
  }

  async listImports(): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT i.id, i.period, i.file_name, i.line_count, i.total_amount::text, i.imported_at,
              (SELECT string_agg('#' || bi.batch_id, ', ') FROM settlement_batch_import bi WHERE bi.import_id = i.id) AS batches
         FROM accrual_import i ORDER BY i.id DESC LIMIT 50`);
  }

  /** Exactly one of two simultaneous approvals wins: the UPDATE only matches a draft (and the expected version when given). */
  async approve(actor: Actor, id: number, comment: string, expectedVersion?: number, manager?: EntityManager): Promise<SettlementBatch> {
    if (!comment?.trim()) throw new RuleViolation('An approval comment is required.', 'comment');
    return this.tx(manager, async (m) => {
      const rows = await m.query(
        `UPDATE settlement_batch SET status = 'approved', approved_by = $2, approved_at = now(), approve_comment = $3, version = version + 1
          WHERE id = $1 AND status = 'draft' AND ($4::int IS NULL OR version = $4) RETURNING id`, [id, actor.id > 0 ? actor.id : null, comment.trim(), expectedVersion ?? null]);
      if (!(rows[0]?.length ?? rows.length)) throw await this.conflict(m, id, 'approve');
      await m.query(B.CARRY_FORWARD, [id, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'settlement.batch.approve', entityType: 'settlement_batch', entityId: id, before: { status: 'draft' }, after: { status: 'approved' }, reason: comment.trim() }, m);
      return this.get(id, m);
    });
  }

  /** Cancelling a draft releases its imports and adjustments in the same transaction, so the period can be run again. */
  async cancel(actor: Actor, id: number, reason: string, manager?: EntityManager): Promise<void> {
    if (!reason?.trim()) throw new RuleViolation('A reason is required to cancel a batch.', 'reason');
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

  /** The payout file and its control totals; the first export moves the batch to exported. */
  async export(actor: Actor, id: number, manager?: EntityManager): Promise<{ csv: string; control: string; fileName: string }> {
    return this.tx(manager, async (m) => {
      const b = await m.getRepository(SettlementBatch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!b) throw new NotFoundException(`settlement batch ${id} not found`);
      if (!['approved', 'exported', 'paid'].includes(b.status)) throw new RuleViolation(`Batch #${id} is ${b.status}; only an approved batch can be exported.`);
      const rows: Record<string, string | null>[] = await m.query(P.EXPORT_LINES, [id]);
      const csv = toCsv(PAYOUT_COLUMNS, rows.map((r) => [r.code, r.name, r.bank_account_no, r.accrued, r.score_y ?? '', dec(r.coefficient_p!).toFixed(6), r.base_pay, r.quality_pay, r.adjustments, r.total_pay]));
      const sum = rows.reduce((acc, r) => acc.plus(r.total_pay!), dec(0));
      const control = toCsv(['batch_id', 'period', 'line_count', 'sum_total_pay'], [[id, b.period, rows.length, money(sum)]]);
      if (b.status === 'approved') {
        await m.query(`UPDATE settlement_batch SET status = 'exported', exported_by = $2, exported_at = now(), version = version + 1 WHERE id = $1`, [id, actor.id > 0 ? actor.id : null]);
      }
      await this.audit.record(actor, { action: 'settlement.batch.export', entityType: 'settlement_batch', entityId: id, before: { status: b.status }, after: { status: b.status === 'approved' ? 'exported' : b.status, lineCount: rows.length, sumTotalPay: money(sum) } }, m);
      return { csv, control, fileName: `payout-${b.period}-batch-${id}.csv` };
    });
  }

  async markPaid(actor: Actor, id: number, comment: string, manager?: EntityManager): Promise<void> {
    if (!comment?.trim()) throw new RuleViolation('A comment (payment reference) is required.', 'comment');
    await this.tx(manager, async (m) => {
      const rows = await m.query(
        `UPDATE settlement_batch SET status = 'paid', paid_by = $2, paid_at = now(), paid_comment = $3, version = version + 1
          WHERE id = $1 AND status = 'exported' RETURNING id`, [id, actor.id > 0 ? actor.id : null, comment.trim()]);
      if (!(rows[0]?.length ?? rows.length)) throw await this.conflict(m, id, 'mark as paid');
      await this.audit.record(actor, { action: 'settlement.batch.paid', entityType: 'settlement_batch', entityId: id, after: { status: 'paid' }, reason: comment.trim() }, m);
    });
  }

  /** Payment confirmation from the bank: every paid line must match the batch line exactly; then the batch is paid. */
  async importPaymentConfirmation(actor: Actor, content: string | Buffer): Promise<{ batchIds: number[]; lines: number }> {
    const { rows } = parseCsv(content, PAYMENT_COLUMNS);
    const errors: CsvRowError[] = [];
    const batchIds = [...new Set(rows.map((r) => Number(r.values.batch_id)).filter((n) => Number.isInteger(n) && n > 0))];
    const lines: { batch_id: number; code: string; total_pay: string; status: string }[] = batchIds.length ? await this.db.query(
      `SELECT l.batch_id, p.code, l.total_pay::text, b.status FROM settlement_line l JOIN partner p ON p.id = l.partner_id JOIN settlement_batch b ON b.id = l.batch_id WHERE l.batch_id = ANY($1::int[])`, [batchIds]) : [];
    const key = (b: number | string, c: string) => `${b}|${c}`;
    const expected = new Map(lines.map((l) => [key(l.batch_id, l.code), l]));
    const seen = new Set<string>();
    for (const { row, values: v } of rows) {
      const line = expected.get(key(v.batch_id, v.partner_code));
      if (!line) { errors.push({ row, column: 'partner_code', message: `batch ${v.batch_id} has no line for partner "${v.partner_code}"` }); continue; }
      if (line.status !== 'exported') errors.push({ row, column: 'batch_id', message: `batch ${v.batch_id} is ${line.status}, not exported` });
      if (!/^-?\d+(\.\d{1,2})?$/.test(v.paid_amount) || !dec(v.paid_amount).eq(line.total_pay)) errors.push({ row, column: 'paid_amount', message: `"${v.paid_amount}" does not match the line's total_pay ${line.total_pay}` });
      if (!isValidIsoDate(v.paid_on)) errors.push({ row, column: 'paid_on', message: `"${v.paid_on}" is not a date` });
      if (seen.has(key(v.batch_id, v.partner_code))) errors.push({ row, column: 'partner_code', message: 'listed twice' });
      seen.add(key(v.batch_id, v.partner_code));
    }
    for (const l of lines) if (dec(l.total_pay).gt(0) && !seen.has(key(l.batch_id, l.code))) errors.push({ row: 0, column: '(file)', message: `no payment for partner ${l.code} in batch ${l.batch_id} (${l.total_pay})` });
    if (errors.length) throw new CsvImportError(errors.slice(0, 500), errors.length);
    for (const id of batchIds) await this.markPaid(actor, id, `payment confirmation file (${rows.filter((r) => Number(r.values.batch_id) === id).length} lines)`);
    return { batchIds, lines: rows.length };
  }

  async preview(id: number, opts: { sort?: string; dir?: 'asc' | 'desc'; limit?: number; offset?: number } = {}) {
    const batch = await this.get(id);
    const prev = previousPeriod(batch.period).code;
    const lines = await this.db.query(P.previewLines(opts.sort ?? 'partner', opts.dir ?? 'asc'), [id, prev, opts.limit ?? 500, opts.offset ?? 0]);
    const [totals] = await this.db.query(P.PREVIEW_TOTALS, [id]);
    const inquiries = await this.db.query(P.OPEN_INQUIRIES, [id]);
    return { batch, previousPeriod: prev, lines, totals, inquiries };
  }

  private tx<T>(manager: EntityManager | undefined, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return manager ? fn(manager) : this.db.transaction(fn);
  }

  private async conflict(m: EntityManager, id: number, action: string): Promise<Error> {
    const b = await m.getRepository(SettlementBatch).findOne({ where: { id } });
    if (!b) return new NotFoundException(`settlement batch ${id} not found`);
    return new ConflictException(`Cannot ${action} batch #${id}: it is ${b.status} (version ${b.version}); someone may have changed it just now. Reload and check.`);
  }
}
