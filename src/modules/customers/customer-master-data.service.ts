import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { auditOf, diffFields, FieldChange } from '../../core/audit/field-diff.util';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { RegionsService } from '../regions/regions.service';
import { CUSTOMER_CLASS_CHANGED, CustomerClassChangedEvent } from './customer-events';
import { checkClassChange, checkCustomerFields, checkNewCustomer, CUSTOMER_EDITABLE_FIELDS, NewCustomerInput } from './customer-master-data.util';
import { CustomerChange } from './customer-change.entity';
import { Customer, CustomerStageHistory } from './customer.entity';
import { CustomersService } from './customers.service';

export interface NewCustomerHolder { partnerId?: number | null; effectiveOn?: string; overrideReason?: string | null }
export interface CustomerChangeView { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string | null; changedAt: Date; changedByName: string | null }

/**
 * Customer master data in the page and the API (#17): create one customer (the holding partner through the
 * assignment rules: status, tier quota, regions, a manager's override), edit name/industry/region, and change the
 * class A/B/C with a reason — history rows, audit entries and the duties' re-planning in the same transaction.
 */
@Injectable()
export class CustomerMasterDataService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly customers: CustomersService, private readonly regions: RegionsService,
    private readonly audit: AuditService, private readonly events: EventEmitter2,
    private readonly scope: RegionScopeService,
  ) {}

  async create(actor: Actor, input: NewCustomerInput, holder: NewCustomerHolder = {}): Promise<Customer> {
    const c = checkNewCustomer(input);
    const effectiveOn = (holder.effectiveOn ?? '').trim() || todayIso();
    if (holder.partnerId && !isValidIsoDate(effectiveOn)) throw new RuleViolation('customers:errors.badDate', 'effectiveOn', { value: effectiveOn });
    return this.db.transaction(async (m) => {
      const region = await this.regions.resolve(c.region, 'region', m);
      await this.scope.assertRegionAllowed(actor, region, 'region', m);
      const [taken] = await m.query(`SELECT 1 FROM customer WHERE code = $1`, [c.code]);
      if (taken) throw new RuleViolation('customers:csv.codeExists', 'code', { code: c.code });
      const repo = m.getRepository(Customer);
      const saved = await repo.save(repo.create({ ...c, region }));
      await m.getRepository(CustomerStageHistory).insert({ customerId: saved.id, fromStage: null, toStage: saved.stage, effectiveOn: todayIso(), actorUserId: actor.id > 0 ? actor.id : null, reason: 'customers:edit.createdReason' });
      await this.audit.record(actor, { action: 'customer.create', entityType: 'customer', entityId: saved.id, after: { code: saved.code, name: saved.name, industry: saved.industry, region, customerClass: saved.customerClass, stage: saved.stage } }, m);
      if (holder.partnerId) {
        // the same rules as every assignment: an active partner, its tier quota and regions (a manager may override with a reason)
        await this.customers.reassign(actor, saved.id, { partnerId: holder.partnerId }, effectiveOn, 'customers:edit.createdReason', m, { overrideReason: holder.overrideReason });
      }
      return saved;
    });
  }

  async update(actor: Actor, customerId: number, input: { name?: string; industry?: string; region?: string }, reason?: string | null): Promise<{ customer: Customer; changes: FieldChange[] }> {
    return this.db.transaction(async (m) => {
      const c = await this.locked(customerId, m, actor);
      const fields = checkCustomerFields({ name: input.name ?? c.name, industry: input.industry ?? c.industry, region: input.region ?? c.region });
      fields.region = await this.regions.resolve(fields.region, 'region', m);
      if (fields.region !== c.region) await this.scope.assertRegionAllowed(actor, fields.region, 'region', m);
      const changes = diffFields(CUSTOMER_EDITABLE_FIELDS, c, fields);
      if (!changes.length) return { customer: c, changes };
      await m.getRepository(Customer).update({ id: c.id }, { ...fields, updatedAt: new Date() });
      await this.history(actor, c.id, changes, reason, m);
      await this.audit.record(actor, { action: 'customer.update', entityType: 'customer', entityId: c.id, ...auditOf(changes), reason: reason?.trim() || null }, m);
      return { customer: { ...c, ...fields }, changes };
    });
  }

  /** Class A/B/C with a reason; the duties module moves the due dates of the open checklist items (awaited event). */
  async changeClass(actor: Actor, customerId: number, to: string, reason: string): Promise<{ customer: Customer; movedItems: number }> {
    return this.db.transaction(async (m) => {
      const c = await this.locked(customerId, m, actor);
      const cls = checkClassChange(c.customerClass, to, reason);
      await m.getRepository(Customer).update({ id: c.id }, { customerClass: cls, updatedAt: new Date() });
      const changes = [{ field: 'customerClass', oldValue: c.customerClass, newValue: cls }];
      await this.history(actor, c.id, changes, reason, m);
      const event: CustomerClassChangedEvent = { customerId: c.id, from: c.customerClass, to: cls, changedOn: todayIso(), actor, manager: m };
      await this.events.emitAsync(CUSTOMER_CLASS_CHANGED, event);
      const movedItems = event.moved?.items ?? 0;
      await this.audit.record(actor, { action: 'customer.class', entityType: 'customer', entityId: c.id, before: { customerClass: c.customerClass }, after: { customerClass: cls, movedItems }, reason: reason.trim() }, m);
      return { customer: { ...c, customerClass: cls }, movedItems };
    });
  }

  async changes(customerId: number, manager?: EntityManager): Promise<CustomerChangeView[]> {
    return (manager ?? this.db.manager).query(
      `SELECT c.id::text, c.field, c.old_value AS "oldValue", c.new_value AS "newValue", c.reason, c.changed_at AS "changedAt",
              coalesce(nullif(u.display_name, ''), u.username) AS "changedByName"
         FROM customer_change c LEFT JOIN user_account u ON u.id = c.changed_by
        WHERE c.customer_id = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT 500`, [customerId]);
  }

  /** The customer locked for a change; outside a scoped manager's regions it answers 404 like a missing one. */
  private async locked(customerId: number, m: EntityManager, actor: Actor): Promise<Customer> {
    const c = await m.getRepository(Customer).findOne({ where: { id: customerId }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw new NotFoundException('customers:errors.notFound');
    await this.scope.assertCustomer(actor, c.id, m);
    return c;
  }

  private async history(actor: Actor, customerId: number, changes: FieldChange[], reason: string | null | undefined, m: EntityManager): Promise<void> {
    await m.getRepository(CustomerChange).insert(changes.map((ch) => ({ customerId, field: ch.field, oldValue: ch.oldValue, newValue: ch.newValue, reason: reason?.trim() || null, changedBy: actor.id > 0 ? actor.id : null })));
  }
}
