import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { UsersService } from '../../core/auth/users.service';
import { PartnerListFilter, partnerFilterSql, partnerPageSql, toPage } from './partner-list.util';
import { maskAccount, Partner } from './partner.entity';
import { PartnersService } from './partners.service';

export interface PartnerListRow {
  id: number; code: string; name: string; creditCode: string; region: string; cooperationType: string;
  tier: string | null; status: string; certificationId: string | null;
}

export interface TimelineEntry { at: Date; kind: 'status' | 'tier' | 'audit'; label: string; by: string | null; reason: string | null }

/** Read side of the partner register: the list with filters, the detail view (bank data masked) and its timeline. */
@Injectable()
export class PartnerDirectoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  /** One page (keyset on code) plus the number of matches; every filter is an indexed condition. */
  async list(filter: PartnerListFilter): Promise<{ items: PartnerListRow[]; total: number; nextAfter: string | null; prevBefore: string | null }> {
    const cols = `p.id, p.code, p.name, p.credit_code AS "creditCode", p.region, p.cooperation_type AS "cooperationType", p.tier, p.status, p.certification_id AS "certificationId"`;
    const page = partnerPageSql(filter, cols);
    const count = partnerFilterSql(filter);
    const [rows, [{ n }]] = await Promise.all([
      this.db.query(page.sql, page.params) as Promise<PartnerListRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM partner p WHERE ${count.where}`, count.params) as Promise<{ n: number }[]>,
    ]);
    return { ...toPage(rows, filter), total: n };
  }

  async regions(): Promise<string[]> {
    const rows: { region: string }[] = await this.db.query(`SELECT DISTINCT region FROM partner WHERE region <> '' ORDER BY region`);
    return rows.map((r) => r.region);
  }

  /** The partner as the actor may see it: 404 for another partner's user; the full bank account only for finance. */
  async detail(actor: Actor, partnerId: number): Promise<Partner & { bankAccountShown: string; bankAccountMasked: boolean }> {
    this.partners.assertCanSee(actor, partnerId);
    const p = await this.partners.getById(partnerId);
    const full = actor.role === 'finance';
    const shown = full ? p.bankAccountNo : maskAccount(p.bankAccountNo);
    return { ...p, bankAccountNo: shown, bankAccountShown: shown, bankAccountMasked: !full };
  }

  /** Status changes, tier changes and audit entries in one list, newest first. */
  async timeline(actor: Actor, partnerId: number): Promise<TimelineEntry[]> {
    this.partners.assertCanSee(actor, partnerId);
    const [statuses, tiers, audits] = await Promise.all([
      this.partners.statusHistory(partnerId), this.partners.tierHistory(partnerId), this.audit.forPartner(partnerId, 200),
    ]);
    const names = await this.userNames([...statuses.map((s) => s.actorUserId), ...tiers.map((c) => c.actorUserId)]);
    const entries: TimelineEntry[] = [
      ...statuses.map((s) => ({ at: s.changedAt, kind: 'status' as const, label: `status ${s.fromStatus ?? '(new)'} → ${s.toStatus} (effective ${s.effectiveOn})`, by: s.actorUserId ? names.get(s.actorUserId) ?? `user ${s.actorUserId}` : 'system', reason: s.reason || null })),
      ...tiers.map((c) => ({ at: c.changedAt, kind: 'tier' as const, label: `tier ${c.fromTier ?? '–'} → ${c.toTier} (${c.source}${c.proposedTier && c.proposedTier !== c.toTier ? `, proposed ${c.proposedTier}` : ''})`, by: c.actorUserId ? names.get(c.actorUserId) ?? `user ${c.actorUserId}` : 'system', reason: c.reason || null })),
      // status and tier changes are already listed from their own history; the audit log adds everything else
      ...audits.filter((a) => !a.action.startsWith('partner.status.') && !a.action.startsWith('partner.tier.'))
        .map((a) => ({ at: a.at, kind: 'audit' as const, label: a.action, by: a.actorLabel, reason: a.reason })),
    ];
    return entries.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
  }

  async logins(partnerId: number) {
    return this.users.list({ partnerId });
  }

  private async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((i): i is number => !!i))];
    if (!wanted.length) return new Map();
    const rows: { id: number; username: string }[] = await this.db.query(`SELECT id, username FROM user_account WHERE id = ANY($1::int[])`, [wanted]);
    return new Map(rows.map((r) => [r.id, r.username]));
  }
}
