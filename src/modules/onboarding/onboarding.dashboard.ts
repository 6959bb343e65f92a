import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { PartnersService } from '../partners/partners.service';

/** Home panel: applications to review and tier proposals for staff; the partner's own status, tier and certificate for partners. */
@Injectable()
@DashboardSection(10)
export class OnboardingDashboard {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly partners: PartnersService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'partner' && actor.partnerId) {
      const p = await this.partners.getById(actor.partnerId);
      const policy = p.tier ? await this.partners.tierPolicy(p.tier) : null;
      return {
        title: 'My organisation',
        items: [
          { label: `${p.code} ${p.name}`, href: `/partners/${p.id}` },
          { label: 'Status', value: p.status.replace('_', ' '), tone: p.status === 'active' ? 'ok' : 'warn' },
          ...(policy ? [{ label: `Tier ${p.tier}: customer quota / support response`, value: `${policy.customerQuota} / ${policy.supportResponseHours} h` }] : []),
          ...(p.certificationId ? [{ label: 'Certificate', value: p.certificationId, href: `/partners/${p.id}/certificate` }] : []),
        ],
      };
    }
    if (actor.role !== 'admin' && actor.role !== 'channel_manager') return null;
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM partner WHERE status = 'applied') AS applied,
              (SELECT count(*)::int FROM partner WHERE status = 'under_review') AS reviewing,
              (SELECT count(*)::int FROM partner WHERE status = 'approved') AS approved,
              (SELECT count(*)::int FROM tier_proposal WHERE status = 'pending') AS proposals`);
    return {
      title: 'Onboarding',
      items: [
        { label: 'New applications', value: row.applied, href: '/onboarding/applications?status=applied', tone: row.applied ? 'warn' : 'ok' },
        { label: 'Under review', value: row.reviewing, href: '/onboarding/applications?status=under_review' },
        { label: 'Approved, awaiting contract', value: row.approved, href: '/onboarding/applications?status=approved' },
        { label: 'Pending tier proposals', value: row.proposals, href: '/onboarding/tiers', tone: row.proposals ? 'warn' : 'ok' },
      ],
    };
  }
}
