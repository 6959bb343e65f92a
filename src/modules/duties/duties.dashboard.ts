import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { DutiesService } from './duties.service';
import { DutyViewsService } from './duty-views.service';

/** Home page panel: overdue-duty alerts (own partner's for partner users, all partners' for managers). */
@Injectable()
@DashboardSection(30)
export class DutiesDashboardSection implements DashboardContributor {
  constructor(private readonly views: DutyViewsService, private readonly duties: DutiesService, private readonly regionScope: RegionScopeService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    const partnerId = actor.role === 'partner' ? actor.partnerId : null;
    if (actor.role === 'partner' && !partnerId) return null;
    const period = periodOfDate(todayIso()).code;
    // a channel manager with regions: the alerts of customers there (#17)
    const scope = partnerId ? null : await this.regionScope.forActor(actor);
    const [count, alerts] = await Promise.all([this.views.openAlertCount(partnerId, scope), this.views.alerts(partnerId, 5, scope)]);
    const items: DashboardPanel['items'] = [];
    if (partnerId) {
      const c = await this.duties.completionFor(partnerId, period);
      items.push({
        label: 'duties:dashboard.done', labelParams: { period },
        value: c.required ? 'duties:dashboard.doneValue' : 'duties:dashboard.noneYet', valueParams: { fulfilled: c.fulfilled, required: c.required },
        href: '/my/duties', tone: c.required && c.fulfilled >= c.required ? 'ok' : undefined,
      });
    }
    // a count of 0 must still show: the value is a key with the number as its param
    items.push({ label: 'duties:dashboard.alerts', value: 'duties:dashboard.count', valueParams: { count }, href: partnerId ? '/my/duties' : '/duties', tone: count ? 'bad' : 'ok' });
    for (const a of alerts as { customerCode: string; customerName: string; dutyCode: string; dueDate: string; partnerCode: string | null }[]) {
      items.push({
        label: partnerId ? 'duties:dashboard.alertItem' : 'duties:dashboard.alertItemPartner',
        labelParams: { customer: a.customerCode, duty: `duties:duty.${a.dutyCode}`, partner: a.partnerCode ?? 'glossary:channelManager' },
        value: 'duties:dashboard.due', valueParams: { date: a.dueDate }, tone: 'bad', href: partnerId ? '/my/duties' : '/duties',
      });
    }
    return { title: 'duties:dashboard.title', items };
  }
}
