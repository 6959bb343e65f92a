import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { UsersService } from '../../core/auth/users.service';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { CustomersService } from '../customers/customers.service';
import { PartnersService } from '../partners/partners.service';
import { ExitCollaborators } from './exit-collaborators';
import { Handover, HandoverItem } from './exit.entities';
import { RegionName } from '../regions/region-match.util';
import { RegionsService } from '../regions/regions.service';
import { NotificationEvents } from '../notifications/notification-events.service';
import { Candidate, checklistProgress, ChecklistItem, ChecklistState, openChecklistItems, rankCandidates, receiverRefusal, assertChecklistUpdate } from './handover.util';

export interface BoardRow extends HandoverItem {
  customerCode: string; customerName: string; customerRegion: string;
  receiverLabel: string | null; receiverIsManager: boolean; progress: { done: number; total: number }; openItems: ChecklistItem[];
}
export type ChecklistPatch = Partial<Pick<ChecklistState, 'documentsTransferred' | 'openRecordsTransferred' | 'arrearsListTransferred' | 'customerInformedOn' | 'receiverAcknowledged'>>;

/** Receiver refusals of the tier quota / region rule, which a manager may override with a reason. */
const OVERRIDABLE = new Set(['exit:refusal.quotaFull', 'exit:refusal.wrongRegion']);

