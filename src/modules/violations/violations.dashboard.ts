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
        title: 'New violations',
        items: open.map((v) => ({ label: `${v.occurredOn} · ${v.kindName} (${v.severity})`, value: `respond by ${v.responseDueOn}`, href: `/my/violations/${v.id}`, tone: v.severity === 'major' ? 'bad' : 'warn' })),
        emptyText: 'No violation awaits your response.',
      };
    }
    const recent = await this.violations.list(actor, { status: 'recorded' }, 5);
    return {
      title: 'Recent violations',
      items: recent.map((v) => ({ label: `${v.partnerCode} · ${v.kindName}`, value: v.occurredOn, href: `/violations/${v.id}`, tone: v.severity === 'major' ? 'bad' : 'warn' })),
      emptyText: 'No violations recorded.',
    };
  }
}
