import { RegionScopeService } from '../../core/auth/region-scope.service';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { Actor } from '../../core/auth/actor';
import { formatDateTime } from '../../core/i18n/format.util';
import { RuleViolation } from '../../core/web/errors';
import { formatCoefficient } from './quality-coefficient.util';
import { currentScoreY, updateSheetIfUnchanged } from './score-sheet.repository';
import { ScoreSheet } from './scoring.entities';
import { ScoringService } from './scoring.service';
import { cannotConfirm, confirmBlocker } from './sheet-state.util';

export interface ConfirmOptions { withinWindow?: boolean; reason?: string; expectedVersion?: number }
/** Why a sheet was not confirmed: a catalogue key (or text) with its params, translated where it is shown. */
export interface WhyNot { message: string; params?: Record<string, unknown> }
export interface ConfirmRunResult { period: string; confirmed: { partnerCode: string; scoreY: string }[]; notConfirmed: { partnerCode: string; sheetId: number; why: WhyNot }[] }

export const PERIOD_CONFIRMED = 'scoring.period-confirmed';
export const SHEET_REVISED = 'scoring.sheet-revised';

/**
 * Confirming locks a sheet: Y (and so P) is frozen and becomes the settlement input. Concurrency: the sheet is read,
 * checked, then updated only if its version did not move; of two simultaneous confirmations exactly one wins, the
 * other gets 409.
 */
