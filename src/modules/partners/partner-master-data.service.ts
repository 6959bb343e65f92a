import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { auditOf, diffFields, FieldChange } from '../../core/audit/field-diff.util';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { todayIso } from '../../core/period/period.util';
import { RegionsService } from '../regions/regions.service';
import { checkPartnerEdit, contractEndReached, PARTNER_EDITABLE_FIELDS, PartnerEdit, PartnerEditableField } from './master-data.util';
import { PartnerChange } from './partner-change.entity';
import { Partner } from './partner.entity';

export interface PartnerChangeView { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string | null; changedAt: Date; changedByName: string | null }

/** Roles that maintain partner master data (#17). */
export const PARTNER_EDITORS = ['admin', 'channel_manager'];

/**
 * Partner master data (#17): contact, address, region, cooperation type and contract dates, edited by a channel
 * manager or an admin. Every changed field becomes a history row and the edit one audit entry, in one transaction.
 */
@Injectable()
export class PartnerMasterDataService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly regions: RegionsService, private readonly jobs: JobQueue, private readonly scope: RegionScopeService) {}

  async update(actor: Actor, partnerId: number, edit: PartnerEdit, reason?: string | null): Promise<{ partner: Partner; changes: FieldChange[] }> {
    if (!PARTNER_EDITORS.includes(actor.role)) throw new ForbiddenException('partners:edit.errors.notAllowed');
    return this.db.transaction(async (m) => {
      const p = await m.getRepository(Partner).findOne({ where: { id: partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!p) throw new NotFoundException({ message: 'partners:errors.notFoundId', params: { id: partnerId } });
      await this.scope.assertPartner(actor, p.id, m);
      const stored = Object.fromEntries(PARTNER_EDITABLE_FIELDS.map((f) => [f, p[f] === '' ? null : (p[f] as string | null)])) as Record<PartnerEditableField, string | null>;
      const merged = checkPartnerEdit(stored, edit, p.status);
      // a typed spelling (Anshun, 安顺) becomes the list's name; anything else is refused with the list
      merged.region = await this.regions.resolve(merged.region!, 'region', m);
      // a scoped manager cannot move the partner out of their regions (it would vanish from their lists)
      if (merged.region !== stored.region) await this.scope.assertRegionAllowed(actor, merged.region, 'region', m);
      const changes = diffFields(PARTNER_EDITABLE_FIELDS, stored, merged);
      if (!changes.length) return { partner: p, changes };
      const set = Object.fromEntries(changes.map((c) => [c.field, c.field === 'address' ? c.newValue ?? '' : c.newValue]));
      await m.getRepository(Partner).update({ id: p.id }, { ...set, updatedAt: new Date(), version: p.version + 1 });
      const note = reason?.trim() || null;
      await m.getRepository(PartnerChange).insert(changes.map((c) => ({ partnerId: p.id, field: c.field, oldValue: c.oldValue, newValue: c.newValue, reason: note, changedBy: actor.id > 0 ? actor.id : null })));
      await this.audit.record(actor, { action: 'partner.update', entityType: 'partner', entityId: p.id, partnerId: p.id, ...auditOf(changes), reason: note }, m);
      // an end already reached raises the contract-end exit proposal now (durably, with this change), not at the next run
      if (contractEndReached(stored.contractEndOn, merged.contractEndOn, todayIso())) {
        await this.jobs.enqueue('exit.evaluate', { partnerIds: [p.id], cause: 'partner.contract_end' }, { manager: m });
      }
      return { partner: (await m.getRepository(Partner).findOneOrFail({ where: { id: p.id } })), changes };
    });
  }

  /** The history of master-data changes, newest first, with the names of who changed them. */
  async history(partnerId: number, manager?: EntityManager): Promise<PartnerChangeView[]> {
    return (manager ?? this.db.manager).query(
      `SELECT c.id::text, c.field, c.old_value AS "oldValue", c.new_value AS "newValue", c.reason, c.changed_at AS "changedAt",
              coalesce(nullif(u.display_name, ''), u.username) AS "changedByName"
         FROM partner_change c LEFT JOIN user_account u ON u.id = c.changed_by
        WHERE c.partner_id = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT 500`, [partnerId]);
  }
}
