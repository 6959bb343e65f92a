import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { VerificationService } from './verification.service';

/** Home panel (channel managers, admins): sampled service records still to verify, per quarter and partner. */
@Injectable()
@DashboardSection(38)
export class VerificationDashboard implements DashboardContributor {
  constructor(private readonly verification: VerificationService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role !== 'admin' && actor.role !== 'channel_manager') return null;
    const { total, rows } = await this.verification.pendingByPartner(actor);
    return {
      title: 'verification:dashboard.title', titleParams: { count: total },
      items: rows.map((r) => ({
        label: 'verification:dashboard.item', labelParams: { period: r.period, partner: `${r.partnerCode} ${r.partnerName}` },
        value: 'verification:dashboard.pending', valueParams: { count: r.pending },
        href: `/verification?period=${r.period}&partnerId=${r.partnerId}`, tone: 'warn',
      })),
      emptyText: 'verification:dashboard.empty',
    };
  }
}
