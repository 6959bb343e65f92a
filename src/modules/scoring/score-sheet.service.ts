import { RegionScopeService } from '../../core/auth/region-scope.service';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { formatDateTime } from '../../core/i18n/format.util';
import { DEFAULT_LANGUAGE, Language, t } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { kindNameRef } from '../violations/violation-labels';
import { formatCoefficient } from './quality-coefficient.util';
import { describeInputs, parseIndicatorScore } from './score.util';
import { currentScoreY, lockSheet, sheetLines, SheetLineView, updateSheetIfUnchanged } from './score-sheet.repository';
import { ScoreDispute, ScoreSheet, ScoreSheetLine, ScoringPeriod } from './scoring.entities';
import { indicatorNameRef } from './scoring-labels';
import { ScoringService } from './scoring.service';
import { NotificationEvents } from '../notifications/notification-events.service';
import { assertSheetAction, canDo, confirmBlocker, disputeDeadline, isDisputeWindowOpen } from './sheet-state.util';

export interface LineEdit { indicatorCode: string; score: string; comment?: string }

/** Editing, submitting, disputing, resolving and revising one score sheet. Every change is audited in its transaction. */
@Injectable()
export class ScoreSheetService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scoring: ScoringService,
    private readonly audit: AuditService,
    private readonly notify: NotificationEvents,
    private readonly scope: RegionScopeService,
  ) {}

  now(): Date {
    return new Date();
  }

  /** The sheet locked for a change; a channel manager scoped to regions gets 404 for other regions' partners (#17). */
  private async lockFor(actor: Actor, m: EntityManager, id: number): Promise<ScoreSheet> {
    const sheet = await lockSheet(m, id);
    if (!(await this.scope.partnerInScope(actor, sheet.partnerId, m))) throw new NotFoundException('scoring:errors.sheetNotFound');
    return sheet;
  }

  /**
   * A sheet as its reader may see it: partner users only their own, and never drafts (404 otherwise). Lines carry
   * `nameRef` (a catalogue key for the seeded indicators) and `inputsText` in the reader's language.
   */
  async view(actor: Actor, id: number, lang: Language = DEFAULT_LANGUAGE) {
    const sheet = await this.db.getRepository(ScoreSheet).findOne({ where: { id } });
    if (!sheet || (actor.role === 'partner' && (sheet.partnerId !== actor.partnerId || sheet.status === 'draft'))
      || !(await this.scope.partnerInScope(actor, sheet.partnerId))) {
      throw new NotFoundException('scoring:errors.sheetNotFound');
    }
    const [partner] = await this.db.query(`SELECT id, code, name, status FROM partner WHERE id = $1`, [sheet.partnerId]);
    const tr = (key: string, params?: Record<string, unknown>) => t(lang, key, params);
    const lines = (await sheetLines(this.db.manager, id)).map((l) => ({
      ...l, nameRef: indicatorNameRef(l.code, l.name), inputsText: describeInputs(l.method, l.inputs, tr, kindNameRef), manual: l.method === 'manual',
    }));
    const disputes = await this.db.getRepository(ScoreDispute).find({ where: { sheetId: id }, order: { raisedAt: 'ASC' } });
    const revisions: Record<string, unknown>[] = await this.db.query(
      `SELECT id, revision, status, score_y::text AS score_y, confirmed_at, revision_reason FROM score_sheet
        WHERE period = $1 AND partner_id = $2 ${actor.role === 'partner' ? `AND status <> 'draft'` : ''} ORDER BY revision DESC`, [sheet.period, sheet.partnerId]);
    const now = this.now();
    const latest = revisions[0]?.id === sheet.id;
    return {
      sheet, partner, lines, disputes, revisions,
      coefficientP: sheet.scoreY ? formatCoefficient(sheet.scoreY) : null,
      disputeOpen: sheet.status === 'submitted' && !sheet.undisputable && isDisputeWindowOpen(sheet.disputeDeadline, now),
      can: {
        edit: canDo(sheet, 'edit'), submit: canDo(sheet, 'submit'), resolve: canDo(sheet, 'resolve'),
        confirm: canDo(sheet, 'confirm'), revise: canDo(sheet, 'revise') && latest,
        confirmBlocker: canDo(sheet, 'confirm') ? confirmBlocker(sheet, now) : null,
      },
    };
  }

  /** The partner's own quarters (newest first): the newest visible revision, Y, P and the change against the quarter before. */
  async partnerHistory(actor: Actor) {
    if (actor.role !== 'partner' || !actor.partnerId) throw new NotFoundException('scoring:errors.noPartner');
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT DISTINCT ON (period) id, period, revision, status, score_y::text AS score_y, dispute_deadline, confirmed_at
         FROM score_sheet WHERE partner_id = $1 AND status <> 'draft' ORDER BY period DESC, revision DESC`, [actor.partnerId]);
    return rows.map((r, i) => {
      const prev = rows[i + 1]?.score_y as string | undefined;
      const y = r.score_y as string | null;
      const delta = y && prev ? Number(y) - Number(prev) : null;
      return {
        sheetId: r.id, period: r.period, revision: r.revision, status: r.status, scoreY: y, coefficientP: y ? formatCoefficient(y) : null,
        disputeDeadline: r.dispute_deadline, confirmedAt: r.confirmed_at, barWidth: y ? Math.round(Number(y)) : 0,
        trend: delta === null ? '' : delta > 0 ? `▲ +${delta.toFixed(2)}` : delta < 0 ? `▼ ${delta.toFixed(2)}` : '＝',
        trendTone: delta === null || delta === 0 ? '' : delta > 0 ? 'ok' : 'bad',
      };
    });
  }

  /** Manager enters scores. Manual indicators in any draft; computed ones only in a correction (revision > 1), with a comment. */
  async saveLines(actor: Actor, id: number, edits: LineEdit[], expectedVersion?: number, manager?: EntityManager): Promise<ScoreSheet> {
    return this.inTx(manager, async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      if (expectedVersion !== undefined && expectedVersion !== sheet.version) throw staleConflict();
      assertSheetAction(sheet, 'edit');
      const before = await this.applyEdits(m, sheet, edits, sheet.revision > 1);
      return this.afterLineChange(actor, m, sheet, 'scoring.sheet.edit', before, edits, null);
    });
  }

  /** Recomputes auto and deduction indicators of a draft from the current duties and violations data. */
  async refresh(actor: Actor, id: number): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      assertSheetAction(sheet, 'edit');
      const before = await sheetLines(m, id);
      await this.scoring.refreshComputed(m, sheet);
      return this.afterLineChange(actor, m, sheet, 'scoring.sheet.refresh', snapshot(before), [], null);
    });
  }

  async submit(actor: Actor, id: number): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      assertSheetAction(sheet, 'submit');
      const y = await currentScoreY(m, id);
      if (y === null) throw new RuleViolation('scoring:errors.incomplete', 'status');
      const period = await m.getRepository(ScoringPeriod).findOneOrFail({ where: { period: sheet.period } });
      const submittedAt = this.now();
      const deadline = disputeDeadline(submittedAt, period.disputeWindowDays);
      await updateSheetIfUnchanged(m, sheet, { status: 'submitted', score_y: y, submitted_at: submittedAt, dispute_deadline: deadline });
      await this.audit.record(actor, { action: 'scoring.sheet.submit', entityType: 'score_sheet', entityId: id, partnerId: sheet.partnerId, after: { scoreY: y, disputeDeadline: deadline } }, m);
      await this.notify.scoreSubmitted(id, m);
      return lockSheet(m, id);
    });
  }

  /** The partner disputes their submitted sheet within the window, with a reason. */
  async dispute(actor: Actor, id: number, reason: string): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      if (actor.role === 'partner' && sheet.partnerId !== actor.partnerId) throw new NotFoundException('scoring:errors.sheetNotFound');
      if (sheet.status === 'draft') throw new NotFoundException('scoring:errors.sheetNotFound');
      assertSheetAction(sheet, 'dispute');
      if (!reason?.trim()) throw new RuleViolation('scoring:errors.disputeReason', 'reason');
      if (sheet.undisputable) throw new RuleViolation('scoring:errors.alreadyAccepted', 'status');
      if (!isDisputeWindowOpen(sheet.disputeDeadline, this.now())) {
        throw new RuleViolation('scoring:errors.disputeWindowClosed', 'status', { deadline: formatDateTime(sheet.disputeDeadline) });
      }
      await m.getRepository(ScoreDispute).insert({ sheetId: id, reason: reason.trim(), raisedBy: actor.id > 0 ? actor.id : null, raisedAt: this.now() });
      await updateSheetIfUnchanged(m, sheet, { status: 'disputed' });
      await this.audit.record(actor, { action: 'scoring.sheet.dispute', entityType: 'score_sheet', entityId: id, partnerId: sheet.partnerId, reason: reason.trim() }, m);
      return lockSheet(m, id);
    });
  }

  /** Partner accepts the score (or a manager marks it undisputable with a reason): it may then be confirmed at once. */
  async markUndisputable(actor: Actor, id: number, reason: string): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      if (actor.role === 'partner' && (sheet.partnerId !== actor.partnerId || sheet.status === 'draft')) throw new NotFoundException('scoring:errors.sheetNotFound');
      if (sheet.status !== 'submitted') throw new RuleViolation('scoring:errors.acceptOnlySubmitted', 'status', { status: `scoring:status.${sheet.status}` });
      if (actor.role !== 'partner' && !reason?.trim()) throw new RuleViolation('scoring:errors.undisputableReason', 'reason');
      await updateSheetIfUnchanged(m, sheet, { undisputable: true });
      await this.audit.record(actor, { action: actor.role === 'partner' ? 'scoring.sheet.accept' : 'scoring.sheet.undisputable', entityType: 'score_sheet', entityId: id, partnerId: sheet.partnerId, reason: reason?.trim() || '合作伙伴确认无异议' }, m);
      return lockSheet(m, id);
    });
  }

  /** Manager resolves the open dispute: adjust (score changes with a reason) or reject (with a reason). */
  async resolve(actor: Actor, id: number, input: { resolution: 'adjust' | 'reject'; reason: string; lines?: LineEdit[] }): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      assertSheetAction(sheet, 'resolve');
      if (!input.reason?.trim()) throw new RuleViolation('scoring:errors.resolveReason', 'reason');
      if (input.resolution === 'adjust' && !input.lines?.length) throw new RuleViolation('scoring:errors.adjustNeedsLines', 'lines');
      const dispute = await m.getRepository(ScoreDispute).findOneOrFail({ where: { sheetId: id, resolution: IsNull() } });
      const before = input.resolution === 'adjust' ? await this.applyEdits(m, sheet, input.lines!, true) : [];
      await m.getRepository(ScoreDispute).update({ id: dispute.id }, {
        resolution: input.resolution, resolutionReason: input.reason.trim(), resolvedBy: actor.id > 0 ? actor.id : null, resolvedAt: this.now(),
      });
      const resolved = await this.afterLineChange(actor, m, sheet, `scoring.dispute.${input.resolution}`, before, input.lines ?? [], input.reason.trim(), 'resolved');
      await this.notify.disputeResolved(id, input.resolution, m);
      return resolved;
    });
  }

  /** A confirmed sheet is never edited: a correction is a new draft revision (a copy) with a reason. */
  async revise(actor: Actor, id: number, reason: string): Promise<ScoreSheet> {
    return this.db.transaction(async (m) => {
      const sheet = await this.lockFor(actor, m, id);
      assertSheetAction(sheet, 'revise');
      if (!reason?.trim()) throw new RuleViolation('scoring:errors.reviseReason', 'reason');
      const [{ open }] = await m.query(`SELECT count(*)::int AS open FROM score_sheet WHERE period = $1 AND partner_id = $2 AND status <> 'confirmed'`, [sheet.period, sheet.partnerId]);
      if (open > 0) throw new ConflictException('scoring:errors.revisionInProgress');
      const [{ next }] = await m.query(`SELECT max(revision) + 1 AS next FROM score_sheet WHERE period = $1 AND partner_id = $2`, [sheet.period, sheet.partnerId]);
      const copy = await m.getRepository(ScoreSheet).save(m.getRepository(ScoreSheet).create({
        period: sheet.period, partnerId: sheet.partnerId, schemeId: sheet.schemeId, revision: next, status: 'draft', scoreY: sheet.scoreY,
        undisputable: true, revisionReason: reason.trim(), createdAt: this.now(), version: 1,
      }));
      await m.query(`INSERT INTO score_sheet_line (sheet_id, indicator_id, score, inputs, comment)
                     SELECT $1, indicator_id, score, inputs, comment FROM score_sheet_line WHERE sheet_id = $2`, [copy.id, sheet.id]);
      await this.audit.record(actor, { action: 'scoring.sheet.revise', entityType: 'score_sheet', entityId: copy.id, partnerId: sheet.partnerId, before: { sheetId: sheet.id, revision: sheet.revision, scoreY: sheet.scoreY }, after: { revision: next }, reason: reason.trim() }, m);
      return copy;
    });
  }

  /** Validates and writes line edits; returns the lines before the change (for the audit). */
  async applyEdits(m: EntityManager, sheet: ScoreSheet, edits: LineEdit[], allowComputed: boolean): Promise<Record<string, unknown>[]> {
    const lines = await sheetLines(m, sheet.id);
    const byCode = new Map(lines.map((l) => [l.code, l]));
    for (const e of edits) {
      const line = byCode.get((e.indicatorCode ?? '').trim());
      if (!line) throw new RuleViolation('scoring:errors.indicatorNotOnScheme', 'indicatorCode', { code: e.indicatorCode ?? '' });
      // messages name the field as the sheet editor's row does: <CODE>.score / <CODE>.comment
      const score = parseIndicatorScore(e.score, `${line.code}.score`);
      if (line.method !== 'manual') {
        if (score === line.score && (e.comment ?? line.comment).trim() === line.comment) continue;
        const name = indicatorNameRef(line.code, line.name);
        if (!allowComputed) throw new RuleViolation('scoring:errors.computedIndicator', `${line.code}.score`, { name, code: line.code });
        if (!e.comment?.trim() && score !== line.score) throw new RuleViolation('scoring:errors.computedNeedsComment', `${line.code}.comment`, { name, code: line.code });
      }
      await m.getRepository(ScoreSheetLine).update({ id: line.lineId }, { score, comment: (e.comment ?? line.comment ?? '').trim() });
    }
    return snapshot(lines);
  }

  private async afterLineChange(actor: Actor, m: EntityManager, sheet: ScoreSheet, action: string, before: Record<string, unknown>[], edits: LineEdit[], reason: string | null, status?: string): Promise<ScoreSheet> {
    const y = await currentScoreY(m, sheet.id);
    await updateSheetIfUnchanged(m, sheet, { score_y: y, ...(status ? { status } : {}) });
    await this.audit.record(actor, { action, entityType: 'score_sheet', entityId: sheet.id, partnerId: sheet.partnerId, before: { scoreY: sheet.scoreY, lines: before }, after: { scoreY: y, edits }, reason }, m);
    return lockSheet(m, sheet.id);
  }

  private inTx<T>(manager: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.db.transaction(work);
  }
}

function snapshot(lines: SheetLineView[]): Record<string, unknown>[] {
  return lines.map((l) => ({ code: l.code, score: l.score, comment: l.comment }));
}

export function staleConflict(): ConflictException {
  return new ConflictException('scoring:errors.stale');
}
