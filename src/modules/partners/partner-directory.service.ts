import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../../core/auth/actor';
import { UsersService } from '../../core/auth/users.service';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { ListQuery } from '../../core/web/list-query';
import { PartnerListFilter, partnerFilterSql, partnerNumberedPageSql, partnerPageSql, toPage } from './partner-list.util';
import { mayReadBankAccount } from '../../core/privacy/bank-account.util';
import { maskAccount, Partner } from './partner.entity';
import { partnerMaySeeAuditAction } from './timeline-visibility.util';
import { PartnersService } from './partners.service';

export interface PartnerListRow {
  id: number; code: string; name: string; creditCode: string; region: string; cooperationType: string;
  tier: string | null; status: string; certificationId: string | null;
}

/** `label` is a catalogue key with `labelParams` (status and tier changes) or an audit action code; `by` a username or a key. */
export interface TimelineEntry { at: Date; kind: 'status' | 'tier' | 'audit'; label: string; labelParams?: Record<string, unknown>; by: string | null; reason: string | null }

const PARTNER_COLUMNS = `p.id, p.code, p.name, p.credit_code AS "creditCode", p.region, p.cooperation_type AS "cooperationType", p.tier, p.status, p.certification_id AS "certificationId"`;

/** Read side of the partner register: the list with filters, the detail view (bank data masked) and its timeline. */
@Injectable()
export class PartnerDirectoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly scope: RegionScopeService,
  ) {}

  /** One page (keyset on code) plus the number of matches; every filter is an indexed condition. */
  async list(filter: PartnerListFilter): Promise<{ items: PartnerListRow[]; total: number; nextAfter: string | null; prevBefore: string | null }> {
    const page = partnerPageSql(filter, PARTNER_COLUMNS);
    const count = partnerFilterSql(filter);
    const [rows, [{ n }]] = await Promise.all([
      this.db.query(page.sql, page.params) as Promise<PartnerListRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM partner p WHERE ${count.where}`, count.params) as Promise<{ n: number }[]>,
    ]);
    return { ...toPage(rows, filter), total: n };
  }

  /** A numbered page (the list page, sortable by column) plus the number of matches; `withTotal: false` skips the count (Excel export). */
  async page(filter: PartnerListFilter, list: Pick<ListQuery, 'orderBy' | 'size' | 'offset'>, opts: { withTotal?: boolean } = {}): Promise<{ rows: PartnerListRow[]; total: number }> {
    const page = partnerNumberedPageSql(filter, PARTNER_COLUMNS, list);
    const count = partnerFilterSql(filter);
    const [rows, n] = await Promise.all([
      this.db.query(page.sql, page.params) as Promise<PartnerListRow[]>,
      opts.withTotal === false ? Promise.resolve(-1)
        : (this.db.query(`SELECT count(*)::int AS n FROM partner p WHERE ${count.where}`, count.params) as Promise<{ n: number }[]>).then((r) => r[0].n),
    ]);
    return { rows, total: n };
  }

  /** The partner as the actor may see it: 404 for another partner's user; the full bank account only for finance and the partner itself. */
  async detail(actor: Actor, partnerId: number): Promise<Partner & { bankAccountShown: string; bankAccountMasked: boolean }> {
    this.partners.assertCanSee(actor, partnerId);
    await this.scope.assertPartner(actor, partnerId);
    const p = await this.partners.getById(partnerId);
    const full = mayReadBankAccount(actor, partnerId);
    const shown = full ? p.bankAccountNo : maskAccount(p.bankAccountNo);
    return { ...p, bankAccountNo: shown, bankAccountShown: shown, bankAccountMasked: !full };
  }

  /** Status changes, tier changes and audit entries in one list, newest first. */
  async timeline(actor: Actor, partnerId: number): Promise<TimelineEntry[]> {
    this.partners.assertCanSee(actor, partnerId);
    await this.scope.assertPartner(actor, partnerId);
    const [statuses, tiers, audits] = await Promise.all([
      this.partners.statusHistory(partnerId), this.partners.tierHistory(partnerId), this.audit.forPartner(partnerId, 200),
    ]);
    const names = await this.userNames([...statuses.map((s) => s.actorUserId), ...tiers.map((c) => c.actorUserId)]);
    const who = (id: number | null) => (id ? names.get(id) ?? `#${id}` : 'partners:timeline.system');
    const entries: TimelineEntry[] = [
      ...statuses.map((s) => ({
        at: s.changedAt, kind: 'status' as const, label: 'partners:timeline.status',
        labelParams: { from: s.fromStatus ? `partners:status.${s.fromStatus}` : 'partners:timeline.new', to: `partners:status.${s.toStatus}`, on: s.effectiveOn },
        by: who(s.actorUserId), reason: s.reason || null,
      })),
      ...tiers.map((c) => ({
        at: c.changedAt, kind: 'tier' as const, label: c.proposedTier && c.proposedTier !== c.toTier ? 'partners:timeline.tierProposed' : 'partners:timeline.tier',
        labelParams: { from: c.fromTier ?? '–', to: c.toTier, source: `partners:tierSource.${c.source}`, proposed: c.proposedTier ?? '' },
        by: who(c.actorUserId), reason: c.reason || null,
      })),
      // status and tier changes are already listed from their own history; the audit log adds everything else
      ...audits.filter((a) => !a.action.startsWith('partner.status.') && !a.action.startsWith('partner.tier.'))
        .filter((a) => actor.role !== 'partner' || partnerMaySeeAuditAction(a.action))
        .map((a) => ({ at: a.at, kind: 'audit' as const, label: a.action, by: a.actorLabel === SYSTEM_ACTOR.username ? 'partners:timeline.system' : a.actorLabel === 'applicant' ? 'common:actor.applicant' : a.actorLabel, reason: a.reason })),
    ];
    return entries.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
  }

  async logins(partnerId: number) {
    return this.users.listWithInvitation({ partnerId });
  }

  private async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((i): i is number => !!i))];
    if (!wanted.length) return new Map();
    const rows: { id: number; username: string }[] = await this.db.query(`SELECT id, username FROM user_account WHERE id = ANY($1::int[])`, [wanted]);
    return new Map(rows.map((r) => [r.id, r.username]));
  }
}