/** The handover plan of an exiting partner: every customer gets a receiver and a finished checklist. */
@Injectable()
export class HandoverService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly customers: CustomersService,
    private readonly partners: PartnersService,
    private readonly users: UsersService,
    private readonly collaborators: ExitCollaborators,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly notify: NotificationEvents,
  ) {}

  /** The region list as the receiver check needs it ("Anshun" = "安顺市"; a county counts under its prefecture). */
  async regionNames(manager?: EntityManager): Promise<RegionName[]> {
    if (manager) {
      // inside a caller's transaction (demo seed): read on its connection, not the pool's
      const rows: { name: string; nameEn: string; aliases: string[] | null; parent: string | null }[] = await manager.query(
        `SELECT r.name, r.name_en AS "nameEn", r.aliases, p.name AS parent FROM region r LEFT JOIN region p ON p.id = r.parent_id`);
      return rows.map((r) => ({ ...r, aliases: r.aliases ?? [] }));
    }
    return (await this.regions.all({ activeOnly: false })).map((r) => ({ name: r.name, nameEn: r.nameEn, aliases: r.aliases ?? [], parent: r.parent }));
  }

  /** Lists every customer currently assigned to the partner (called when the exit is approved). */
  async createPlan(actor: Actor, proposalId: number, partnerId: number, m: EntityManager): Promise<Handover> {
    const h = await m.getRepository(Handover).save(m.getRepository(Handover).create({ proposalId, partnerId, status: 'open' }));
    const customers = await this.customers.listCurrentByPartner(partnerId, m);
    for (const c of customers) await m.getRepository(HandoverItem).insert({ handoverId: h.id, customerId: c.id });
    await this.audit.record(actor, { action: 'handover.create', entityType: 'handover', entityId: h.id, partnerId, after: { customers: customers.length } }, m);
    return h;
  }

  async byProposal(proposalId: number, manager?: EntityManager): Promise<Handover | null> {
    return (manager ?? this.db.manager).getRepository(Handover).findOne({ where: { proposalId } });
  }

  /** Items of the board, with customer, receiver and checklist progress. */
  async board(h: Handover, manager?: EntityManager): Promise<BoardRow[]> {
    const m = manager ?? this.db.manager;
    const items = await m.getRepository(HandoverItem).find({ where: { handoverId: h.id }, order: { id: 'ASC' } });
    const receivers = await this.partners.findByIds(items.map((i) => i.receivingPartnerId).filter((x): x is number => x !== null), m);
    const managers = new Map((await this.users.list()).map((u) => [u.id, u.displayName]));
    const rows: BoardRow[] = [];
    for (const i of items) {
      const c = await this.customers.getById(i.customerId, m);
      const rp = i.receivingPartnerId ? receivers.get(i.receivingPartnerId) : null;
      rows.push({
        ...i, customerCode: c.code, customerName: c.name, customerRegion: c.region,
        receiverLabel: rp ? `${rp.code} ${rp.name}` : i.receivingManagerUserId ? String(managers.get(i.receivingManagerUserId) ?? i.receivingManagerUserId) : null,
        receiverIsManager: !rp && !!i.receivingManagerUserId,
        progress: checklistProgress(i), openItems: openChecklistItems(i),
      });
    }
    return rows.sort((a, b) => a.customerCode.localeCompare(b.customerCode));
  }

  /**
   * Every other partner as a possible receiver, with quota, load and last score (ranking is per customer). Inside a
   * transaction (manager given) scores are skipped: scoring reads outside it, and eligibility does not depend on them.
   */
  async candidatePool(exitingPartnerId: number, manager?: EntityManager): Promise<Candidate[]> {
    const partners = (await this.partners.listByStatus(['active'], manager)).filter((p) => p.id !== exitingPartnerId);
    const counts = await this.customers.countCurrentByPartner(partners.map((p) => p.id), manager);
    const quotas = new Map<string, number>();
    for (const tier of ['A', 'B', 'C'] as const) {
      try { quotas.set(tier, (await this.partners.tierPolicy(tier, manager)).customerQuota); } catch { quotas.set(tier, 0); }
    }
    const out: Candidate[] = [];
    for (const p of partners) {
      const [last] = manager ? [] : await this.collaborators.lastConfirmedScores(p.id, 1);
      out.push({ partnerId: p.id, code: p.code, name: p.name, status: p.status, region: p.region, tier: p.tier, quota: p.tier ? quotas.get(p.tier) ?? 0 : 0, currentCustomers: counts.get(p.id) ?? 0, lastScore: last?.scoreY ?? null });
    }
    return out;
  }

  async candidatesFor(itemId: number) {
    const { item, handover } = await this.loadItem(itemId);
    const c = await this.customers.getById(item.customerId);
    return rankCandidates(await this.candidatePool(handover.partnerId), c.region, handover.partnerId, await this.regionNames());
  }

  /**
   * Hands the customer over: closes the exiting partner's assignment and opens the receiver's on the same day
   * (customers' reassign), moves open duty items, and records the receiver — all in one transaction.
   */
  async assignReceiver(actor: Actor, itemId: number, to: { partnerId?: number; managerUserId?: number }, effectiveOn: string, reason: string, overrideReason?: string | null): Promise<HandoverItem> {
    if (!!to.partnerId === !!to.managerUserId) throw new RuleViolation('exit:errors.chooseReceiver', 'partnerId');
    if (!isValidIsoDate(effectiveOn)) throw new RuleViolation('exit:errors.badHandoverDate', 'effectiveOn');
    const why = (reason ?? '').trim() || '合作伙伴退出，客户移交';
    const regionNames = await this.regionNames();
    return this.db.transaction(async (m) => {
      const { item, handover } = await this.loadItem(itemId, m, true);
      if (handover.status !== 'open') throw new RuleViolation('exit:errors.handoverCompleted');
      if (item.receivingPartnerId || item.receivingManagerUserId) throw new RuleViolation('exit:errors.alreadyHandedOver');
      const customer = await this.customers.getById(item.customerId, m);
      if (to.partnerId) {
        const cand = (await this.candidatePool(handover.partnerId, m)).find((c) => c.partnerId === to.partnerId);
        const p = cand ? null : await this.partners.findById(to.partnerId, m);
        const refusal = cand ? receiverRefusal(cand, customer.region, handover.partnerId, regionNames)
          : p ? (p.id === handover.partnerId ? { message: 'exit:refusal.ownCustomers' } : { message: 'exit:refusal.notActive', params: { code: p.code, status: `exit:partnerStatus.${p.status}` } }) : { message: 'exit:refusal.noSuchPartner' };
        // a full quota or another region may be overridden by a manager with a reason (customers' reassign checks and stores it)
        const overridable = refusal && OVERRIDABLE.has(refusal.message) && !!overrideReason?.trim();
        if (refusal && !overridable) throw new RuleViolation(refusal.message, 'partnerId', { ...(refusal.params ?? {}), customer: customer.code });
      }
      await this.customers.reassign(actor, customer.id, to, effectiveOn, `${why}（退出移交 #${handover.id}）`, m, { overrideReason });
      await this.collaborators.moveOpenItems(actor, customer.id, to.partnerId ?? null, effectiveOn, m);
      await m.getRepository(HandoverItem).update({ id: item.id }, { receivingPartnerId: to.partnerId ?? null, receivingManagerUserId: to.managerUserId ?? null, effectiveOn, updatedAt: new Date() });
      await this.notify.handoverAssigned(item.id, m);
      await this.audit.record(actor, { action: 'handover.assign', entityType: 'handover_item', entityId: item.id, partnerId: handover.partnerId, after: { customerId: customer.id, ...to, effectiveOn }, reason: why }, m);
      return this.refreshDone(m, item.id);
    });
  }

  /**
   * Ticks checklist items. Staff may set all; the exiting partner's users the three "transferred" items of their
   * own handover; the receiving partner's users only their acknowledgement.
   */
  async updateChecklist(actor: Actor, itemId: number, patch: ChecklistPatch): Promise<HandoverItem> {
    return this.db.transaction(async (m) => {
      const { item, handover } = await this.loadItem(itemId, m, true);
      // "not yours" answers exactly like "not there", before anything about the item's state is told
      const allowed = this.allowedFields(actor, item, handover);
      if (!allowed) throw new NotFoundException('exit:errors.itemNotFound');
      if (handover.status !== 'open') throw new RuleViolation('exit:errors.handoverCompleted');
      const given = Object.entries(patch).filter(([, v]) => v !== undefined);
      const refused = given.filter(([k]) => !allowed.includes(k as keyof ChecklistPatch)).map(([k]) => k);
      if (refused.length) throw new ForbiddenException({ message: 'exit:errors.mayNotChange', params: { items: refused.map((k) => `exit:checklist.${k}`) } });
      const next = { ...item, ...Object.fromEntries(given), customerInformedOn: patch.customerInformedOn === undefined ? item.customerInformedOn : patch.customerInformedOn || null } as HandoverItem;
      assertChecklistUpdate(next, todayIso());
      const changes = { documentsTransferred: next.documentsTransferred, openRecordsTransferred: next.openRecordsTransferred, arrearsListTransferred: next.arrearsListTransferred, customerInformedOn: next.customerInformedOn, receiverAcknowledged: next.receiverAcknowledged };
      await m.getRepository(HandoverItem).update({ id: item.id }, { ...changes, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'handover.checklist', entityType: 'handover_item', entityId: item.id, partnerId: handover.partnerId, before: pick(item), after: changes }, m);
      return this.refreshDone(m, item.id);
    });
  }

  private allowedFields(actor: Actor, item: HandoverItem, h: Handover): (keyof ChecklistPatch)[] | null {
    if (actor.role === 'admin' || actor.role === 'channel_manager') return ['documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred', 'customerInformedOn', 'receiverAcknowledged'];
    if (actor.role !== 'partner') return null;
    if (actor.partnerId === h.partnerId) return ['documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred'];
    if (item.receivingPartnerId !== null && actor.partnerId === item.receivingPartnerId) return ['receiverAcknowledged'];
    return null;
  }

  /** Items handed to the actor's partner, for the receiver's acknowledgement page. */
  async incomingFor(partnerId: number): Promise<(HandoverItem & { customerCode: string; customerName: string; fromPartner: string; openItems: ChecklistItem[] })[]> {
    const ids: { id: number }[] = await this.db.query(
      `SELECT i.id FROM handover_item i JOIN handover h ON h.id = i.handover_id WHERE i.receiving_partner_id = $1 AND h.status = 'open' ORDER BY i.id`, [partnerId]);
    const rows = ids.length ? await this.db.getRepository(HandoverItem).find({ where: { id: In(ids.map((r) => r.id)) }, order: { id: 'ASC' } }) : [];
    const out = [];
    for (const i of rows) {
      const h = await this.db.getRepository(Handover).findOneOrFail({ where: { id: i.handoverId } });
      const from = await this.partners.findById(h.partnerId);
      const c = await this.customers.getById(i.customerId);
      out.push({ ...i, customerCode: c.code, customerName: c.name, fromPartner: from ? `${from.code} ${from.name}` : '', openItems: openChecklistItems(i) });
    }
    return out;
  }

  async loadItem(itemId: number, manager?: EntityManager, lock = false): Promise<{ item: HandoverItem; handover: Handover }> {
    const m = manager ?? this.db.manager;
    const item = await m.getRepository(HandoverItem).findOne({ where: { id: itemId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!item) throw new NotFoundException('exit:errors.itemNotFound');
    const handover = await m.getRepository(Handover).findOneOrFail({ where: { id: item.handoverId } });
    return { item, handover };
  }

  private async refreshDone(m: EntityManager, id: number): Promise<HandoverItem> {
    const item = await m.getRepository(HandoverItem).findOneOrFail({ where: { id } });
    const complete = openChecklistItems(item).length === 0;
    if (complete !== !!item.doneAt) await m.getRepository(HandoverItem).update({ id }, { doneAt: complete ? new Date() : null });
    return m.getRepository(HandoverItem).findOneOrFail({ where: { id } });
  }
}

function pick(i: HandoverItem) {
  return { documentsTransferred: i.documentsTransferred, openRecordsTransferred: i.openRecordsTransferred, arrearsListTransferred: i.arrearsListTransferred, customerInformedOn: i.customerInformedOn, receiverAcknowledged: i.receiverAcknowledged };
}
