import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { RetentionService } from './retention.service';

/** Home panel: open churn warnings (the retention tasks), soonest due first. */
@Injectable()
@DashboardSection(36)
export class RetentionDashboard implements DashboardContributor {
  constructor(private readonly retention: RetentionService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    const { rows, total } = await this.retention.page(actor, { status: 'open' }, { orderBy: 'w.due_on ASC, w.id ASC', size: 6, offset: 0 });
    const partner = actor.role === 'partner';
    return {
      title: 'retention:dashboard.title', titleParams: { count: total },
      items: rows.map((w) => ({
        label: 'retention:dashboard.item', labelParams: { customer: w.customerName, cause: `retention:cause.${w.cause}` },
        value: 'retention:dashboard.dueOn', valueParams: { date: w.dueOn },
        href: partner ? `/my/retention/${w.id}` : `/retention/${w.id}`, tone: w.overdue ? 'bad' : 'warn',
      })),
      emptyText: 'retention:dashboard.empty',
    };
  }
}
