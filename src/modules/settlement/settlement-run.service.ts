import { ConflictException, Injectable } from '@nestjs/common';
import { holdForFaultTest } from './fault-hold';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { AppConfig } from '../../core/config/app-config.service';
import { Actor } from '../../core/auth/actor';
import { parsePeriod } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { SettlementCollaborators, SheetRef } from './collaborators';
import { FORMULA_VERSION } from './pay-formula.util';
import { insertFinalLine } from './final-lines';
import { applyCorrections, correctionNote, ScoreCorrection, scoreCorrections } from './score-corrections';
import * as Q from './queries/batch.sql';
import { SettlementBatch } from './settlement.entities';
import { NotificationEvents } from '../notifications/notification-events.service';

export interface RunOptions {
  supplementary?: boolean;
  /** partnerId -> reason: settle these partners without a confirmed score sheet at P = 1 */
  overrides?: Record<number, string>;
}
export interface RunResult { batchId: number; created: boolean; lineCount: number; totalPay: string; seconds: number }
interface ScoreInput { partnerId: number; scoreY: string | null; sheetId: number | null; revision: number | null; reason: string | null; note: string | null }

/**
 * Creates or recomputes a period's draft batch in one transaction under an advisory lock on the period.
 * Every number of a line is computed in SQL by one INSERT … SELECT (queries/batch.sql.ts).
 */
