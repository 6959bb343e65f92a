import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { Partner } from './partner.entity';
import { PartnerStatusHistory } from './partner-status-history.entity';
import { assertPartnerTransition, PartnerStatus, TransitionFacts } from './partner-status.util';

/** The partner organisation. Other modules use this service, never the repository. */
@Injectable()
export class PartnersService {
  constructor(
    @InjectRepository(Partner) private readonly repo: Repository<Partner>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async findById(id: number, manager?: EntityManager): Promise<Partner | null> {
    return (manager?.getRepository(Partner) ?? this.repo).findOne({ where: { id } });
  }

  async getById(id: number, manager?: EntityManager): Promise<Partner> {
    const p = await this.findById(id, manager);
    if (!p) throw new NotFoundException(`partner ${id} not found`);
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
    if (actor.role === 'partner' && actor.partnerId !== partnerId) throw new NotFoundException('partner not found');
  }

  assertIsPartnerUser(actor: Actor): number {
    if (actor.role !== 'partner' || !actor.partnerId) throw new ForbiddenException('This page is for partner users');
    return actor.partnerId;
  }

  /**
   * Moves a partner through its status machine (pure rule in partner-status.util), writing the history row and
   * the audit entry in the same transaction. Uses the version column so two simultaneous changes cannot both win.
   */
  async transition(actor: Actor, partnerId: number, to: PartnerStatus, facts: TransitionFacts & { effectiveOn?: string } = {}, manager?: EntityManager): Promise<Partner> {
    const run = async (m: EntityManager) => {
      const p = await m.getRepository(Partner).findOne({ where: { id: partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!p) throw new NotFoundException(`partner ${partnerId} not found`);
      assertPartnerTransition(p.status, to, { contractSignedOn: facts.contractSignedOn ?? p.contractSignedOn, reason: facts.reason });
      const before = { status: p.status };
      await m.getRepository(Partner).update({ id: p.id }, { status: to, updatedAt: new Date(), version: p.version + 1 });
      await m.getRepository(PartnerStatusHistory).insert({
        partnerId: p.id, fromStatus: p.status, toStatus: to, effectiveOn: facts.effectiveOn ?? todayIso(),
        actorUserId: actor.id > 0 ? actor.id : null, reason: facts.reason ?? '',
      });
      await this.audit.record(actor, { action: `partner.status.${to}`, entityType: 'partner', entityId: p.id, partnerId: p.id, before, after: { status: to }, reason: facts.reason ?? null }, m);
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
}