@Injectable()
export class ScoringConfirmService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scoring: ScoringService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly jobs: JobQueue,
    private readonly scope: RegionScopeService,
  ) {}

  now(): Date {
    return new Date();
  }

  async confirm(actor: Actor, sheetId: number, opts: ConfirmOptions = {}): Promise<ScoreSheet> {
    const sheet = await this.db.transaction(async (m) => {
      const s = await m.getRepository(ScoreSheet).findOne({ where: { id: sheetId } });
      // a channel manager scoped to regions (#17): another region's sheet is as if missing
      if (!s || !(await this.scope.partnerInScope(actor, s.partnerId, m))) throw new NotFoundException('scoring:errors.sheetNotFound');
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== s.version) {
        throw s.status === 'confirmed' ? alreadyConfirmed(s) : new ConflictException('scoring:errors.stale');
      }
      if (s.status === 'confirmed') throw alreadyConfirmed(s);
      const y = await currentScoreY(m, s.id);
      const why = confirmBlocker({ ...s, scoreY: y }, this.now(), opts);
      if (why) throw cannotConfirm(why);
      const confirmedAt = this.now();
      await updateSheetIfUnchanged(m, s, { status: 'confirmed', score_y: y, confirmed_at: confirmedAt, confirmed_by: actor.id > 0 ? actor.id : null });
      await this.audit.record(actor, {
        action: 'scoring.sheet.confirm', entityType: 'score_sheet', entityId: s.id, partnerId: s.partnerId,
        before: { status: s.status }, after: { status: 'confirmed', scoreY: y, coefficientP: formatCoefficient(y!), revision: s.revision },
        reason: opts.reason?.trim() || (s.revision > 1 ? s.revisionReason : null),
      }, m);
      await this.followUp(m, s);
      return { ...s, status: 'confirmed', scoreY: y, confirmedAt } as ScoreSheet;
    });
    this.announce(sheet.period, [sheet]);
    return sheet;
  }

  /**
   * Confirms every submitted or resolved sheet of the period whose dispute window has passed (or that is undisputable,
   * or all of them with withinWindow + reason). Reports each sheet it could not confirm and why.
   */
  async confirmPeriod(actor: Actor, period: string, opts: ConfirmOptions = {}, progress?: (line: WhyNot) => void): Promise<ConfirmRunResult> {
    await this.scoring.getPeriod(period);
    if (opts.withinWindow && !opts.reason?.trim()) throw new RuleViolation('scoring:errors.withinWindowReason', 'reason');
    // a channel manager scoped to regions (#17) confirms the sheets of their regions' partners only
    const rows = await this.scoring.periodSheets(period, undefined, await this.scope.forActor(actor));
    const result: ConfirmRunResult = { period, confirmed: [], notConfirmed: [] };
    const done: ScoreSheet[] = [];
    for (const row of rows.filter((r) => r.status !== 'confirmed')) {
      if (!['submitted', 'resolved'].includes(row.status)) {
        result.notConfirmed.push({ partnerCode: row.partnerCode, sheetId: row.sheetId, why: row.status === 'disputed'
          ? { message: 'scoring:blocker.openDispute' } : { message: 'scoring:blocker.notSubmitted', params: { status: `scoring:status.${row.status}` } } });
        continue;
      }
      try {
        const s = await this.db.transaction(async (m) => {
          const sheet = await m.getRepository(ScoreSheet).findOneOrFail({ where: { id: row.sheetId } });
          const y = await currentScoreY(m, sheet.id);
          const why = confirmBlocker({ ...sheet, scoreY: y }, this.now(), opts);
          if (why) throw new RuleViolation(why.message, undefined, why.params);
          const confirmedAt = this.now();
          await updateSheetIfUnchanged(m, sheet, { status: 'confirmed', score_y: y, confirmed_at: confirmedAt, confirmed_by: actor.id > 0 ? actor.id : null });
          await this.audit.record(actor, {
            action: 'scoring.sheet.confirm', entityType: 'score_sheet', entityId: sheet.id, partnerId: sheet.partnerId,
            before: { status: sheet.status }, after: { status: 'confirmed', scoreY: y, coefficientP: formatCoefficient(y!), run: period, withinWindow: !!opts.withinWindow },
            reason: opts.reason?.trim() || null,
          }, m);
          await this.followUp(m, sheet);
          return { ...sheet, status: 'confirmed', scoreY: y, confirmedAt } as ScoreSheet;
        });
        done.push(s);
        result.confirmed.push({ partnerCode: row.partnerCode, scoreY: s.scoreY! });
        progress?.({ message: 'scoring:cli.confirmedLine', params: { partner: row.partnerCode, y: s.scoreY, p: formatCoefficient(s.scoreY!) } });
      } catch (e) {
        const why: WhyNot = e instanceof RuleViolation ? { message: e.message, params: e.params }
          : e instanceof ConflictException ? { message: e.message } : { message: (e as Error).message };
        result.notConfirmed.push({ partnerCode: row.partnerCode, sheetId: row.sheetId, why });
      }
    }
    this.announce(period, done);
    return result;
  }

  /**
   * The work a first confirmation causes (the exit rules look at the new score) is written as a durable job in the
   * confirmation's own transaction: it runs even if this process stops right after the commit (the CLI does).
   */
  private async followUp(m: EntityManager, sheet: ScoreSheet): Promise<void> {
    if (sheet.revision !== 1) return;
    await this.jobs.enqueue('exit.evaluate', { period: sheet.period, partnerIds: [sheet.partnerId], cause: 'scoring.sheet.confirm' }, { manager: m });
  }

  /** In-process notice for listeners that only refresh views; business work goes through followUp's durable job. */
  private announce(period: string, sheets: ScoreSheet[]): void {
    const first = sheets.filter((s) => s.revision === 1);
    if (first.length) this.events.emit(PERIOD_CONFIRMED, { period, partnerIds: first.map((s) => s.partnerId) });
    for (const s of sheets.filter((x) => x.revision > 1)) this.events.emit(SHEET_REVISED, { partnerId: s.partnerId, period, revision: s.revision });
  }
}

function alreadyConfirmed(s: ScoreSheet): ConflictException {
  return s.confirmedAt
    ? new ConflictException({ message: 'scoring:errors.alreadyConfirmedAt', params: { at: formatDateTime(s.confirmedAt) } })
    : new ConflictException('scoring:errors.alreadyConfirmed');
}