@Injectable()
export class SettlementRunService {
  /** test seam: called after the lines are inserted, inside the transaction (a throw must leave nothing behind) */
  afterLinesInserted: ((m: EntityManager, batchId: number) => Promise<void>) | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly inputs: SettlementCollaborators,
    private readonly config: AppConfig, private readonly notify: NotificationEvents) {}

  async run(actor: Actor, periodCode: string, opts: RunOptions = {}, manager?: EntityManager): Promise<RunResult> {
    const period = parsePeriod(periodCode).code;
    const started = Date.now();
    const work = async (m: EntityManager) => {
      await this.lockPeriod(m, period);
      const kind = opts.supplementary ? 'supplementary' : 'regular';
      const batches = await m.getRepository(SettlementBatch).find({ where: { period }, order: { id: 'ASC' } });
      const regular = batches.find((b) => b.kind === 'regular' && b.status !== 'cancelled');
      let draft = batches.find((b) => b.kind === kind && b.status === 'draft');
      if (kind === 'regular' && regular && regular.status !== 'draft') {
        throw new RuleViolation('settlement:errors.cannotRecompute', undefined, { id: regular.id, period, status: `settlement:batchStatus.${regular.status}` });
      }
      if (kind === 'supplementary' && (!regular || regular.status === 'draft')) {
        throw new RuleViolation('settlement:errors.supplementaryNeedsRegular', undefined, { period });
      }
      const unclaimed: number[] = (await m.query(Q.UNCLAIMED_IMPORTS, [period])).map((r: { id: number }) => r.id);
      // a revision confirmed after the period was settled pays its difference in the supplementary batch (#16)
      const corrections = kind === 'supplementary' ? await scoreCorrections(m, period, await this.inputs.confirmedSheets(period, m)) : [];
      // a recompute keeps the draft's P = 1 overrides unless the run names them again
      const overrides = { ...(draft ? await this.keptOverrides(m, draft.id) : {}), ...(opts.overrides ?? {}) };
      if (kind === 'supplementary' && !draft && !unclaimed.length && !corrections.length) throw new RuleViolation('settlement:errors.nothingSupplementary', undefined, { period, id: regular!.id });
      const created = !draft;
      if (!draft) {
        const [row] = await m.query(`INSERT INTO settlement_batch (period, kind, formula_version, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [period, kind, FORMULA_VERSION, actorId(actor)]);
        draft = { id: row.id } as SettlementBatch;
      } else {
        await this.clearDraft(m, draft.id);
      }
      if (unclaimed.length) await m.query(Q.CLAIM_IMPORTS, [draft.id, unclaimed, null]);
      await this.recordPenalties(m, actor);
      await m.query(kind === 'regular' ? Q.APPLY_ALL_PENDING : Q.APPLY_PENDING_OF_BATCH_PARTNERS, [draft.id]);
      await applyCorrections(m, draft.id, period, corrections, actorId(actor));
      const scores = kind === 'regular' ? await this.confirmedScores(m, period, overrides) : await this.supplementaryScores(m, period, regular!.id, overrides, corrections);
      const exclusions = (await m.query(Q.FINAL_CLAIMS_ON_BATCH, [draft.id])).length > 0;
      await m.query(Q.insertLines('whole', exclusions), [draft.id, ...scoreArrays(scores), FORMULA_VERSION]);
      await this.assertScored(m, draft.id, period);
      await this.markForReview(m, draft.id, actor);
      if (this.afterLinesInserted) await this.afterLinesInserted(m, draft.id);
      await holdForFaultTest(m);
      const [[totals]] = await m.query(Q.UPDATE_BATCH_TOTALS, [draft.id]);
      await this.audit.record(actor, { action: created ? 'settlement.batch.create' : 'settlement.batch.recompute', entityType: 'settlement_batch', entityId: draft.id, after: { period, kind, lineCount: totals.line_count, totalPay: totals.total_pay, overrides, corrections: corrections.length } }, m);
      // the other finance users are asked to approve (four eyes), in this transaction
      await this.notify.batchAwaitingApproval(draft.id, m);
      return { batchId: draft.id, created, lineCount: totals.line_count as number, totalPay: totals.total_pay as string };
    };
    const result = manager ? await work(manager) : await this.db.transaction(work);
    return { ...result, seconds: (Date.now() - started) / 1000 };
  }

  /** Final settlement of an exiting partner: its unsettled accruals of all periods up to the exit date, one batch of kind 'final'. */
  async runFinal(actor: Actor, partnerId: number, opts: { exitDate: string; scoreY?: string; reason: string }, m: EntityManager): Promise<number> {
    if (!opts.reason?.trim()) throw new RuleViolation('settlement:errors.finalReasonRequired', 'reason');
    const imports: { id: number; period: string }[] = await m.query(
      `SELECT DISTINCT i.id, i.period FROM accrual_import i JOIN accrual_line l ON l.import_id = i.id AND l.partner_id = $1
        WHERE NOT EXISTS (SELECT 1 FROM settlement_batch_import bi WHERE bi.import_id = i.id AND (bi.partner_id IS NULL OR bi.partner_id = $1))
        ORDER BY i.id`, [partnerId]);
    const periods = [...new Set(imports.map((i) => i.period))].sort();
    for (const p of periods) await this.lockPeriod(m, p);
    const period = periods.at(-1) ?? parsePeriod(`${opts.exitDate.slice(0, 4)}Q${Math.floor((Number(opts.exitDate.slice(5, 7)) - 1) / 3) + 1}`).code;
    const [row] = await m.query(`INSERT INTO settlement_batch (period, kind, partner_id, formula_version, created_by) VALUES ($1, 'final', $2, $3, $4) RETURNING id`, [period, partnerId, FORMULA_VERSION, actorId(actor)]);
    const batchId = row.id as number;
    if (imports.length) await m.query(Q.CLAIM_IMPORTS, [batchId, imports.map((i) => i.id), partnerId]);
    await this.recordPenalties(m, actor);
    await m.query(Q.APPLY_PENDING_OF_PARTNER, [batchId, partnerId]);
    // each period's confirmed Y; a period without one needs the Y given at completion (#16)
    const final = await insertFinalLine(m, batchId, partnerId, opts.exitDate, FORMULA_VERSION,
      async (period) => (await this.inputs.confirmedSheets(period, m)).get(partnerId), { scoreY: opts.scoreY, reason: opts.reason });
    await this.markForReview(m, batchId, actor);
    await m.query(Q.UPDATE_BATCH_TOTALS, [batchId]);
    await this.audit.record(actor, { action: 'settlement.batch.final', entityType: 'settlement_batch', entityId: batchId, partnerId, after: { exitDate: opts.exitDate, periods: final.periods, imports: imports.length }, reason: opts.reason }, m);
    return batchId;
  }

  /** Four eyes (#16): whoever ran or recomputed is the maker; unusual lines are flagged for the approver. */
  private async markForReview(m: EntityManager, batchId: number, actor: Actor): Promise<void> {
    await m.query(Q.SET_MAKER, [batchId, actorId(actor)]);
    await m.query(Q.FLAG_LINES, [batchId, this.config.get('LINE_REVIEW_MULTIPLE')]);
  }

  private async lockPeriod(m: EntityManager, period: string): Promise<void> {
    const [{ ok }] = await m.query(Q.TRY_PERIOD_LOCK, [period]);
    if (!ok) throw new ConflictException({ message: 'settlement:errors.runInProgress', params: { period } });
  }

  /** Clears a draft's lines, claims and applied adjustments so it can be computed afresh. */
  async clearDraft(m: EntityManager, batchId: number): Promise<void> {
    await m.query(`DELETE FROM settlement_line WHERE batch_id = $1`, [batchId]);
    await m.query(Q.RELEASE_ADJUSTMENTS, [batchId]);
  }

  /** The violations register's penalties (and refunds of voided ones) not stored yet; idempotent by reference. */
  private async recordPenalties(m: EntityManager, actor: Actor): Promise<void> {
    const lines = await this.inputs.penaltyAdjustments(m);
    if (!lines.length) return;
    await m.query(Q.INSERT_PENALTIES, [lines.map((l) => l.partnerId), lines.map((l) => l.amount), lines.map((l) => l.reason), lines.map((l) => l.reference), actorId(actor)]);
  }

  private async confirmedScores(m: EntityManager, period: string, overrides: Record<number, string> = {}): Promise<ScoreInput[]> {
    const sheets = await this.inputs.confirmedSheets(period, m);
    const out: ScoreInput[] = [...sheets].map(([partnerId, s]) => ({ partnerId, scoreY: s.scoreY, sheetId: s.sheetId, revision: s.revision, reason: null, note: null }));
    for (const [id, reason] of Object.entries(overrides)) {
      if (!sheets.has(Number(id)) && reason?.trim()) out.push({ partnerId: Number(id), scoreY: null, sheetId: null, revision: null, reason: reason.trim(), note: null });
    }
    return out;
  }

  /**
   * The latest confirmed Y (#16: a correction reaches pay; the paid part's difference is a score_correction adjustment);
   * partners without a confirmed sheet keep what the regular batch used (its P = 1 reason).
   */
  private async supplementaryScores(m: EntityManager, period: string, regularId: number, overrides: Record<number, string>, corrections: ScoreCorrection[]): Promise<ScoreInput[]> {
    const latest = await this.confirmedScores(m, period, overrides);
    const used: { partner_id: number; score_y: string | null; score_sheet_id: number | null; score_sheet_revision: number | null; p_override_reason: string | null }[] =
      await m.query(`SELECT partner_id, score_y::text AS score_y, score_sheet_id, score_sheet_revision, p_override_reason FROM settlement_line WHERE batch_id = $1`, [regularId]);
    const byPartner = new Map(latest.map((s) => [s.partnerId, s]));
    for (const u of used) {
      if (byPartner.get(u.partner_id)?.sheetId) continue;
      byPartner.set(u.partner_id, { partnerId: u.partner_id, scoreY: u.score_y, sheetId: u.score_sheet_id, revision: u.score_sheet_revision, reason: u.p_override_reason, note: `Y 沿用批次 #${regularId}` });
    }
    for (const c of corrections) {
      const s = byPartner.get(c.partnerId);
      if (s) s.note = correctionNote(period, c);
    }
    return [...byPartner.values()];
  }

  /** The P = 1 overrides a draft was computed with (partner -> reason). */
  private async keptOverrides(m: EntityManager, batchId: number): Promise<Record<number, string>> {
    const rows: { partner_id: number; reason: string }[] = await m.query(
      `SELECT partner_id, p_override_reason AS reason FROM settlement_line WHERE batch_id = $1 AND p_override_reason IS NOT NULL AND score_sheet_id IS NULL`, [batchId]);
    return Object.fromEntries(rows.map((r) => [r.partner_id, r.reason]));
  }

  private async assertScored(m: EntityManager, batchId: number, period: string): Promise<void> {
    const missing: { code: string; name: string }[] = await m.query(Q.LINES_WITHOUT_SCORE, [batchId]);
    if (!missing.length) return;
    const list = missing.slice(0, 50).map((p) => `${p.code} (${p.name})`).join(', ');
    throw new RuleViolation('settlement:errors.unscored', 'overrides', { count: missing.length, period, list: `${list}${missing.length > 50 ? ', …' : ''}` });
  }
}

function actorId(actor: Actor): number | null {
  return actor.id > 0 ? actor.id : null;
}

function scoreArrays(s: ScoreInput[]): unknown[] {
  return [s.map((x) => x.partnerId), s.map((x) => x.scoreY), s.map((x) => x.sheetId), s.map((x) => x.revision), s.map((x) => x.reason), s.map((x) => x.note)];
}
