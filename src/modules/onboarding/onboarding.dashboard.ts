import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { partnerInOptionalScopeSql } from '../../core/auth/region-scope.util';
import { DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { PartnersService } from '../partners/partners.service';

/** Home panel: applications to review and tier proposals for staff; the partner's own status, tier and certificate for partners. */
@Injectable()
@DashboardSection(10)
export class OnboardingDashboard {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly partners: PartnersService, private readonly regionScope: RegionScopeService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'partner' && actor.partnerId) {
      const p = await this.partners.getById(actor.partnerId);
      const policy = p.tier ? await this.partners.tierPolicy(p.tier) : null;
      return {
        title: 'onboarding:dashboard.myOrganisation',
        items: [
          { label: `${p.code} ${p.name}`, href: `/partners/${p.id}` },
          { label: 'onboarding:dashboard.status', value: `partners:status.${p.status}`, tone: p.status === 'active' ? 'ok' : 'warn' },
          ...(policy ? [{ label: 'onboarding:dashboard.tierSupport', labelParams: { tier: p.tier }, value: 'onboarding:dashboard.tierSupportValue', valueParams: { quota: policy.customerQuota, hours: policy.supportResponseHours } }] : []),
          ...(p.certificationId ? [{ label: 'onboarding:dashboard.certificate', value: p.certificationId, href: `/partners/${p.id}/certificate` }] : []),
        ],
      };
    }
    if (actor.role !== 'admin' && actor.role !== 'channel_manager') return null;
    // a channel manager with regions counts the partners there (#17); $1 null = everywhere
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM partner WHERE status = 'applied' AND ($1::text[] IS NULL OR region = ANY($1::text[]))) AS applied,
              (SELECT count(*)::int FROM partner WHERE status = 'under_review' AND ($1::text[] IS NULL OR region = ANY($1::text[]))) AS reviewing,
              (SELECT count(*)::int FROM partner WHERE status = 'approved' AND ($1::text[] IS NULL OR region = ANY($1::text[]))) AS approved,
              (SELECT count(*)::int FROM tier_proposal t WHERE t.status = 'pending'
                  AND ${partnerInOptionalScopeSql('t.partner_id', '$1')}) AS proposals`,
      [await this.regionScope.forActor(actor)]);
    return {
      title: 'onboarding:dashboard.title',
      items: [
        { label: 'onboarding:dashboard.newApplications', value: row.applied, href: '/onboarding/applications?status=applied', tone: row.applied ? 'warn' : 'ok' },
        { label: 'onboarding:dashboard.underReview', value: row.reviewing, href: '/onboarding/applications?status=under_review' },
        { label: 'onboarding:dashboard.awaitingContract', value: row.approved, href: '/onboarding/applications?status=approved' },
        { label: 'onboarding:dashboard.pendingProposals', value: row.proposals, href: '/onboarding/tiers', tone: row.proposals ? 'warn' : 'ok' },
      ],
    };
  }
}
