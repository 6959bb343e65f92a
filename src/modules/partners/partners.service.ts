import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { RegionsService } from '../regions/regions.service';
import { formatCertificationId, formatPartnerCode, regionPrefix } from './partner-code.util';
import { CooperationType, Partner, Tier, TIERS } from './partner.entity';
import { PartnerStatusHistory } from './partner-status-history.entity';
import { assertPartnerTransition, PartnerStatus, TransitionFacts } from './partner-status.util';
import { PartnerTierChange, TierChangeSource, TierPolicy } from './tier-policy.entity';
import { emitWebhookEvent } from '../integrations/webhook-events';

/** Organisation data of a new partner (application, manager entry, import). */
export interface NewPartner {
  code?: string;
  name: string;
  creditCode: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  region: string;
  bankAccountName?: string;
  bankName?: string;
  bankAccountNo?: string;
  cooperationType: CooperationType;
  tier?: Tier | null;
  certificationId?: string | null;
  contractSignedOn?: string | null;
}

export interface TierPolicyView { tier: Tier; customerQuota: number; supportResponseHours: number }

/** The partner organisation. Other modules use this service, never the repository. */
@Injectable()
export class PartnersService {
  constructor(
    @InjectRepository(Partner) private readonly repo: Repository<Partner>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
  ) {}

  async findById(id: number, manager?: EntityManager): Promise<Partner | null> {
    return (manager?.getRepository(Partner) ?? this.repo).findOne({ where: { id } });
  }

  async getById(id: number, manager?: EntityManager): Promise<Partner> {
    const p = await this.findById(id, manager);
    if (!p) throw new NotFoundException({ message: 'partners:errors.notFoundId', params: { id } });
    return p;
  }

  async findByCode(code: string, manager?: EntityManager): Promise<Partner | null> {
    return (manager?.getRepository(Partner) ?? this.repo).findOne({ where: { code: (code ?? '').trim() } });
  }

  /** code -> partner for the codes that exist (for imports). */
  async findByCodes(codes: string[], manager?: EntityManager): Promise<Map<string, Partner>> {
    const unique = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
    const found: Partner[] = [];
    for (let i = 0; i < unique.length; i += 5000) {
      found.push(...(await (manager?.getRepository(Partner) ?? this.repo).find({ where: { code: In(unique.slice(i, i + 5000)) } })));
    }
    return new Map(found.map((p) => [p.code, p]));
  }

  async findByIds(ids: number[], manager?: EntityManager): Promise<Map<number, Partner>> {
    if (!ids.length) return new Map();
    const found = await (manager?.getRepository(Partner) ?? this.repo).find({ where: { id: In([...new Set(ids)]) } });
    return new Map(found.map((p) => [p.id, p]));
  }

  async listByStatus(statuses: PartnerStatus[], manager?: EntityManager): Promise<Partner[]> {
    return (manager?.getRepository(Partner) ?? this.repo).find({ where: { status: In(statuses) }, order: { code: 'ASC' } });
  }

  /** A partner user may only touch their own organisation; staff may touch any. Throws 404 so ids are not probed. */
  assertCanSee(actor: Actor, partnerId: number): void {
    if (actor.role === 'partner' && actor.partnerId !== partnerId) throw new NotFoundException('partners:errors.notFound');
  }

  assertIsPartnerUser(actor: Actor): number {
    if (actor.role !== 'partner' || !actor.partnerId) throw new ForbiddenException('partners:errors.partnerUsersOnly');
    return actor.partnerId;
  }

