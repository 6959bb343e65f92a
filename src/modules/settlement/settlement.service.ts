import { Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config.service';
import { adjustmentGate, deciderRefusal } from './money-controls.util';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, CsvRowError, parseCsv } from '../../core/csv/csv.util';
import { money, parseAmount } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { ADJUSTMENT_KINDS, MANUAL_ADJUSTMENT_KINDS, AdjustmentKind, SettlementAdjustment } from './settlement.entities';
import { SettlementRunService } from './settlement-run.service';

export interface AdjustmentInput { partnerId: number; amount: string; kind: AdjustmentKind; reason: string; reference: string }
export const ADJUSTMENT_COLUMNS = ['partner_code', 'amount', 'kind', 'reason', 'reference'] as const;
const IMPORTABLE_KINDS: readonly string[] = MANUAL_ADJUSTMENT_KINDS;

/** The settlement contract other modules use (exit, violations), plus deductions and adjustments. */
@Injectable()
export class SettlementService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly partners: PartnersService,
    private readonly runs: SettlementRunService,
    private readonly config: AppConfig,
  ) {}

  /**
   * An adjustment line entered by finance (negative = deduction), applied in the partner's next batch. The reference
   * is unique. Only the manual kinds: carry-forward and inquiry lines are the system's (addSystemAdjustment).
   */
  async addAdjustment(actor: Actor, input: AdjustmentInput, manager?: EntityManager): Promise<SettlementAdjustment> {
    if (!(MANUAL_ADJUSTMENT_KINDS as readonly string[]).includes(input.kind)) {
      throw new RuleViolation('settlement:errors.badKind', 'kind', { value: input.kind, list: MANUAL_ADJUSTMENT_KINDS.map((k) => `settlement:adjustmentKind.${k}`) });
    }
    let gate: ReturnType<typeof adjustmentGate>;
    try { gate = adjustmentGate(money(parseAmount(input.amount, { allowNegative: true })), this.config.get('ADJUSTMENT_APPROVAL_ABOVE'), this.config.get('ADJUSTMENT_MAX_AMOUNT')); } catch { gate = 'approved'; }
    if (gate === 'tooLarge') throw new RuleViolation('settlement:errors.adjustmentTooLarge', 'amount', { max: this.config.get('ADJUSTMENT_MAX_AMOUNT') });
    return this.addSystemAdjustment(actor, input, manager, gate);
  }

  /** A second finance user (not the one who entered it) approves or rejects a pending adjustment; only approved ones are paid. */
  async decideAdjustment(actor: Actor, id: number, decision: 'approve' | 'reject', note: string, manager?: EntityManager): Promise<SettlementAdjustment> {
    const run = async (m: EntityManager) => {
      const repo = m.getRepository(SettlementAdjustment);
      const a = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!a) throw new NotFoundException({ message: 'settlement:errors.adjustmentNotFound', params: { id } });
      if (a.status !== 'pending') throw new RuleViolation('settlement:errors.adjustmentNotPending', undefined, { id });
      const refusal = deciderRefusal(a.createdBy, actor.id > 0 ? actor.id : null);
      if (refusal) throw new RuleViolation(refusal, undefined, { id });
      if (decision === 'reject' && !note?.trim()) throw new RuleViolation('settlement:errors.reasonRequired', 'note');
      const status = decision === 'approve' ? 'approved' : 'rejected';
      await repo.update({ id }, { status, decidedBy: actor.id, decidedAt: new Date(), decisionNote: note?.trim() || null });
      await this.audit.record(actor, { action: `settlement.adjustment.${decision}`, entityType: 'settlement_adjustment', entityId: id, partnerId: a.partnerId, before: { status: 'pending' }, after: { status, amount: a.amount }, reason: note?.trim() || null }, m);
      return { ...a, status } as SettlementAdjustment;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Any kind, for the system's own lines (an accepted inquiry); never reachable from a form or the API. */
  async addSystemAdjustment(actor: Actor, input: AdjustmentInput, manager?: EntityManager, status: 'pending' | 'approved' = 'approved'): Promise<SettlementAdjustment> {
    const run = async (m: EntityManager) => {
      if (!ADJUSTMENT_KINDS.includes(input.kind)) throw new RuleViolation('settlement:errors.badKind', 'kind', { value: input.kind, list: ADJUSTMENT_KINDS.map((k) => `settlement:adjustmentKind.${k}`) });
      if (!input.reason?.trim()) throw new RuleViolation('settlement:errors.reasonRequired', 'reason');
      if (!input.reference?.trim()) throw new RuleViolation('settlement:errors.referenceRequired', 'reference');
      let amount: string;
      try { amount = money(parseAmount(input.amount, { allowNegative: true })); } catch (e) { throw new RuleViolation((e as Error).message, 'amount', (e as RuleViolation).params); }
      if (Number(amount) === 0) throw new RuleViolation('settlement:errors.zeroAmount', 'amount');
      await this.partners.getById(input.partnerId, m);
      const repo = m.getRepository(SettlementAdjustment);
      if (await repo.exists({ where: { reference: input.reference.trim() } })) throw new RuleViolation('settlement:errors.duplicateReference', 'reference', { reference: input.reference.trim() });
      const saved = await repo.save(repo.create({ partnerId: input.partnerId, amount, kind: input.kind, reason: input.reason.trim(), reference: input.reference.trim(), status, createdBy: actor.id > 0 ? actor.id : null }));
      await this.audit.record(actor, { action: 'settlement.adjustment.add', entityType: 'settlement_adjustment', entityId: saved.id, partnerId: input.partnerId, after: { amount, kind: input.kind, reference: saved.reference, status }, reason: saved.reason }, m);
      return saved;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** `partner_code,amount,kind,reason,reference`: all rows or none. */
  async importAdjustments(actor: Actor, content: string | Buffer): Promise<number> {
    const { rows } = parseCsv(content, ADJUSTMENT_COLUMNS);
    const partners = await this.partners.findByCodes(rows.map((r) => r.values.partner_code));
    const existing = new Set<string>((await this.db.query(`SELECT reference FROM settlement_adjustment WHERE reference = ANY($1::text[])`, [rows.map((r) => r.values.reference)])).map((r: { reference: string }) => r.reference));
    const errors: CsvRowError[] = [];
    const inFile = new Map<string, number>();
    for (const { row, values: v } of rows) {
      if (!partners.has(v.partner_code)) errors.push({ row, column: 'partner_code', message: 'settlement:csv.unknownPartner', params: { code: v.partner_code } });
      try {
        const amount = parseAmount(v.amount, { allowNegative: true });
        if (amount.isZero()) errors.push({ row, column: 'amount', message: 'settlement:csv.zeroAmount' });
        else if (amount.abs().gt(this.config.get('ADJUSTMENT_MAX_AMOUNT'))) errors.push({ row, column: 'amount', message: 'settlement:errors.adjustmentTooLarge', params: { max: this.config.get('ADJUSTMENT_MAX_AMOUNT') } });
      } catch (e) { errors.push({ row, column: 'amount', message: (e as Error).message, params: (e as RuleViolation).params }); }
      if (!IMPORTABLE_KINDS.includes(v.kind as AdjustmentKind)) errors.push({ row, column: 'kind', message: 'settlement:csv.badKind', params: { value: v.kind, list: IMPORTABLE_KINDS.join(', ') } });
      if (!v.reason) errors.push({ row, column: 'reason', message: 'settlement:csv.required' });
      if (!v.reference) errors.push({ row, column: 'reference', message: 'settlement:csv.required' });
      else if (existing.has(v.reference)) errors.push({ row, column: 'reference', message: 'settlement:csv.referenceExists', params: { reference: v.reference } });
      else if (inFile.has(v.reference)) errors.push({ row, column: 'reference', message: 'settlement:csv.duplicateReference', params: { reference: v.reference, firstRow: inFile.get(v.reference) } });
      if (v.reference) inFile.set(v.reference, inFile.get(v.reference) ?? row);
    }
    if (!rows.length) errors.push({ row: 1, column: '(file)', message: 'common:csv.noRows' });
    if (errors.length) throw new CsvImportError(errors);
    await this.db.transaction(async (m) => {
      for (const { values: v } of rows) {
        await this.addAdjustment(actor, { partnerId: partners.get(v.partner_code)!.id, amount: v.amount, kind: v.kind as AdjustmentKind, reason: v.reason, reference: v.reference }, m);
      }
    });
    return rows.length;
  }

  async listAdjustments(opts: { pendingOnly?: boolean; partnerId?: number } = {}) {
    return this.db.query(
      `SELECT a.id, a.partner_id, p.code AS partner_code, p.name AS partner_name, a.amount::text, a.kind, a.reason, a.reference,
              a.applied_in_batch_id, a.source_batch_id, a.created_at, a.status, a.created_by,
              coalesce(nullif(u.display_name, ''), u.username) AS created_by_name
         FROM settlement_adjustment a JOIN partner p ON p.id = a.partner_id LEFT JOIN user_account u ON u.id = a.created_by
        WHERE ($1::boolean IS NOT TRUE OR (a.applied_in_batch_id IS NULL AND a.status <> 'rejected')) AND ($2::int IS NULL OR a.partner_id = $2)
        ORDER BY a.id DESC LIMIT 500`, [opts.pendingOnly ?? false, opts.partnerId ?? null]);
  }

  /** Settles an exiting partner: all unsettled accruals up to the exit date, netting pending adjustments; returns the batch id (a draft of kind 'final'). */
  async runFinalSettlement(actor: Actor, partnerId: number, opts: { exitDate: string; scoreY?: string; reason: string }, manager?: EntityManager): Promise<number> {
    return manager ? this.runs.runFinal(actor, partnerId, opts, manager) : this.db.transaction((m) => this.runs.runFinal(actor, partnerId, opts, m));
  }

  /** For the exit page: accruals no batch has settled yet and adjustments not yet applied. */
  async outstandingFor(partnerId: number): Promise<{ unsettledAccruals: string; unsettledLines: number; pendingAdjustments: string; pendingAdjustmentCount: number; openDraftBatchIds: number[] }> {
    const [acc] = await this.db.query(
      `SELECT count(*)::int AS n, coalesce(sum(l.amount), 0)::text AS total FROM accrual_line l
        WHERE l.partner_id = $1 AND NOT EXISTS (
          SELECT 1 FROM settlement_batch_import bi JOIN settlement_batch b ON b.id = bi.batch_id
           WHERE bi.import_id = l.import_id AND (bi.partner_id IS NULL OR bi.partner_id = l.partner_id) AND b.status <> 'draft')`, [partnerId]);
    const [adj] = await this.db.query(
      `SELECT count(*)::int AS n, coalesce(sum(a.amount), 0)::text AS total FROM settlement_adjustment a LEFT JOIN settlement_batch b ON b.id = a.applied_in_batch_id
        WHERE a.partner_id = $1 AND (a.applied_in_batch_id IS NULL OR b.status = 'draft')`, [partnerId]);
    const drafts = await this.db.query(`SELECT DISTINCT b.id FROM settlement_batch b JOIN settlement_line l ON l.batch_id = b.id WHERE l.partner_id = $1 AND b.status = 'draft' ORDER BY b.id`, [partnerId]);
    return { unsettledAccruals: money(acc.total), unsettledLines: acc.n, pendingAdjustments: money(adj.total), pendingAdjustmentCount: adj.n, openDraftBatchIds: drafts.map((d: { id: number }) => d.id) };
  }
}
