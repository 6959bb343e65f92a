import { RegionScopeService } from '../../core/auth/region-scope.service';
import { partnerInScopeSql } from '../../core/auth/region-scope.util';
import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { Actor } from '../../core/auth/actor';
import { isValidIsoDate, parsePeriod, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { WORKING_STATUSES } from '../partners/partner-status.util';
import { PartnersService } from '../partners/partners.service';
import { CustomersService } from '../customers/customers.service';
import { NotificationEvents } from '../notifications/notification-events.service';
import { kindNameRef } from './violation-labels';
import { Severity, Violation, ViolationKind, ViolationSetting } from './violation.entity';
import { assertCanRespond, assertCanVoid, DeductionLine, deductionSummary, KindInput, parseEvidenceNames, PenaltyLine, penaltyLines, responseDueOn, validateKind } from './violations.util';

export interface NewViolation {
  partnerId: number;
  customerId?: number | null;
  occurredOn: string;
  kindId: number;
  description: string;
  evidenceNames?: string | string[];
}

export interface ViolationFilter { partnerId?: number; status?: string; severity?: string; kindId?: number; from?: string; to?: string }

/** A violation with the names a page shows. */
export interface ViolationRow extends Violation { kindCode: string; kindName: string; kindNameRef: string; partnerCode: string; partnerName: string; respondable: boolean }

export const VIOLATION_RECORDED = 'violation.recorded';
export const VIOLATION_VOIDED = 'violation.voided';
export interface ViolationRecordedEvent { violationId: number; partnerId: number; severity: Severity }
export interface ViolationVoidedEvent { violationId: number; partnerId: number }

const SELECT_ROWS = `
  SELECT v.*, k.code AS kind_code, k.name AS kind_name, p.code AS partner_code, p.name AS partner_name
    FROM violation v JOIN violation_kind k ON k.id = v.kind_id JOIN partner p ON p.id = v.partner_id`;

@Injectable()
export class ViolationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly jobs: JobQueue,
    private readonly customers: CustomersService,
    private readonly notify: NotificationEvents,
    private readonly scope: RegionScopeService,
  ) {}

  // ---- catalogue and settings ----------------------------------------------------------

  kinds(opts: { activeOnly?: boolean } = {}): Promise<ViolationKind[]> {
    return this.db.getRepository(ViolationKind).find({ where: opts.activeOnly ? { active: true } : {}, order: { severity: 'ASC', code: 'ASC' } });
  }

  async createKind(actor: Actor, input: KindInput): Promise<ViolationKind> {
    const code = (input.code ?? '').trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(code)) throw new RuleViolation('violations:errors.codeFormat', 'code');
    const clean = validateKind(input);
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ViolationKind);
      if (await repo.exists({ where: { code } })) throw new RuleViolation('violations:errors.codeExists', 'code', { code });
      const saved = await repo.save(repo.create({ code, ...clean, active: input.active ?? true }));
      await this.audit.record(actor, { action: 'violation-kind.create', entityType: 'violation_kind', entityId: saved.id, after: { code, ...clean } }, m);
      return saved;
    });
  }

  /** Changing a kind affects only violations recorded later: recorded ones keep their snapshot. */
  async updateKind(actor: Actor, id: number, input: KindInput): Promise<ViolationKind> {
    const clean = validateKind(input);
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ViolationKind);
      const before = await repo.findOne({ where: { id } });
      if (!before) throw new NotFoundException('violations:errors.kindNotFound');
      await repo.update({ id }, { ...clean, active: input.active ?? before.active, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'violation-kind.update', entityType: 'violation_kind', entityId: id,
        before: { name: before.name, severity: before.severity, scoreDeduction: before.scoreDeduction, penaltyAmount: before.penaltyAmount, active: before.active },
        after: { ...clean, active: input.active ?? before.active } }, m);
      return (await repo.findOne({ where: { id } }))!;
    });
  }

  async responseDays(manager?: EntityManager): Promise<number> {
    const s = await (manager ?? this.db.manager).getRepository(ViolationSetting).findOne({ where: { id: 1 } });
    return s?.responseDays ?? 7;
  }

  async setResponseDays(actor: Actor, days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new RuleViolation('violations:errors.responseDaysRange', 'responseDays');
    await this.db.transaction(async (m) => {
      const before = await this.responseDays(m);
      await m.getRepository(ViolationSetting).update({ id: 1 }, { responseDays: days, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'violation-setting.update', entityType: 'violation_setting', entityId: 1, before: { responseDays: before }, after: { responseDays: days } }, m);
    });
  }

  // ---- the register -------------------------------------------------------------------

  /**
   * Records a violation. A major one makes the exit rules look at the partner: that evaluation is a durable job written
   * in the same transaction, so it cannot be lost between the commit and the work.
   */
  async record(actor: Actor, input: NewViolation): Promise<Violation> {
    const saved = await this.db.transaction(async (m) => {
      const v = await this.insert(actor, input, m);
      await this.notify.violationRecorded(v.id, m);
      if (v.severity === 'major') await this.jobs.enqueue('exit.evaluate', { partnerIds: [v.partnerId], cause: 'violation.recorded', violationId: v.id }, { manager: m });
      return v;
    });
    this.events.emit(VIOLATION_RECORDED, { violationId: saved.id, partnerId: saved.partnerId, severity: saved.severity } satisfies ViolationRecordedEvent);
    return saved;
  }

  /** The write itself, inside the caller's transaction (the demo seeder uses it; it emits nothing). */
  async insert(actor: Actor, input: NewViolation, m: EntityManager): Promise<Violation> {
    const today = todayIso();
    if (!isValidIsoDate(input.occurredOn)) throw new RuleViolation('violations:errors.dateFormat', 'occurredOn');
    if (input.occurredOn > today) throw new RuleViolation('violations:errors.futureDate', 'occurredOn');
    const description = (input.description ?? '').trim();
    if (!description) throw new RuleViolation('violations:errors.describe', 'description');
    const partner = await this.partners.findById(input.partnerId, m);
    // a manager scoped to regions (#17) records violations only for partners of their regions
    if (!partner || !(await this.scope.partnerInScope(actor, partner.id, m))) throw new RuleViolation('violations:errors.choosePartner', 'partnerId');
    if (!WORKING_STATUSES.includes(partner.status)) throw new RuleViolation('violations:errors.partnerNotWorking', 'partnerId', { code: partner.code, status: `partners:status.${partner.status}` });
    if (input.customerId != null) {
      // a violation about a customer must concern a customer the partner served on that date
      const [holder] = await this.customers.assignedPartnersOn([{ customerId: Number(input.customerId), date: input.occurredOn }], m);
      if (holder !== partner.id) throw new RuleViolation('violations:errors.customerNotAssigned', 'customerId', { customer: input.customerId, partner: partner.code, date: input.occurredOn });
    }
    const kind = await m.getRepository(ViolationKind).findOne({ where: { id: input.kindId } });
    if (!kind || !kind.active) throw new RuleViolation('violations:errors.chooseKind', 'kindId');
    const repo = m.getRepository(Violation);
    const saved = await repo.save(repo.create({
      partnerId: partner.id, customerId: input.customerId ?? null, occurredOn: input.occurredOn, kindId: kind.id,
      severity: kind.severity, scoreDeduction: kind.scoreDeduction, penaltyAmount: kind.penaltyAmount, description,
      evidenceNames: parseEvidenceNames(input.evidenceNames), recordedBy: actor.id > 0 ? actor.id : null,
      responseDueOn: responseDueOn(today, await this.responseDays(m)), status: 'recorded',
    }));
    await this.audit.record(actor, { action: 'violation.record', entityType: 'violation', entityId: saved.id, partnerId: partner.id,
      after: { kind: kind.code, severity: kind.severity, occurredOn: saved.occurredOn, customerId: saved.customerId, scoreDeduction: kind.scoreDeduction, penaltyAmount: kind.penaltyAmount } }, m);
    return saved;
  }

  /** Voiding keeps the row (evidence) and makes settlement add a reversal line; scoring stops counting it. */
  async voidViolation(actor: Actor, id: number, reason: string): Promise<Violation> {
    const saved = await this.db.transaction(async (m) => {
      const repo = m.getRepository(Violation);
      const v = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!v || !(await this.scope.partnerInScope(actor, v.partnerId, m))) throw new NotFoundException('violations:errors.notFound');
      const clean = assertCanVoid(v, reason);
      await repo.update({ id }, { status: 'voided', voidReason: clean, voidedBy: actor.id > 0 ? actor.id : null, voidedAt: new Date() });
      await this.audit.record(actor, { action: 'violation.void', entityType: 'violation', entityId: id, partnerId: v.partnerId, before: { status: v.status }, after: { status: 'voided' }, reason: clean }, m);
      return (await repo.findOne({ where: { id } }))!;
    });
    this.events.emit(VIOLATION_VOIDED, { violationId: saved.id, partnerId: saved.partnerId } satisfies ViolationVoidedEvent);
    return saved;
  }

  /** The partner's own statement, once, within the response window. */
  async respond(actor: Actor, id: number, text: string): Promise<Violation> {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Violation);
      const v = await repo.findOne({ where: { id, partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!v) throw new NotFoundException('violations:errors.notFound');
      const clean = assertCanRespond(v, todayIso(), text);
      await repo.update({ id }, { partnerResponse: clean, respondedAt: new Date(), respondedBy: actor.id });
      await this.audit.record(actor, { action: 'violation.respond', entityType: 'violation', entityId: id, partnerId, after: { response: clean } }, m);
      return (await repo.findOne({ where: { id } }))!;
    });
  }

  /** The register for staff, or the partner's own violations for a partner user (another partner's are never listed). */
  async list(actor: Actor, filter: ViolationFilter = {}, limit = 500): Promise<ViolationRow[]> {
    const { where, params } = whereFor(actor, filter, await this.scope.forActor(actor));
    params.push(limit);
    const rows = await this.db.query(`${SELECT_ROWS} ${where}
      ORDER BY v.occurred_on DESC, v.id DESC LIMIT $${params.length}`, params);
    return rows.map(toRow);
  }

  /** One page of the register (or of the partner's own violations), filtered and sorted by a declared column. */
  async page(actor: Actor, filter: ViolationFilter, list: ListQuery): Promise<{ rows: ViolationRow[]; total: number }> {
    const { where, params } = whereFor(actor, filter, await this.scope.forActor(actor));
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM violation v ${where}`, params);
    const rows = await this.db.query(`${SELECT_ROWS} ${where} ORDER BY ${list.orderBy}
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    return { rows: rows.map(toRow), total };
  }

  /** One violation; a partner user gets 404 for another partner's, a manager scoped to regions for other regions' (#17). */
  async getForActor(actor: Actor, id: number): Promise<ViolationRow> {
    const [row] = await this.db.query(`${SELECT_ROWS} WHERE v.id = $1`, [id]);
    if (!row || (actor.role === 'partner' && row.partner_id !== actor.partnerId)) throw new NotFoundException('violations:errors.notFound');
    if (!(await this.scope.partnerInScope(actor, row.partner_id))) throw new NotFoundException('violations:errors.notFound');
    return toRow(row);
  }

  // ---- contract for scoring, settlement and exit ----------------------------------------

  /** Score deductions per kind for non-voided violations dated in the period. */
  async deductionsFor(partnerId: number, period: string, manager?: EntityManager): Promise<DeductionLine[]> {
    const q = parsePeriod(period);
    const rows: { kind_code: string; kind_name: string; score_deduction: string; status: 'recorded' | 'voided' }[] = await (manager ?? this.db.manager).query(
      `SELECT k.code AS kind_code, k.name AS kind_name, v.score_deduction, v.status
         FROM violation v JOIN violation_kind k ON k.id = v.kind_id
        WHERE v.partner_id = $1 AND v.occurred_on BETWEEN $2::date AND $3::date AND v.status = 'recorded'`, [partnerId, q.start, q.end]);
    return deductionSummary(rows.map((r) => ({ kindCode: r.kind_code, kindName: r.kind_name, scoreDeduction: r.score_deduction, status: r.status })));
  }

  /** Every penalty line settlement should hold (negative per penalty, positive reversal per voided one). */
  async penaltyAdjustments(manager?: EntityManager): Promise<PenaltyLine[]> {
    const rows: { id: number; partner_id: number; status: 'recorded' | 'voided'; penalty_amount: string; kind_name: string; kind_code: string; void_reason: string | null }[] = await (manager ?? this.db.manager).query(
      `SELECT v.id, v.partner_id, v.status, v.penalty_amount, k.name AS kind_name, k.code AS kind_code, v.void_reason
         FROM violation v JOIN violation_kind k ON k.id = v.kind_id
        WHERE v.penalty_amount IS NOT NULL ORDER BY v.id`);
    return penaltyLines(rows.map((r) => ({ id: r.id, partnerId: r.partner_id, status: r.status, penaltyAmount: r.penalty_amount, kindName: r.kind_name, kindCode: r.kind_code, voidReason: r.void_reason })));
  }

  /** A major violation counts once recorded and not voided (the exit proposal is then reviewed by a manager). */
  async hasConfirmedMajor(partnerId: number): Promise<boolean> {
    const [r] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM violation WHERE partner_id = $1 AND severity = 'major' AND status = 'recorded') AS x`, [partnerId]);
    return r.x === true;
  }

  async listForPartner(partnerId: number): Promise<ViolationRow[]> {
    const rows = await this.db.query(`${SELECT_ROWS} WHERE v.partner_id = $1 ORDER BY v.occurred_on DESC, v.id DESC`, [partnerId]);
    return rows.map(toRow);
  }
}

/** The WHERE clause of a list: a partner user only ever sees their own partner's violations. */
function whereFor(actor: Actor, filter: ViolationFilter, scope: string[] | null): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (actor.role === 'partner') add('v.partner_id = ?', actor.partnerId ?? -1);
  else if (filter.partnerId) add('v.partner_id = ?', filter.partnerId);
  if (scope) add(partnerInScopeSql('v.partner_id', '?'), scope);
  if (filter.status) add('v.status = ?', filter.status);
  if (filter.severity) add('v.severity = ?', filter.severity);
  if (filter.kindId) add('v.kind_id = ?', filter.kindId);
  if (filter.from && isValidIsoDate(filter.from)) add('v.occurred_on >= ?::date', filter.from);
  if (filter.to && isValidIsoDate(filter.to)) add('v.occurred_on <= ?::date', filter.to);
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Sortable columns of the violation lists (URL key → SQL over `SELECT_ROWS`). */
export const VIOLATIONS_LIST: ListSpec = {
  sortable: {
    id: 'v.id', occurredOn: 'v.occurred_on', partner: 'p.code', kind: 'k.code', severity: 'v.severity',
    points: 'v.score_deduction', penalty: 'v.penalty_amount', status: 'v.status', responseDueOn: 'v.response_due_on',
  },
  defaultSort: 'occurredOn', defaultDir: 'desc', pageSize: 50, tieBreaker: 'v.id',
};

/** A list filter from a query string: anything malformed is ignored (never an error page). */
export function parseViolationFilter(q: Record<string, string>): ViolationFilter {
  const int = (v?: string) => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  const date = (v?: string) => (v && isValidIsoDate(v) ? v : undefined);
  return {
    partnerId: int(q.partnerId), kindId: int(q.kindId),
    status: q.status === 'recorded' || q.status === 'voided' ? q.status : undefined,
    severity: q.severity === 'minor' || q.severity === 'major' ? q.severity : undefined,
    from: date(q.from), to: date(q.to),
  };
}

function toRow(r: Record<string, unknown>): ViolationRow {
  const status = r.status as 'recorded' | 'voided';
  // a date column may come back as a Date (pg's default parser): read it as the business-zone calendar day
  const due = dateText(r.response_due_on);
  return {
    id: r.id as number, partnerId: r.partner_id as number, customerId: (r.customer_id as number | null) ?? null, occurredOn: dateText(r.occurred_on),
    kindId: r.kind_id as number, severity: r.severity as Severity, scoreDeduction: r.score_deduction as string, penaltyAmount: (r.penalty_amount as string | null) ?? null,
    description: r.description as string, evidenceNames: (r.evidence_names as string[]) ?? [], recordedBy: (r.recorded_by as number | null) ?? null,
    recordedAt: r.recorded_at as Date, responseDueOn: dateText(due), status, voidReason: (r.void_reason as string | null) ?? null,
    voidedBy: (r.voided_by as number | null) ?? null, voidedAt: (r.voided_at as Date | null) ?? null, partnerResponse: (r.partner_response as string | null) ?? null,
    respondedAt: (r.responded_at as Date | null) ?? null, respondedBy: (r.responded_by as number | null) ?? null,
    kindCode: r.kind_code as string, kindName: r.kind_name as string, kindNameRef: kindNameRef(r.kind_code as string, r.kind_name as string), partnerCode: r.partner_code as string, partnerName: r.partner_name as string,
    respondable: status === 'recorded' && r.partner_response === null && todayIso() <= dateText(due),
  };
}

/** pg returns `date` columns as strings (no type parser change); keep a safe fallback for Date objects. */
function dateText(v: unknown): string {
  if (v instanceof Date) return todayIso(v);
  return String(v);
}