  /**
   * Moves a partner through its status machine (pure rule in partner-status.util), writing the history row and
   * the audit entry in the same transaction. Uses the version column so two simultaneous changes cannot both win.
   */
  async transition(actor: Actor, partnerId: number, to: PartnerStatus, facts: TransitionFacts & { effectiveOn?: string } = {}, manager?: EntityManager): Promise<Partner> {
    const run = async (m: EntityManager) => {
      const p = await m.getRepository(Partner).findOne({ where: { id: partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!p) throw new NotFoundException({ message: 'partners:errors.notFoundId', params: { id: partnerId } });
      assertPartnerTransition(p.status, to, { contractSignedOn: facts.contractSignedOn ?? p.contractSignedOn, reason: facts.reason });
      const before = { status: p.status };
      await m.getRepository(Partner).update({ id: p.id }, { status: to, updatedAt: new Date(), version: p.version + 1 });
      await m.getRepository(PartnerStatusHistory).insert({
        partnerId: p.id, fromStatus: p.status, toStatus: to, effectiveOn: facts.effectiveOn ?? todayIso(),
        actorUserId: actor.id > 0 ? actor.id : null, reason: facts.reason ?? '',
      });
      await this.audit.record(actor, { action: `partner.status.${to}`, entityType: 'partner', entityId: p.id, partnerId: p.id, before, after: { status: to }, reason: facts.reason ?? null }, m);
      await emitWebhookEvent(m, 'partner.status_changed', { partnerCode: p.code, from: p.status, to, effectiveOn: facts.effectiveOn ?? todayIso() });
      return { ...p, status: to, version: p.version + 1 } as Partner;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async statusHistory(partnerId: number): Promise<PartnerStatusHistory[]> {
    return this.db.getRepository(PartnerStatusHistory).find({ where: { partnerId }, order: { changedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Whether each partner was in a working status (active, suspended, exiting) on a date, from the status history.
   * Used by imports ("partner not active on that date").
   */
  async workingOn(partnerIds: number[], isoDate: string, manager?: EntityManager): Promise<Set<number>> {
    if (!partnerIds.length) return new Set();
    const rows: { partner_id: number }[] = await (manager ?? this.db.manager).query(
      `SELECT DISTINCT ON (partner_id) partner_id, to_status
         FROM partner_status_history
        WHERE partner_id = ANY($1::int[]) AND effective_on <= $2::date
        ORDER BY partner_id, effective_on DESC, changed_at DESC, id DESC`, [partnerIds, isoDate]);
    return new Set((rows as { partner_id: number; to_status: string }[]).filter((r) => ['active', 'suspended', 'exiting'].includes(r.to_status)).map((r) => r.partner_id));
  }

  // ---- added by onboarding: creation, identifiers, tiers -------------------------------------------------

  /**
   * Creates a partner in its first status (applied for applications; active or suspended for imports) with its
   * status history row and an audit entry. Codes are generated from the region when not given.
   */
  async createPartner(actor: Actor, input: NewPartner, first: { status: PartnerStatus; reason: string; effectiveOn?: string; tierSource?: TierChangeSource }, manager: EntityManager): Promise<Partner> {
    const code = input.code ?? (await this.nextPartnerCode(input.region, manager));
    const repo = manager.getRepository(Partner);
    const saved = await repo.save(repo.create({
      code, name: input.name.trim(), creditCode: input.creditCode, contactName: input.contactName, contactPhone: input.contactPhone,
      contactEmail: input.contactEmail, region: input.region, bankAccountName: input.bankAccountName ?? '', bankName: input.bankName ?? '',
      bankAccountNo: input.bankAccountNo ?? '', cooperationType: input.cooperationType, tier: input.tier ?? null,
      certificationId: input.certificationId ?? null, status: first.status, contractSignedOn: input.contractSignedOn ?? null,
    }));
    await manager.getRepository(PartnerStatusHistory).insert({
      partnerId: saved.id, fromStatus: null, toStatus: first.status, effectiveOn: first.effectiveOn ?? todayIso(),
      actorUserId: actor.id > 0 ? actor.id : null, reason: first.reason,
    });
    if (saved.tier && first.tierSource) {
      await manager.getRepository(PartnerTierChange).insert({ partnerId: saved.id, fromTier: null, toTier: saved.tier, source: first.tierSource, reason: first.reason, actorUserId: actor.id > 0 ? actor.id : null });
    }
    await this.audit.record(actor, {
      action: 'partner.create', entityType: 'partner', entityId: saved.id, partnerId: saved.id, reason: first.reason,
      after: { code, name: saved.name, creditCode: saved.creditCode, status: first.status, tier: saved.tier, certificationId: saved.certificationId },
    }, manager);
    return saved;
  }

  /** Next free `<REGION>-P-00042` code; numbers already used by imported codes are skipped. */
  async nextPartnerCode(region: string, manager?: EntityManager): Promise<string> {
    const [{ n }] = await this.reserve('partner_code_seq', `SELECT coalesce(max(substring(code from '-P-(\\d+)$')::int), 0) FROM partner WHERE code ~ '^[A-Z]{2,4}-P-\\d+$'`, 1, manager);
    return formatPartnerCode(regionPrefix(await this.regionPrefixOf(region, manager)), n);
  }

  /**
   * The region list's prefix (a county takes its prefecture's), read in the caller's transaction: the same rule as
   * RegionsService.prefixOf, which reads through the pool and would wait for a connection inside a transaction.
   */
  private async regionPrefixOf(region: string, manager?: EntityManager): Promise<string | null> {
    if (!manager) return this.regions.prefixOf(region);
    const [row] = await manager.query(`SELECT coalesce(r.prefix, p.prefix) AS prefix FROM region r LEFT JOIN region p ON p.id = r.parent_id WHERE r.name = $1`, [region]);
    return row?.prefix ?? null;
  }

  /** Reserves `count` certification ids (`CERT-2026-000042`) in one go (imports need thousands). */
  async reserveCertificationIds(count: number, manager?: EntityManager, year = new Date().getFullYear()): Promise<string[]> {
    if (count < 1) return [];
    const [{ n }] = await this.reserve('certification_seq', `SELECT coalesce(max(substring(certification_id from '^CERT-\\d{4}-(\\d+)$')::int), 0) FROM partner WHERE certification_id LIKE 'CERT-%'`, count, manager);
    return Array.from({ length: count }, (_, i) => formatCertificationId(year, n + i));
  }

  /** First number of a block of `count` from a sequence, never below the highest number already in use. */
  private async reserve(sequence: string, maxUsedSql: string, count: number, manager?: EntityManager): Promise<{ n: number }[]> {
    const m = manager ?? this.db.manager;
    const [{ start }] = await m.query(`SELECT greatest(nextval('${sequence}'), (${maxUsedSql}) + 1)::int AS start`);
    await m.query(`SELECT setval('${sequence}', $1::bigint)`, [start + count - 1]);
    return [{ n: start }];
  }

  /** Issues the certification id on approval (or keeps the one the partner already has). */
  async issueCertification(actor: Actor, partnerId: number, manager: EntityManager): Promise<string> {
    const p = await this.getById(partnerId, manager);
    if (p.certificationId) return p.certificationId;
    const [id] = await this.reserveCertificationIds(1, manager);
    await manager.getRepository(Partner).update({ id: partnerId }, { certificationId: id, updatedAt: new Date() });
    await this.audit.record(actor, { action: 'partner.certification', entityType: 'partner', entityId: partnerId, partnerId, before: { certificationId: null }, after: { certificationId: id } }, manager);
    return id;
  }

  /** Sets the tier with a history row and an audit entry (approval, import, accepted or overridden proposal). */
  async setTier(actor: Actor, partnerId: number, tier: Tier, how: { source: TierChangeSource; reason: string; proposedTier?: Tier | null }, manager: EntityManager): Promise<void> {
    if (!TIERS.includes(tier)) throw new RuleViolation('partners:errors.tier', 'tier');
    const p = await this.getById(partnerId, manager);
    await manager.getRepository(Partner).update({ id: partnerId }, { tier, updatedAt: new Date() });
    await manager.getRepository(PartnerTierChange).insert({
      partnerId, fromTier: p.tier, toTier: tier, source: how.source, proposedTier: how.proposedTier ?? null, reason: how.reason, actorUserId: actor.id > 0 ? actor.id : null,
    });
    await this.audit.record(actor, { action: `partner.tier.${how.source}`, entityType: 'partner', entityId: partnerId, partnerId, before: { tier: p.tier }, after: { tier, proposedTier: how.proposedTier ?? null }, reason: how.reason }, manager);
  }

  async tierHistory(partnerId: number): Promise<PartnerTierChange[]> {
    return this.db.getRepository(PartnerTierChange).find({ where: { partnerId }, order: { changedAt: 'ASC', id: 'ASC' } });
  }

  /** Differentiated support of a tier: customer quota and support response time (configurable table). */
  async tierPolicy(tier: Tier, manager?: EntityManager): Promise<TierPolicyView> {
    const row = await (manager ?? this.db.manager).getRepository(TierPolicy).findOne({ where: { tier } });
    if (!row) throw new NotFoundException({ message: 'partners:errors.noPolicy', params: { tier } });
    return { tier: row.tier, customerQuota: row.customerQuota, supportResponseHours: row.supportResponseHours };
  }

  async tierPolicies(): Promise<TierPolicyView[]> {
    const rows = await this.db.getRepository(TierPolicy).find({ order: { tier: 'ASC' } });
    return rows.map((r) => ({ tier: r.tier, customerQuota: r.customerQuota, supportResponseHours: r.supportResponseHours }));
  }

  async updateTierPolicies(actor: Actor, rows: TierPolicyView[], manager: EntityManager): Promise<void> {
    for (const r of rows) {
      if (!TIERS.includes(r.tier)) throw new RuleViolation('partners:errors.tier', 'tier');
      if (!Number.isInteger(r.customerQuota) || r.customerQuota < 0) throw new RuleViolation('partners:errors.customerQuota', 'customerQuota', { tier: r.tier });
      if (!Number.isInteger(r.supportResponseHours) || r.supportResponseHours < 1) throw new RuleViolation('partners:errors.supportResponseHours', 'supportResponseHours', { tier: r.tier });
      const before = await this.tierPolicy(r.tier, manager);
      if (before.customerQuota === r.customerQuota && before.supportResponseHours === r.supportResponseHours) continue;
      await manager.getRepository(TierPolicy).update({ tier: r.tier }, { customerQuota: r.customerQuota, supportResponseHours: r.supportResponseHours, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'tier-policy.update', entityType: 'tier_policy', entityId: r.tier, before, after: r }, manager);
    }
  }

  /** Sets the contract signed date (needed before activation). */
  async setContractSignedOn(actor: Actor, partnerId: number, date: string, manager: EntityManager): Promise<void> {
    const p = await this.getById(partnerId, manager);
    await manager.getRepository(Partner).update({ id: partnerId }, { contractSignedOn: date, updatedAt: new Date() });
    await this.audit.record(actor, { action: 'partner.contract-signed', entityType: 'partner', entityId: partnerId, partnerId, before: { contractSignedOn: p.contractSignedOn }, after: { contractSignedOn: date } }, manager);
  }
}
