import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { parsePeriod } from '../../core/period/period.util';
import { CUSTOMER_CLASS_CHANGED, CustomerClassChangedEvent } from '../customers/customer-events';
import { planAfterClassChange } from './class-change.util';
import { complaintHoursFor, CustomerClass } from './duty-rules.util';

interface ItemRow { id: string; period: string; dueDate: string; requiredCount: number; fulfilledCount: number; requiredA: number; requiredB: number; requiredC: number }

/**
 * A customer's class change (#17) moves the due dates of its open checklist items by the new class's time limit and
 * sets the new class's counts (rule: class-change.util). Runs in the class change's transaction (awaited event).
 */
@Injectable()
export class ClassChangeService {
  constructor(private readonly audit: AuditService) {}

  @OnEvent(CUSTOMER_CLASS_CHANGED)
  async onClassChanged(e: CustomerClassChangedEvent): Promise<void> {
    e.moved = { items: await this.replanOpenItems(e.actor, e.customerId, e.from, e.to, e.changedOn, e.manager) };
  }

  /** Re-plans the customer's open items of every quarter that ends on or after the change day; answers how many changed. */
  async replanOpenItems(actor: Actor, customerId: number, from: CustomerClass, to: CustomerClass, changedOn: string, m: EntityManager): Promise<number> {
    // the class time limits of the customer's stage (the within-hours template; defaults 4/8/24 without one)
    const [limits] = await m.query(
      `SELECT t.hours_a AS "hoursA", t.hours_b AS "hoursB", t.hours_c AS "hoursC" FROM customer c
         JOIN duty_template t ON t.stage = c.stage AND t.deadline_kind = 'within_hours'
        WHERE c.id = $1 ORDER BY t.active DESC, t.id LIMIT 1`, [customerId]);
    const hours = { old: complaintHoursFor(limits ?? null, from), new: complaintHoursFor(limits ?? null, to) };
    const items: ItemRow[] = await m.query(
      `SELECT i.id::text, i.period, i.due_date::text AS "dueDate", i.required_count AS "requiredCount", i.fulfilled_count AS "fulfilledCount",
              t.required_a AS "requiredA", t.required_b AS "requiredB", t.required_c AS "requiredC"
         FROM checklist_item i JOIN duty_template t ON t.id = i.duty_template_id
        WHERE i.customer_id = $1 AND i.status = 'open' ORDER BY i.period, i.id FOR UPDATE OF i`, [customerId]);
    const moved: { id: string; period: string; dueDate: [string, string]; required: [number, number]; status: string }[] = [];
    for (const i of items) {
      const q = parsePeriod(i.period);
      if (q.end < changedOn) continue; // a closed quarter stays as it was
      const plan = planAfterClassChange(i, i, to, changedOn, q, hours);
      if (plan.dueDate === i.dueDate && plan.requiredCount === i.requiredCount && plan.status === 'open') continue;
      await m.query(
        `UPDATE checklist_item SET due_date = $2::date, required_count = $3::int, status = $4::varchar,
                not_applicable_from = CASE WHEN $4::varchar = 'not_applicable' THEN greatest($5::date, $6::date) END,
                fulfilled_at = CASE WHEN $4::varchar = 'fulfilled' THEN now() END
          WHERE id = $1`, [i.id, plan.dueDate, plan.requiredCount, plan.status, changedOn, q.start]);
      moved.push({ id: i.id, period: i.period, dueDate: [i.dueDate, plan.dueDate], required: [i.requiredCount, plan.requiredCount], status: plan.status });
    }
    if (moved.length) {
      await this.audit.record(actor, { action: 'duties.class-replan', entityType: 'customer', entityId: customerId,
        before: { class: from, hours: hours.old }, after: { class: to, hours: hours.new, items: moved.slice(0, 100) } }, m);
    }
    return moved.length;
  }
}
