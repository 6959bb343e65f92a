import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { OverdueDigest } from '../notifications/overdue-digest.service';
import { Actor } from '../../core/auth/actor';
import { nextPeriod, parsePeriod, periodOfDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { CUSTOMER_REASSIGNED, CUSTOMER_STAGE_CHANGED, CustomerReassignedEvent, CustomerStageChangedEvent } from '../customers/customer-events';
import { GENERATE_CHECKLIST_SQL } from './checklist-sql';
import { complaintHoursFor, CustomerClass, dueDateFor, proratedRequired, requiredFor } from './duty-rules.util';
import { COMPLAINT_RULE_SQL } from './queries/record-write.sql';
import { DutyTemplate } from './duty.entities';
import { affectedRows, countChanged } from './sql.util';

function checkPeriod(period: string) {
  try {
    return parsePeriod(period);
  } catch (e) {
    if (e instanceof RuleViolation) throw new RuleViolation(e.message, 'period', e.params);
    throw new RuleViolation('errors:period.invalid', 'period', { value: period ?? '' });
  }
}

/** Quarterly checklists, their numbers for scoring, locks and overdue alerts. Other modules use this service. */

/** Queued in the unlock's transaction: work held back while a quarter was locked (verification outcomes) follows. */
export const QUARTER_UNLOCKED_JOB = 'duties.quarter-unlocked';
@Injectable()
export class DutiesService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly digest: OverdueDigest, private readonly jobs: JobQueue) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.db.manager;
  }

  /** Required vs fulfilled for a partner's items of the period (each item capped at its required count; not-applicable left out). */
  async completionFor(partnerId: number, period: string, manager?: EntityManager): Promise<{ required: number; fulfilled: number }> {
    const [r] = await this.m(manager).query(
      `SELECT COALESCE(sum(required_count), 0)::int AS required, COALESCE(sum(LEAST(fulfilled_count, required_count)), 0)::int AS fulfilled
         FROM checklist_item WHERE partner_id = $1 AND period = $2 AND status <> 'not_applicable'`, [partnerId, period]);
    return { required: r.required, fulfilled: r.fulfilled };
  }

  /** Handled complaints of the period and how many were handled within the class's time limit (judged at entry). */
  async complaintTimeliness(partnerId: number, period: string, manager?: EntityManager): Promise<{ total: number; onTime: number }> {
    const [r] = await this.m(manager).query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE complaint_on_time)::int AS "onTime"
         FROM service_record WHERE partner_id = $1 AND period = $2 AND record_type = 'complaint_handled'`, [partnerId, period]);
    return { total: r.total, onTime: r.onTime };
  }

  /**
   * The customer's class and its complaint time limit in hours (today's 4/8/24 h settings of the customer's stage's
   * complaint duty template; the defaults when none). Used by the complaints module for a work order's due time.
   */
  async complaintLimit(customerId: number, manager?: EntityManager): Promise<{ customerClass: CustomerClass; hours: number } | null> {
    const [rule] = await this.m(manager).query(COMPLAINT_RULE_SQL, [customerId]);
    if (!rule) return null;
    return { customerClass: rule.customerClass as CustomerClass, hours: complaintHoursFor(rule, rule.customerClass as CustomerClass) };
  }

  /** Records of the period and how many were entered within the configured lag after the service. */
  async recordTimeliness(partnerId: number, period: string, manager?: EntityManager): Promise<{ total: number; onTime: number }> {
    const [r] = await this.m(manager).query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE r.created_at - r.occurred_at <= make_interval(hours => s.record_entry_lag_hours))::int AS "onTime"
         FROM service_record r CROSS JOIN duty_setting s WHERE r.partner_id = $1 AND r.period = $2`, [partnerId, period]);
    return { total: r.total, onTime: r.onTime };
  }

  async isQuarterLocked(period: string, manager?: EntityManager): Promise<boolean> {
    const [r] = await this.m(manager).query(`SELECT 1 FROM period_lock WHERE period = $1`, [period]);
    return !!r;
  }

  async lockedPeriods(): Promise<{ period: string; lockedAt: Date; reason: string }[]> {
    return this.db.query(`SELECT period, locked_at AS "lockedAt", reason FROM period_lock ORDER BY period DESC`);
  }

  async lockQuarter(actor: Actor, period: string, reason: string): Promise<boolean> {
    const q = checkPeriod(period);
    return this.db.transaction(async (m) => {
      const n = await countChanged(m, `INSERT INTO period_lock (period, locked_by, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
        [q.code, actor.id > 0 ? actor.id : null, reason?.trim() || 'duties:lock.noReason']);
      if (n) await this.audit.record(actor, { action: 'duties.lock', entityType: 'period', entityId: q.code, after: { locked: true }, reason }, m);
      return n > 0;
    });
  }

  /**
   * Reopens a locked quarter (admin, with a reason — e.g. locked by mistake). The audit entry keeps who locked it,
   * when and why. Returns false when the quarter was not locked.
   */
  async unlockQuarter(actor: Actor, period: string, reason: string): Promise<boolean> {
    const q = checkPeriod(period);
    if (!reason?.trim()) throw new RuleViolation('duties:errors.unlockReason', 'reason');
    return this.db.transaction(async (m) => {
      // wrapped in a SELECT: TypeORM returns [rows, count] for a bare DELETE … RETURNING
      const [was] = await m.query(
        `WITH gone AS (DELETE FROM period_lock WHERE period = $1 RETURNING locked_at AS "lockedAt", locked_by AS "lockedBy", reason) SELECT * FROM gone`, [q.code]);
      if (was) {
        await this.audit.record(actor, { action: 'duties.unlock', entityType: 'period', entityId: q.code, before: { locked: true, ...was }, after: { locked: false }, reason: reason.trim() }, m);
        // what was held back while the quarter was locked follows now, durably (the verification module handles it)
        await this.jobs.enqueue(QUARTER_UNLOCKED_JOB, { period: q.code }, { manager: m, createdBy: actor.id > 0 ? actor.id : null });
      }
      return !!was;
    });
  }

  /**
   * Creates the period's checklist in one set-based statement for all customers; re-running adds only what is
   * missing. The holder is the partner holding the customer on the quarter's last day (or today, if earlier).
   */
  async generate(actor: Actor, period: string, manager?: EntityManager): Promise<{ inserted: number; total: number }> {
    const q = checkPeriod(period);
    const today = todayIso();
    const reference = today < q.end ? today : q.end;
    const run = async (m: EntityManager) => {
      const inserted = await affectedRows(m, GENERATE_CHECKLIST_SQL, [q.code, q.start, q.end, reference]);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM checklist_item WHERE period = $1`, [q.code]);
      await this.audit.record(actor, { action: 'duties.generate', entityType: 'period', entityId: q.code, after: { inserted, total: n } }, m);
      return { inserted, total: n };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Open checklist items of the customer (from the handover's quarter on) follow the new holder. */
  async moveOpenItems(actor: Actor, customerId: number, toPartnerId: number | null, effectiveOn: string, manager: EntityManager): Promise<number> {
    const from = periodOfDate(effectiveOn).code;
    const n = await countChanged(manager,
      `UPDATE checklist_item SET partner_id = $2 WHERE customer_id = $1 AND status = 'open' AND period >= $3 AND partner_id IS DISTINCT FROM $2 RETURNING 1`,
      [customerId, toPartnerId, from]);
    if (n) await this.audit.record(actor, { action: 'duties.items-moved', entityType: 'customer', entityId: customerId, partnerId: toPartnerId, after: { toPartnerId, items: n, fromPeriod: from } }, manager);
    return n;
  }

  @OnEvent(CUSTOMER_REASSIGNED)
  async onReassigned(e: CustomerReassignedEvent): Promise<void> {
    await this.moveOpenItems(e.actor, e.customerId, e.toPartnerId, e.effectiveOn, e.manager);
  }

  /**
   * Mid-quarter stage change: open items of the old stage become "not applicable from <date>" and the new stage's
   * items open (prorated, due from that date), in every already generated quarter from the change on.
   */
  @OnEvent(CUSTOMER_STAGE_CHANGED)
  async onStageChanged(e: CustomerStageChangedEvent): Promise<void> {
    const m = e.manager;
    const [customer] = await m.query(`SELECT customer_class FROM customer WHERE id = $1`, [e.customerId]);
    const cls = customer.customer_class as CustomerClass;
    const templates = await m.getRepository(DutyTemplate).find({ where: { stage: e.to, active: true } });
    const last = nextPeriod(periodOfDate(todayIso() > e.effectiveOn ? todayIso() : e.effectiveOn).code).code;
    let closed = 0;
    let opened = 0;
    for (let q = periodOfDate(e.effectiveOn); q.code <= last; q = nextPeriod(q.code)) {
      const [generated] = await m.query(`SELECT 1 FROM checklist_item WHERE period = $1 LIMIT 1`, [q.code]);
      if (!generated) continue;
      const from = e.effectiveOn > q.start ? e.effectiveOn : q.start;
      closed += await countChanged(m,
        `UPDATE checklist_item SET status = 'not_applicable', not_applicable_from = $3
          WHERE customer_id = $1 AND period = $2 AND stage = $4 AND status = 'open' RETURNING 1`, [e.customerId, q.code, from, e.from]);
      const [holder] = await m.query(
        `SELECT partner_id FROM customer_assignment WHERE customer_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`, [e.customerId, from]);
      for (const t of templates) {
        const required = proratedRequired(requiredFor(t, cls), q, from);
        if (required <= 0) continue;
        // records already made since the change (a backdated change) count for the new items
        opened += await countChanged(m,
          `INSERT INTO checklist_item (period, customer_id, duty_template_id, stage, partner_id, required_count, fulfilled_count, due_date, status, fulfilled_at)
           SELECT $1, $2, $3, $4, $5, $6, n, $7, CASE WHEN n >= $6 THEN 'fulfilled' ELSE 'open' END, CASE WHEN n >= $6 THEN now() END
             FROM (SELECT count(*)::int AS n FROM service_record
                    WHERE customer_id = $2 AND period = $1 AND occurred_at >= $8::date AND record_type = ANY($9::text[])
                      AND partner_id IS NOT DISTINCT FROM $5) x
           ON CONFLICT (period, customer_id, duty_template_id, stage)
           DO UPDATE SET status = 'open', not_applicable_from = NULL, partner_id = EXCLUDED.partner_id
             WHERE checklist_item.status = 'not_applicable'
           RETURNING 1`,
          [q.code, e.customerId, t.id, e.to, holder?.partner_id ?? null, required, dueDateFor(t, q, from), from, t.recordTypes]);
      }
    }
    if (closed || opened) {
      await this.audit.record(e.actor, { action: 'duties.stage-items', entityType: 'customer', entityId: e.customerId, after: { from: e.from, to: e.to, effectiveOn: e.effectiveOn, closed, opened } }, m);
    }
  }

  /** Records one alert per overdue open item (idempotent: the alert table is unique per item). */
  async raiseOverdueAlerts(actor: Actor, today = todayIso(), manager?: EntityManager): Promise<{ created: number; overdue: number }> {
    const run = async (m: EntityManager) => {
      const created = await countChanged(m,
        `INSERT INTO duty_alert (checklist_item_id, partner_id, customer_id, period, due_date)
         SELECT id, partner_id, customer_id, period, due_date FROM checklist_item WHERE status = 'open' AND due_date < $1
         ON CONFLICT (checklist_item_id) DO NOTHING RETURNING 1`, [today]);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM checklist_item WHERE status = 'open' AND due_date < $1`, [today]);
      await this.digest.send(today, m);
      if (created) await this.audit.record(actor, { action: 'duties.alerts', entityType: 'duty_alert', entityId: today, after: { created, overdue: n } }, m);
      return { created, overdue: n };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /**
   * Sets every item's fulfilled count of a period from the records (repair tool; used by the demo data before any
   * verification: it does not know verification outcomes, so a record found "not confirmed" would count again). A
   * manager-held item (no partner) counts the records of the manager holding the customer.
   */
  async recount(period: string, manager?: EntityManager): Promise<number> {
    return countChanged(this.m(manager),
      `UPDATE checklist_item ci
          SET fulfilled_count = x.n,
              status = CASE WHEN ci.status = 'not_applicable' THEN ci.status WHEN x.n >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
              fulfilled_at = CASE WHEN ci.status <> 'not_applicable' AND x.n >= ci.required_count THEN COALESCE(ci.fulfilled_at, now()) END
         FROM (SELECT ci2.id, LEAST(ci2.required_count, count(r.id))::int AS n
                 FROM checklist_item ci2 JOIN duty_template t ON t.id = ci2.duty_template_id
                 LEFT JOIN service_record r ON r.customer_id = ci2.customer_id AND r.period = ci2.period
                      AND (r.partner_id = ci2.partner_id OR (ci2.partner_id IS NULL AND r.manager_user_id IS NOT NULL))
                      AND r.record_type = ANY(t.record_types)
                WHERE ci2.period = $1 GROUP BY ci2.id) x
        WHERE ci.id = x.id RETURNING 1`, [period]);
  }
}
