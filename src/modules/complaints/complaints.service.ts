import { RegionScopeService } from '../../core/auth/region-scope.service';
import { inRegionScope } from '../../core/auth/region-scope.util';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery } from '../../core/web/list-query';
import { CustomersService } from '../customers/customers.service';
import { DutiesService } from '../duties/duties.service';
import { NotificationsService } from '../notifications/notifications.service';
import { RetentionService } from '../retention/retention.service';
import { dissatisfiedAtRisk } from '../retention/retention-rules.util';
import {
  canAct, checkResolution, ComplaintCategory, ComplaintKind, ComplaintStatus, COMPLAINT_CATEGORIES, COMPLAINT_KINDS, dueAt, isOverdue,
  isSatisfaction, nextStatus, parseReceivedAt, resolvedOnTime, Satisfaction, visitDueAt, visitOutcome, visitOverdue,
} from './complaint-rules.util';
import { ComplaintFilter, ComplaintRow, whereFor } from './complaint-list';
import * as Q from './queries/complaints.sql';

export interface NewComplaint {
  customerId: number;
  kind: string;
  category: string;
  description: string;
  receivedAt?: string;
  reference?: string | null;
}

export interface ComplaintEvent { action: string; fromStatus: string | null; toStatus: string | null; satisfaction: Satisfaction | null; note: string | null; at: Date; actorName: string | null }

