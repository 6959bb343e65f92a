import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { inRegionScope } from '../../core/auth/region-scope.util';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { CUSTOMER_REASSIGNED, CUSTOMER_STAGE_CHANGED, CustomerReassignedEvent, CustomerStageChangedEvent } from './customer-events';
import { AssignmentTarget, checkReassignment, checkStageChange, CUSTOMER_STAGES, CustomerClass, CustomerStage, isCustomerClass, isStage } from './customer-rules.util';
import { Customer, CustomerAssignment, CustomerStageHistory } from './customer.entity';
import { AssignmentQuotaInput, AssignmentRefusal, assignmentRefusals, decideAssignment } from './assignment-quota.util';
import { RegionName } from '../regions/region-match.util';

/** A customer as an upstream system (CRM) sends it. */
export interface CustomerUpsert { code: string; name: string; industry: string; region: string; customerClass: CustomerClass; stage?: CustomerStage; partnerCode?: string; effectiveOn?: string; reason?: string }

/** Enterprise customers, who holds them over time, and their lifecycle stage. Other modules use this service. */
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly scope: RegionScopeService,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.db.manager;
  }

  async findByCodes(codes: string[], manager?: EntityManager): Promise<Map<string, Customer>> {
    const unique = [...new Set(codes.map((c) => (c ?? '').trim()).filter(Boolean))];
    const found: Customer[] = [];
    for (let i = 0; i < unique.length; i += 5000) {
      found.push(...(await this.m(manager).getRepository(Customer).find({ where: { code: In(unique.slice(i, i + 5000)) } })));
    }
    return new Map(found.map((c) => [c.code, c]));
  }

  async findById(id: number, manager?: EntityManager): Promise<Customer | null> {
    return this.m(manager).getRepository(Customer).findOne({ where: { id } });
  }

  async getById(id: number, manager?: EntityManager): Promise<Customer> {
    const c = await this.findById(id, manager);
    if (!c) throw new NotFoundException('customers:errors.notFound');
    return c;
  }

  /**
   * Staff see every customer (a channel manager scoped to regions only those of their regions, #17); a partner user only the customers its partner holds today (others, including customers
   * it held before a reassignment, answer 404 — the records it wrote itself stay readable through the records).
   */
  async assertVisible(actor: Actor, customerId: number, manager?: EntityManager): Promise<Customer> {
    const c = await this.findById(customerId, manager);
    if (!c) throw new NotFoundException('customers:errors.notFound');
    if (actor.role !== 'partner') {
      if (!inRegionScope(await this.scope.forActor(actor, manager), c.region)) throw new NotFoundException('customers:errors.notFound');
      return c;
    }
    const [held] = await this.m(manager).query(
      `SELECT 1 FROM customer_assignment WHERE customer_id = $1 AND partner_id = $2 AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date)`,
      [customerId, actor.partnerId ?? -1, todayIso()]);
    if (!held) throw new NotFoundException('customers:errors.notFound');
    return c;
  }

  /** Customers the partner holds today. */
  async listCurrentByPartner(partnerId: number, manager?: EntityManager): Promise<Customer[]> {
    return this.m(manager).getRepository(Customer).createQueryBuilder('c')
      .innerJoin(CustomerAssignment, 'a', 'a.customer_id = c.id AND a.valid_to IS NULL')
      .where('a.partner_id = :partnerId', { partnerId })
      .orderBy('c.code', 'ASC')
      .getMany();
  }

  async countCurrentByPartner(partnerIds: number[], manager?: EntityManager): Promise<Map<number, number>> {
    const result = new Map<number, number>(partnerIds.map((id) => [id, 0]));
    if (!partnerIds.length) return result;
    const rows: { partner_id: number; n: number }[] = await this.m(manager).query(
      `SELECT partner_id, count(*)::int AS n FROM customer_assignment
        WHERE valid_to IS NULL AND partner_id = ANY($1::int[]) GROUP BY partner_id`, [partnerIds]);
    for (const r of rows) result.set(r.partner_id, r.n);
    return result;
  }

  /** The partner holding each customer on each date (null: nobody or a channel manager), in the order asked. */
  async assignedPartnersOn(pairs: { customerId: number; date: string }[], manager?: EntityManager): Promise<(number | null)[]> {
    if (!pairs.length) return [];
    const rows: { ord: string; partner_id: number | null }[] = await this.m(manager).query(
      `SELECT p.ord, a.partner_id
         FROM unnest($1::int[], $2::date[]) WITH ORDINALITY AS p(customer_id, d, ord)
         LEFT JOIN customer_assignment a
           ON a.customer_id = p.customer_id AND a.valid_from <= p.d AND (a.valid_to IS NULL OR a.valid_to > p.d)
        ORDER BY p.ord`, [pairs.map((p) => p.customerId), pairs.map((p) => p.date)]);
    return rows.map((r) => r.partner_id ?? null);
  }

  async currentAssignment(customerId: number, manager?: EntityManager): Promise<CustomerAssignment | null> {
    return this.m(manager).getRepository(CustomerAssignment).findOne({ where: { customerId, validTo: IsNull() } });
  }

  async assignmentHistory(customerId: number, manager?: EntityManager): Promise<CustomerAssignment[]> {
    return this.m(manager).getRepository(CustomerAssignment).find({ where: { customerId }, order: { validFrom: 'ASC', id: 'ASC' } });
  }

  async stageHistory(customerId: number, manager?: EntityManager): Promise<CustomerStageHistory[]> {
    return this.m(manager).getRepository(CustomerStageHistory).find({ where: { customerId }, order: { effectiveOn: 'ASC', id: 'ASC' } });
  }

  /**
   * Hands the customer to a partner or a channel manager from `effectiveOn`: the current range is closed on that
   * day and the new one opens on it (half-open ranges, no gap, no overlap), under a lock on the customer row.
   */
  /**
   * Tier quota and regions (assignment-quota.util): why assigning `adding` customers of `customerRegion` to the partner
   * would go beyond its tier's quota or outside its regions (empty: it may). The customer import calls this per
   * receiving partner with the number of rows it assigns to it; reassign and the handover go through reassign.
   */
  async assignmentRefusals(partnerId: number, customerRegion: string, opts: { adding?: number; manager?: EntityManager } = {}): Promise<AssignmentRefusal[]> {
    const m = this.m(opts.manager);
    const p = await this.partners.findById(partnerId, m);
    if (!p) return [];
    const quota = (await this.partners.tierPolicy(p.tier ?? 'C', m).catch(() => ({ customerQuota: 0 }))).customerQuota;
    const current = (await this.countCurrentByPartner([partnerId], m)).get(partnerId) ?? 0;
    return assignmentRefusals({ partnerCode: p.code, tier: p.tier, quota, current, adding: opts.adding, partnerRegion: p.region, customerRegion, regions: await this.regionNames(m) });
  }

  /**
   * For an import: each receiving partner's quota facts (read once), and the region list, so that the rule runs per
   * row without a query per row. Rows then go through `assignmentRefusals` (pure) with a running count.
   */
  async assignmentContext(partnerIds: number[], m: EntityManager): Promise<{ partners: Map<number, Omit<AssignmentQuotaInput, 'customerRegion' | 'adding' | 'regions'>>; regions: RegionName[] }> {
    const ids = [...new Set(partnerIds)];
    const counts = await this.countCurrentByPartner(ids, m);
    const partners = new Map<number, Omit<AssignmentQuotaInput, 'customerRegion' | 'adding' | 'regions'>>();
    for (const id of ids) {
      const p = await this.partners.findById(id, m);
      if (!p) continue;
      const quota = (await this.partners.tierPolicy(p.tier ?? 'C', m).catch(() => ({ customerQuota: 0 }))).customerQuota;
      partners.set(id, { partnerCode: p.code, tier: p.tier, quota, current: counts.get(id) ?? 0, partnerRegion: p.region });
    }
    return { partners, regions: await this.regionNames(m) };
  }

  /** The region list as the region rule needs it, read on the caller's connection (inside its transaction). */
  private async regionNames(m: EntityManager): Promise<RegionName[]> {
    const rows: { name: string; nameEn: string; aliases: string[] | null; parent: string | null }[] = await m.query(
      `SELECT r.name, r.name_en AS "nameEn", r.aliases, p.name AS parent FROM region r LEFT JOIN region p ON p.id = r.parent_id`);
    return rows.map((r) => ({ ...r, aliases: r.aliases ?? [] }));
  }

  /**
   * `opts.overrideReason`: a channel manager or admin assigns beyond the partner's tier quota or outside its regions
   * anyway; the reason is stored on the assignment and in the audit entry. Without it such an assignment is refused.
   */
  async reassign(actor: Actor, customerId: number, to: AssignmentTarget, effectiveOn: string, reason: string, manager?: EntityManager, opts: { overrideReason?: string | null } = {}): Promise<CustomerAssignment> {
    const run = async (m: EntityManager) => {
      const customer = await m.getRepository(Customer).findOne({ where: { id: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw new NotFoundException('customers:errors.notFound');
      const current = await this.currentAssignment(customerId, m);
      checkReassignment(current, to, effectiveOn, reason);
      let override: { overridden: boolean; overrideReason: string | null } = { overridden: false, overrideReason: null };
      if (to.partnerId) {
        const p = await this.partners.findById(to.partnerId, m);
        // a scoped channel manager hands customers only to partners of their regions (#17): another's is unknown to them
        if (!p || !(await this.scope.partnerInScope(actor, p.id, m))) throw new RuleViolation('customers:errors.noPartner', 'partnerId', { id: to.partnerId });
        if (p.status !== 'active') throw new RuleViolation('customers:errors.partnerInactive', 'partnerId', { code: p.code, status: `partners:status.${p.status}` });
        override = decideAssignment(await this.assignmentRefusals(p.id, customer.region, { manager: m }), { role: actor.role, reason: opts.overrideReason });
      } else {
        const [u] = await m.query(`SELECT id FROM user_account WHERE id = $1 AND role = 'channel_manager' AND active`, [to.managerUserId]);
        if (!u) throw new RuleViolation('customers:errors.notManager', 'managerUserId', { id: to.managerUserId });
      }
      if (current) await m.getRepository(CustomerAssignment).update({ id: current.id }, { validTo: effectiveOn });
      const created = await m.getRepository(CustomerAssignment).save(m.getRepository(CustomerAssignment).create({
        customerId, partnerId: to.partnerId ?? null, managerUserId: to.partnerId ? null : to.managerUserId ?? null,
        validFrom: effectiveOn, validTo: null, reason: reason.trim(), actorUserId: actor.id > 0 ? actor.id : null, overrideReason: override.overrideReason,
      }));
      const before = current ? { partnerId: current.partnerId, managerUserId: current.managerUserId, validFrom: current.validFrom } : null;
      const after = { partnerId: created.partnerId, managerUserId: created.managerUserId, validFrom: effectiveOn, ...(override.overridden ? { quotaOverride: override.overrideReason } : {}) };
      await this.audit.record(actor, { action: 'customer.reassign', entityType: 'customer', entityId: customerId, partnerId: created.partnerId ?? current?.partnerId ?? null, before, after, reason }, m);
      const event: CustomerReassignedEvent = {
        customerId, fromPartnerId: current?.partnerId ?? null, toPartnerId: created.partnerId, toManagerUserId: created.managerUserId, effectiveOn, actor, manager: m,
      };
      await this.events.emitAsync(CUSTOMER_REASSIGNED, event);
      return created;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Moves the customer to another lifecycle stage; listeners (duties) adjust checklists in the same transaction. */
  async changeStage(actor: Actor, customerId: number, stage: string, effectiveOn: string, reason: string, manager?: EntityManager): Promise<Customer> {
    const run = async (m: EntityManager) => {
      const customer = await m.getRepository(Customer).findOne({ where: { id: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw new NotFoundException('customers:errors.notFound');
      const [last] = await m.query(`SELECT max(effective_on)::text AS d FROM customer_stage_history WHERE customer_id = $1`, [customerId]);
      const to = checkStageChange(customer.stage, stage, effectiveOn, last?.d ?? null, todayIso(), reason);
      const from = customer.stage;
      await m.getRepository(Customer).update({ id: customerId }, { stage: to, updatedAt: new Date() });
      await m.getRepository(CustomerStageHistory).insert({ customerId, fromStage: from, toStage: to, effectiveOn, actorUserId: actor.id > 0 ? actor.id : null, reason: reason.trim() });
      await this.audit.record(actor, { action: 'customer.stage', entityType: 'customer', entityId: customerId, before: { stage: from }, after: { stage: to, effectiveOn }, reason }, m);
      const event: CustomerStageChangedEvent = { customerId, from, to, effectiveOn, actor, manager: m };
      await this.events.emitAsync(CUSTOMER_STAGE_CHANGED, event);
      return { ...customer, stage: to as CustomerStage };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /**
   * Creates or updates a customer by its code (the machine API's PUT): name, industry, region and class; a stage
   * change and a hand-over to another partner go through changeStage / reassign with their effective date.
   */
  async upsert(actor: Actor, input: CustomerUpsert, manager?: EntityManager): Promise<{ customer: Customer; created: boolean }> {
    const run = async (m: EntityManager) => {
      for (const f of ['name', 'industry', 'region'] as const) if (!input[f]?.trim()) throw new RuleViolation('customers:csv.nameRequired', f);
      if (!isCustomerClass(input.customerClass)) throw new RuleViolation('customers:csv.class', 'customerClass');
      if (input.stage !== undefined && !isStage(input.stage)) throw new RuleViolation('customers:errors.unknownStage', 'stage', { value: input.stage, list: CUSTOMER_STAGES.join(', ') });
      const effectiveOn = input.effectiveOn ?? todayIso();
      const partner = input.partnerCode ? await this.partners.findByCode(input.partnerCode, m) : null;
      if (input.partnerCode && !partner) throw new RuleViolation('customers:csv.noPartner', 'partnerCode', { code: input.partnerCode });
      let c = await m.getRepository(Customer).findOne({ where: { code: input.code }, lock: { mode: 'pessimistic_write' } });
      const created = !c;
      const fields = { name: input.name.trim(), industry: input.industry.trim(), region: input.region.trim(), customerClass: input.customerClass };
      if (!c) {
        c = await m.getRepository(Customer).save(m.getRepository(Customer).create({ code: input.code, ...fields, stage: input.stage ?? 'acquisition' }));
        await m.getRepository(CustomerStageHistory).insert({ customerId: c.id, fromStage: null, toStage: c.stage, effectiveOn, actorUserId: actor.id > 0 ? actor.id : null, reason: input.reason ?? '' });
        await this.audit.record(actor, { action: 'customer.create', entityType: 'customer', entityId: c.id, after: { code: c.code, ...fields, stage: c.stage, effectiveOn } }, m);
      } else {
        const before = { name: c.name, industry: c.industry, region: c.region, customerClass: c.customerClass };
        if (JSON.stringify(before) !== JSON.stringify(fields)) {
          await m.getRepository(Customer).update({ id: c.id }, { ...fields, updatedAt: new Date() });
          await this.audit.record(actor, { action: 'customer.update', entityType: 'customer', entityId: c.id, before, after: { ...fields, effectiveOn }, reason: input.reason ?? null }, m);
        }
        if (input.stage && input.stage !== c.stage) await this.changeStage(actor, c.id, input.stage, effectiveOn, input.reason ?? '', m);
      }
      if (partner) {
        const current = await this.currentAssignment(c.id, m);
        if (current?.partnerId !== partner.id) await this.reassign(actor, c.id, { partnerId: partner.id }, effectiveOn, input.reason || 'customers:reason.imported', m);
      }
      return { customer: (await this.findById(c.id, m))!, created };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }
}
