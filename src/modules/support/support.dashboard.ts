import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { SupportService } from './support.service';

/** Home panel: open and overdue support requests (staff), or the partner's open ones and answers to rate. */
@Injectable()
@DashboardSection(45)
export class SupportDashboard implements DashboardContributor {
  constructor(private readonly support: SupportService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    const c = await this.support.counts(actor);
    const partner = actor.role === 'partner';
    return {
      title: 'support:dashboard.title',
      items: [
        { label: 'support:dashboard.open', value: c.open, href: partner ? '/my/support?status=open' : '/support?status=open' },
        { label: 'support:dashboard.overdue', value: c.overdue, href: partner ? '/my/support?status=open' : '/support?overdue=1', tone: c.overdue ? 'bad' : 'ok' },
        ...(partner ? [{ label: 'support:dashboard.toRate', value: c.toRate, href: '/my/support?status=answered', tone: c.toRate ? 'warn' as const : 'ok' as const }] : []),
      ],
    };
  }
}