/**
 * Complaint and fault work orders (投诉/故障工单). Opened by the customer's partner, a manager or an import; due by the
 * class's time limit (the duties module's 4/8/24 h settings); escalated when overdue; resolved with root cause and
 * corrective action; a return visit within days of resolution; 不满意 reopens. Every change is in the audit log and
 * the order's own history.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    private readonly duties: DutiesService,
    private readonly notifications: NotificationsService,
    private readonly retention: RetentionService,
    private readonly scope: RegionScopeService,
  ) {}

  async settings(m: EntityManager = this.db.manager): Promise<{ returnVisitDays: number; timelinessTarget: string }> {
    const [s] = await m.query(`SELECT return_visit_days AS "returnVisitDays", timeliness_target::text AS "timelinessTarget" FROM complaint_setting WHERE id = 1`);
    return { returnVisitDays: s.returnVisitDays, timelinessTarget: String(Number(s.timelinessTarget)) };
  }

  async saveSettings(actor: Actor, input: { returnVisitDays: unknown; timelinessTarget: unknown }): Promise<void> {
    const days = Number(input.returnVisitDays);
    const target = String(input.timelinessTarget ?? '').trim();
    if (!Number.isInteger(days) || days < 1 || days > 30) throw new RuleViolation('complaints:errors.visitDays', 'returnVisitDays');
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(target) || Number(target) > 100) throw new RuleViolation('complaints:errors.target', 'timelinessTarget');
    await this.db.transaction(async (m) => {
      const before = await this.settings(m);
      await m.query(`UPDATE complaint_setting SET return_visit_days = $1, timeliness_target = $2, updated_at = now() WHERE id = 1`, [days, target]);
      await this.audit.record(actor, { action: 'complaint-setting.update', entityType: 'complaint_setting', entityId: 1, before, after: { returnVisitDays: days, timelinessTarget: target } }, m);
    });
  }

  /** Opens a work order (a partner only for a customer it holds today). */
  async open(actor: Actor, input: NewComplaint, manager?: EntityManager): Promise<ComplaintRow> {
    const run = async (m: EntityManager) => {
      const id = await this.insert(actor, input, actor.role === 'partner' ? 'partner' : 'manager', m);
      return this.getForActor(actor, id, m);
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** The write itself in the caller's transaction (the import and the demo data use it). */
  async insert(actor: Actor, input: NewComplaint, source: 'partner' | 'manager' | 'import', m: EntityManager, now = new Date()): Promise<number> {
    const customer = await this.customers.assertVisible(actor, Number(input.customerId), m).catch(() => {
      throw new RuleViolation('complaints:errors.customer', 'customerId');
    });
    if (!COMPLAINT_KINDS.includes(input.kind as ComplaintKind)) throw new RuleViolation('complaints:errors.kind', 'kind');
    if (!COMPLAINT_CATEGORIES.includes(input.category as ComplaintCategory)) throw new RuleViolation('complaints:errors.category', 'category');
    const description = (input.description ?? '').trim();
    if (!description) throw new RuleViolation('complaints:errors.description', 'description');
    const receivedAt = parseReceivedAt(input.receivedAt, now);
    const limit = await this.duties.complaintLimit(customer.id, m);
    if (!limit) throw new RuleViolation('complaints:errors.customer', 'customerId');
    const [holder] = await m.query(Q.HOLDER_SQL, [customer.id, todayIso(now)]);
    const [row] = await m.query(
      `INSERT INTO complaint (customer_id, partner_id, manager_user_id, customer_class, kind, category, description, source, reference, received_at, limit_hours, due_at, opened_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [customer.id, holder?.partnerId ?? null, holder?.managerUserId ?? null, limit.customerClass, input.kind, input.category, description, source,
        input.reference?.trim() || null, receivedAt, limit.hours, dueAt(receivedAt, limit.hours), actor.id > 0 ? actor.id : null]);
    await this.event(m, row.id, actor, 'open', null, 'open');
    await this.audit.record(actor, { action: 'complaint.open', entityType: 'complaint', entityId: row.id, partnerId: holder?.partnerId ?? null,
      after: { customerId: customer.id, class: limit.customerClass, kind: input.kind, category: input.category, limitHours: limit.hours, source } }, m);
    if (holder?.partnerId && source !== 'partner') {
      const o = await this.row(row.id, m);
      await this.notifications.notify({ key: `complaint.opened:${row.id}`, kind: 'complaint.opened', link: `/my/complaints/${row.id}`,
        params: { id: row.id, customer: `${o.customerCode} ${o.customerName}`, kind: `complaints:kind.${o.kind}`, category: `complaints:category.${o.category}`, class: o.customerClass, dueAt: o.dueAt },
        users: await this.notifications.usersOfPartner(holder.partnerId, m) }, { manager: m });
    }
    return row.id;
  }

  async start(actor: Actor, id: number): Promise<ComplaintRow> {
    return this.change(actor, id, async (o, m) => {
      const to = nextStatus(o.status, 'start');
      await m.query(`UPDATE complaint SET status = $2, started_at = now(), updated_at = now() WHERE id = $1`, [id, to]);
      return { action: 'start', to };
    });
  }

  async resolve(actor: Actor, id: number, input: { rootCause?: string; correctiveAction?: string }): Promise<ComplaintRow> {
    return this.change(actor, id, async (o, m) => {
      const to = nextStatus(o.status, 'resolve');
      const clean = checkResolution(input);
      const now = new Date();
      const visitDue = visitDueAt(now, (await this.settings(m)).returnVisitDays);
      await m.query(`UPDATE complaint SET status = $2, resolved_at = $3, first_resolved_at = COALESCE(first_resolved_at, $3), root_cause = $4, corrective_action = $5,
                       visit_due_at = $6, started_at = COALESCE(started_at, $3), updated_at = now() WHERE id = $1`, [id, to, now, clean.rootCause, clean.correctiveAction, visitDue]);
      // the return visit is the holder's task
      const users = o.partnerId ? await this.notifications.usersOfPartner(o.partnerId, m) : o.managerUserId ? [o.managerUserId] : [];
      await this.notifications.notify({ key: `complaint.visitDue:${id}:${o.reopenCount}`, kind: 'complaint.visitDue', link: o.partnerId ? `/my/complaints/${id}` : `/complaints/${id}`,
        params: { id, customer: `${o.customerCode} ${o.customerName}`, visitDueAt: visitDue }, users }, { manager: m });
      return { action: 'resolve', to, note: `${clean.rootCause}\n${clean.correctiveAction}` };
    });
  }

  /** The return visit: 满意/基本满意 completes it; 不满意 reopens the order; two 不满意 raise a churn warning. */
  async visit(actor: Actor, id: number, input: { satisfaction?: string; note?: string }): Promise<ComplaintRow> {
    if (!isSatisfaction(input.satisfaction)) throw new RuleViolation('complaints:errors.satisfaction', 'satisfaction');
    const satisfaction = input.satisfaction;
    return this.change(actor, id, async (o, m) => {
      const to = visitOutcome(o.status, satisfaction);
      if (to === 'in_progress') {
        await m.query(`UPDATE complaint SET status = $2, satisfaction = $3, visited_at = now(), resolved_at = NULL, visit_due_at = NULL, reopen_count = reopen_count + 1, updated_at = now() WHERE id = $1`, [id, to, satisfaction]);
      } else {
        await m.query(`UPDATE complaint SET status = $2, satisfaction = $3, visited_at = now(), updated_at = now() WHERE id = $1`, [id, to, satisfaction]);
      }
      await this.event(m, id, actor, 'visit', o.status, to, (input.note ?? '').trim() || null, satisfaction);
      if (satisfaction === 'dissatisfied') await this.raiseDissatisfied(actor, o.customerId, id, m);
      return { action: 'visit', to, skipEvent: true, after: { satisfaction } };
    });
  }

  /** Two dissatisfied return visits of a customer (over all its orders) raise a churn warning (once while open). */
  async raiseDissatisfied(actor: Actor, customerId: number, complaintId: number, m: EntityManager): Promise<number | null> {
    const [{ n }] = await m.query(Q.DISSATISFIED_VISITS_SQL, [customerId]);
    return dissatisfiedAtRisk(n) ? this.retention.raise(actor, customerId, 'dissatisfied', { complaintId, dissatisfiedVisits: n }, m) : null;
  }

  async close(actor: Actor, id: number): Promise<ComplaintRow> {
    if (actor.role === 'partner') throw new NotFoundException('complaints:errors.notFound');
    return this.change(actor, id, async (o, m) => {
      const to = nextStatus(o.status, 'close');
      await m.query(`UPDATE complaint SET status = $2, closed_at = now(), updated_at = now() WHERE id = $1`, [id, to]);
      return { action: 'close', to };
    });
  }

  /** Escalation by hand (the partner asks for help, or a manager takes it up), with a reason. */
  async escalate(actor: Actor, id: number, reason: string): Promise<ComplaintRow> {
    const clean = (reason ?? '').trim();
    if (!clean) throw new RuleViolation('complaints:errors.escalationReason', 'reason');
    return this.change(actor, id, async (o, m) => {
      if (!canAct(o.status, 'escalate', o.escalatedAt)) throw new RuleViolation('complaints:errors.cannotEscalate', 'reason');
      await m.query(`UPDATE complaint SET escalated_at = now(), escalated_auto = false, escalation_reason = $2, updated_at = now() WHERE id = $1`, [id, clean]);
      await this.announceEscalation(id, m);
      return { action: 'escalate', to: o.status, note: clean };
    });
  }

  /**
   * The scheduled job: every unfinished order past its due time is escalated once — marked in one statement, then
   * the partner's users and the managers are notified and the customer gets a churn warning (open complaint overdue).
   */
  async escalateOverdue(actor: Actor, now = new Date(), manager?: EntityManager): Promise<{ escalated: number }> {
    const run = async (m: EntityManager) => {
      const rows: { id: number }[] = await m.query(Q.ESCALATE_OVERDUE_SQL, [now]);
      for (const { id } of rows) {
        const o = await this.row(id, m);
        await this.audit.record(actor, { action: 'complaint.escalate', entityType: 'complaint', entityId: id, partnerId: o.partnerId, after: { automatic: true, dueAt: o.dueAt } }, m);
        await this.announceEscalation(id, m);
        await this.retention.raise(actor, o.customerId, 'complaint_overdue', { complaintId: id, dueAt: o.dueAt }, m);
      }
      return { escalated: rows.length };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  private async announceEscalation(id: number, m: EntityManager): Promise<void> {
    const o = await this.row(id, m);
    const params = { id, customer: `${o.customerCode} ${o.customerName}`, dueAt: o.dueAt, partner: o.partnerCode ? `${o.partnerCode} ${o.partnerName}` : (o.managerName ?? '') };
    const key = `complaint.escalated:${id}:${new Date(o.escalatedAt!).getTime()}`;
    if (o.partnerId) await this.notifications.notify({ key, kind: 'complaint.escalated', params, link: `/my/complaints/${id}`, users: await this.notifications.usersOfPartner(o.partnerId, m) }, { manager: m });
    const managers = await this.notifications.managersInCharge(o.partnerId ?? 0, m);
    await this.notifications.notify({ key, kind: 'complaint.escalated', params, link: `/complaints/${id}`, users: o.managerUserId ? [o.managerUserId, ...managers] : managers }, { manager: m });
  }

  /** One state change: lock, access check (404 for another partner's), the change, its history row and audit entry. */
  private async change(actor: Actor, id: number, apply: (o: ComplaintRow, m: EntityManager) => Promise<{ action: string; to: ComplaintStatus; note?: string; skipEvent?: boolean; after?: Record<string, unknown> }>): Promise<ComplaintRow> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM complaint WHERE id = $1 FOR UPDATE`, [id]);
      const o = await this.getForActor(actor, id, m);
      const r = await apply(o, m);
      if (!r.skipEvent) await this.event(m, id, actor, r.action, o.status, r.to, r.note ?? null);
      await this.audit.record(actor, { action: `complaint.${r.action}`, entityType: 'complaint', entityId: id, partnerId: o.partnerId, before: { status: o.status }, after: { status: r.to, ...(r.after ?? {}) }, reason: r.note ?? null }, m);
      return this.getForActor(actor, id, m);
    });
  }

  private async event(m: EntityManager, id: number, actor: Actor, action: string, from: string | null, to: string | null, note: string | null = null, satisfaction: string | null = null): Promise<void> {
    await m.query(`INSERT INTO complaint_event (complaint_id, action, from_status, to_status, satisfaction, note, actor_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, action, from, to, satisfaction, note, actor.id > 0 ? actor.id : null]);
  }

  private async row(id: number, m: EntityManager = this.db.manager): Promise<ComplaintRow> {
    const [o] = await m.query(`${Q.SELECT_COMPLAINTS} WHERE o.id = $1`, [id]);
    if (!o) throw new NotFoundException('complaints:errors.notFound');
    return decorate(o);
  }

  /** One work order; a partner user gets 404 for an order of another partner, a scoped manager for customers elsewhere (#17). */
  async getForActor(actor: Actor, id: number, m: EntityManager = this.db.manager): Promise<ComplaintRow> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundException('complaints:errors.notFound');
    const o = await this.row(id, m);
    if (actor.role === 'partner' && o.partnerId !== actor.partnerId) throw new NotFoundException('complaints:errors.notFound');
    if (!inRegionScope(await this.scope.forActor(actor, m), o.region)) throw new NotFoundException('complaints:errors.notFound');
    return o;
  }

  async history(id: number): Promise<ComplaintEvent[]> {
    return this.db.query(
      `SELECT e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.satisfaction, e.note, e.at, COALESCE(NULLIF(u.display_name, ''), u.username) AS "actorName"
         FROM complaint_event e LEFT JOIN user_account u ON u.id = e.actor_user_id WHERE e.complaint_id = $1 ORDER BY e.at, e.id`, [id]);
  }

  async page(actor: Actor, filter: ComplaintFilter, list: Pick<ListQuery, 'orderBy' | 'size' | 'offset'>): Promise<{ rows: ComplaintRow[]; total: number }> {
    const { where, params } = whereFor(actor, filter, new Date(), await this.scope.forActor(actor));
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM complaint o JOIN customer c ON c.id = o.customer_id LEFT JOIN partner p ON p.id = o.partner_id ${where}`, params);
    const rows = await this.db.query(`${Q.SELECT_COMPLAINTS} ${where} ORDER BY ${list.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    return { rows: rows.map((r: ComplaintRow) => decorate(r)), total };
  }

  /** Customers a form may choose: a partner's own today, or every customer for staff (code order). */
  async customerOptions(actor: Actor): Promise<{ id: number; code: string; name: string; customerClass: string }[]> {
    if (actor.role === 'partner') return (await this.customers.listCurrentByPartner(actor.partnerId ?? -1)).map((c) => ({ id: c.id, code: c.code, name: c.name, customerClass: c.customerClass }));
    return this.db.query(`SELECT id, code, name, customer_class AS "customerClass" FROM customer ORDER BY code LIMIT 2000`);
  }
}

/** Derived flags a page shows (overdue, visit overdue, on time). */
export function decorate(o: ComplaintRow, now = new Date()): ComplaintRow {
  const dueAtDate = new Date(o.dueAt);
  return {
    ...o,
    overdue: isOverdue({ status: o.status, dueAt: dueAtDate }, now),
    visitOverdue: visitOverdue({ status: o.status, visitDueAt: o.visitDueAt ? new Date(o.visitDueAt) : null }, now),
    onTime: resolvedOnTime({ dueAt: dueAtDate, firstResolvedAt: o.firstResolvedAt ? new Date(o.firstResolvedAt) : null }),
  };
}
