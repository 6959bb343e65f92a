import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { ViolationsService } from './violations.service';

/** Home panel: a partner sees violations awaiting their response; staff see recent ones. */
@Injectable()
@DashboardSection(40)
export class ViolationsDashboard implements DashboardContributor {
  constructor(private readonly violations: ViolationsService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'finance') return null;
    if (actor.role === 'partner') {
      const open = (await this.violations.list(actor, { status: 'recorded' }, 50)).filter((v) => v.respondable);
      return {
        title: 'violations:dashboard.partnerTitle',
        items: open.map((v) => ({
          label: 'violations:dashboard.partnerItem', labelParams: { date: v.occurredOn, kind: v.kindNameRef, severity: `violations:severity.${v.severity}` },
          value: 'violations:dashboard.partnerValue', valueParams: { date: v.responseDueOn },
          href: `/my/violations/${v.id}`, tone: v.severity === 'major' ? 'bad' : 'warn',
        })),
        emptyText: 'violations:dashboard.partnerEmpty',
      };
    }
    const recent = await this.violations.list(actor, { status: 'recorded' }, 5);
    return {
      title: 'violations:dashboard.staffTitle',
      items: recent.map((v) => ({
        label: 'violations:dashboard.staffItem', labelParams: { partner: v.partnerCode, kind: v.kindNameRef },
        value: v.occurredOn, href: `/violations/${v.id}`, tone: v.severity === 'major' ? 'bad' : 'warn',
      })),
      emptyText: 'violations:dashboard.staffEmpty',
    };
  }
}
