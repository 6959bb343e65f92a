import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { DutiesService } from './duties.service';
import { DutyViewsService } from './duty-views.service';

/** Home page panel: overdue-duty alerts (own partner's for partner users, all partners' for managers). */
@Injectable()
@DashboardSection(30)
export class DutiesDashboardSection implements DashboardContributor {
  constructor(private readonly views: DutyViewsService, private readonly duties: DutiesService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    const partnerId = actor.role === 'partner' ? actor.partnerId : null;
    if (actor.role === 'partner' && !partnerId) return null;
    const period = periodOfDate(todayIso()).code;
    const [count, alerts] = await Promise.all([this.views.openAlertCount(partnerId), this.views.alerts(partnerId, 5)]);
    const items: DashboardPanel['items'] = [];
    if (partnerId) {
      const c = await this.duties.completionFor(partnerId, period);
      items.push({ label: `Duties ${period} done`, value: c.required ? `${c.fulfilled} / ${c.required}` : 'none yet', href: '/my/duties', tone: c.required && c.fulfilled >= c.required ? 'ok' : undefined });
    }
    items.push({ label: 'Overdue duty alerts', value: count, href: partnerId ? '/my/duties' : '/duties', tone: count ? 'bad' : 'ok' });
    for (const a of alerts as { customerCode: string; dutyName: string; dueDate: string; partnerCode: string | null }[]) {
      items.push({ label: `${a.customerCode} · ${a.dutyName}${partnerId ? '' : ` · ${a.partnerCode ?? 'manager'}`}`, value: `due ${a.dueDate}`, tone: 'bad', href: partnerId ? '/my/duties' : '/duties' });
    }
    return { title: 'Duties and alerts', items };
  }
}
