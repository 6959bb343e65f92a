import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RuleViolation } from '../web/errors';
import { Actor } from './actor';
import { inRegionScope, regionScope } from './region-scope.util';

/**
 * THE place for channel managers' region scope (#17). `forActor` answers null (everything) or the region names the
 * actor may see; the partner and customer modules filter their lists with it and check single objects through the
 * assert* methods, which answer 404 exactly like a missing object. Read per request, so an admin's change applies
 * to the manager's next request.
 */
@Injectable()
export class RegionScopeService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async forActor(actor: Actor, manager?: EntityManager): Promise<string[] | null> {
    if (actor.role !== 'channel_manager') return null;
    const m = manager ?? this.db.manager;
    const assigned: { region_id: number }[] = await m.query(`SELECT region_id FROM manager_region WHERE user_id = $1`, [actor.id]);
    if (!assigned.length) return null;
    const regions: { id: number; name: string; parentId: number | null }[] = await m.query(`SELECT id, name, parent_id AS "parentId" FROM region`);
    return regionScope(actor.role, assigned.map((a) => a.region_id), regions);
  }

  /** Whether the partner lies in the actor's regions (true for everyone unscoped; false for a missing partner when scoped). */
  async partnerInScope(actor: Actor, partnerId: number, manager?: EntityManager): Promise<boolean> {
    const scope = await this.forActor(actor, manager);
    if (scope === null) return true;
    const [p] = await (manager ?? this.db.manager).query(`SELECT region FROM partner WHERE id = $1`, [partnerId]);
    return !!p && inRegionScope(scope, p.region);
  }

  /** 404 (as if missing) when the partner lies outside the actor's regions. */
  async assertPartner(actor: Actor, partnerId: number, manager?: EntityManager): Promise<void> {
    if (!(await this.partnerInScope(actor, partnerId, manager))) throw new NotFoundException('partners:errors.notFound');
  }

  /** 404 (as if missing) when the customer lies outside the actor's regions. */
  async assertCustomer(actor: Actor, customerId: number, manager?: EntityManager): Promise<void> {
    const scope = await this.forActor(actor, manager);
    if (scope === null) return;
    const [c] = await (manager ?? this.db.manager).query(`SELECT region FROM customer WHERE id = $1`, [customerId]);
    if (!c || !inRegionScope(scope, c.region)) throw new NotFoundException('customers:errors.notFound');
  }

  /** A scoped manager cannot move a partner or customer into (or create one in) a region outside their own. */
  async assertRegionAllowed(actor: Actor, region: string, field = 'region', manager?: EntityManager): Promise<void> {
    const scope = await this.forActor(actor, manager);
    if (!inRegionScope(scope, region)) throw new RuleViolation('regions:scope.outside', field, { region, list: (scope ?? []).join('、') });
  }

  /**
   * The active channel managers in charge of an object in `region` (notifications): province-level managers always,
   * scoped ones when the region is theirs. A null region (unknown) reaches every active manager.
   */
  async managersCovering(regions: (string | null)[], manager?: EntityManager): Promise<number[][]> {
    const rows: { id: number; names: string[] | null }[] = await (manager ?? this.db.manager).query(
      `SELECT u.id, array_agg(r.name) FILTER (WHERE r.name IS NOT NULL) AS names
         FROM user_account u
         LEFT JOIN manager_region mr ON mr.user_id = u.id
         LEFT JOIN region r ON r.id = mr.region_id OR r.parent_id = mr.region_id
        WHERE u.role = 'channel_manager' AND u.active GROUP BY u.id ORDER BY u.id`);
    return regions.map((region) => rows.filter((u) => region === null || inRegionScope(u.names, region)).map((u) => u.id));
  }

  /** The regions assigned to each channel manager (for the admin users page): user id → assigned regions. */
  async assignments(): Promise<Map<number, { id: number; name: string }[]>> {
    const rows: { userId: number; id: number; name: string }[] = await this.db.query(
      `SELECT mr.user_id AS "userId", r.id, r.name FROM manager_region mr JOIN region r ON r.id = mr.region_id ORDER BY mr.user_id, r.sort_order, r.name`);
    const out = new Map<number, { id: number; name: string }[]>();
    for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), { id: r.id, name: r.name }]);
    return out;
  }

  /** Prefectures an admin can assign (active ones). */
  async prefectures(): Promise<{ id: number; name: string }[]> {
    return this.db.query(`SELECT id, name FROM region WHERE parent_id IS NULL AND active ORDER BY sort_order, name`);
  }

  /** Replaces a channel manager's regions (empty: province-level again), audited. Answers the assigned names. */
  async assign(actor: Actor, userId: number, regionIds: number[]): Promise<{ userId: number; regions: string[] }> {
    const ids = [...new Set((regionIds ?? []).map(Number))];
    if (ids.some((i) => !Number.isInteger(i) || i <= 0)) throw new RuleViolation('regions:scope.unknownRegion', 'regionIds');
    return this.db.transaction(async (m) => {
      const [user] = await m.query(`SELECT id, role FROM user_account WHERE id = $1 FOR UPDATE`, [userId]);
      if (!user) throw new NotFoundException('auth:errors.userNotFound');
      if (user.role !== 'channel_manager') throw new RuleViolation('regions:scope.managersOnly', 'regionIds');
      const found: { id: number; name: string }[] = ids.length ? await m.query(`SELECT id, name FROM region WHERE id = ANY($1::int[]) AND parent_id IS NULL`, [ids]) : [];
      if (found.length !== ids.length) throw new RuleViolation('regions:scope.unknownRegion', 'regionIds');
      const before: string[] = (await m.query(`SELECT r.name FROM manager_region mr JOIN region r ON r.id = mr.region_id WHERE mr.user_id = $1 ORDER BY r.name`, [userId])).map((r: { name: string }) => r.name);
      await m.query(`DELETE FROM manager_region WHERE user_id = $1`, [userId]);
      if (ids.length) await m.query(`INSERT INTO manager_region (user_id, region_id, assigned_by) SELECT $1, unnest($2::int[]), $3`, [userId, ids, actor.id > 0 ? actor.id : null]);
      const after = found.map((r) => r.name).sort();
      await this.audit.record(actor, { action: 'user.regions', entityType: 'user', entityId: userId, before: { regions: before }, after: { regions: after } }, m);
      return { userId, regions: after };
    });
  }
}
