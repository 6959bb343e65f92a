import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { formatDateTime } from '../../core/i18n/format.util';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { ComplaintsService } from './complaints.service';

/** Home panel: a partner sees its unfinished orders and return visits due; staff see escalated (overdue) orders — the alert. */
@Injectable()
@DashboardSection(35)
export class ComplaintsDashboard implements DashboardContributor {
  constructor(private readonly complaints: ComplaintsService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    const list = { orderBy: 'o.due_at ASC NULLS LAST, o.id ASC', size: 8, offset: 0 };
    if (actor.role === 'partner') {
      const open = (await this.complaints.page(actor, {}, list)).rows.filter((o) => o.status === 'open' || o.status === 'in_progress' || o.status === 'resolved');
      return {
        title: 'complaints:dashboard.partnerTitle',
        items: open.map((o) => ({
          label: 'complaints:dashboard.item', labelParams: { id: o.id, customer: o.customerName, status: `complaints:status.${o.status}` },
          value: o.status === 'resolved' ? 'complaints:dashboard.visitBy' : 'complaints:dashboard.dueBy',
          valueParams: { at: formatDateTime(o.status === 'resolved' ? o.visitDueAt : o.dueAt) },
          href: `/my/complaints/${o.id}`, tone: o.overdue || o.visitOverdue ? 'bad' : 'warn',
        })),
        emptyText: 'complaints:dashboard.partnerEmpty',
      };
    }
    const escalated = (await this.complaints.page(actor, { escalated: true, overdue: true }, list)).rows;
    return {
      title: 'complaints:dashboard.staffTitle',
      items: escalated.map((o) => ({
        label: 'complaints:dashboard.staffItem', labelParams: { id: o.id, customer: o.customerName, holder: o.partnerCode ?? o.managerName ?? '' },
        value: 'complaints:dashboard.dueBy', valueParams: { at: formatDateTime(o.dueAt) }, href: `/complaints/${o.id}`, tone: 'bad',
      })),
      emptyText: 'complaints:dashboard.staffEmpty',
    };
  }
}
