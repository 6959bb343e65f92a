import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';

/** Home panel: open exit proposals for managers; handover work for an exiting or receiving partner. */
@Injectable()
@DashboardSection(70)
export class ExitDashboard implements DashboardContributor {
  constructor(private readonly exits: ExitService, private readonly handovers: HandoverService, private readonly regionScope: RegionScopeService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'partner' && actor.partnerId) {
      const exiting = await this.exits.isReadOnlyPartner(actor.partnerId);
      const incoming = (await this.handovers.incomingFor(actor.partnerId)).filter((i) => !i.receiverAcknowledged);
      if (!exiting && !incoming.length) return null;
      return {
        title: 'exit:dashboard.handoverTitle',
        items: [
          ...(exiting ? [{ label: 'exit:dashboard.ending', href: '/my/exit', tone: 'bad' as const }] : []),
          ...incoming.map((i) => ({ label: 'exit:dashboard.acknowledge', labelParams: { customer: i.customerCode, from: i.fromPartner }, href: '/my/exit', tone: 'warn' as const })),
        ],
      };
    }
    if (actor.role !== 'admin' && actor.role !== 'channel_manager') return null;
    const scope = await this.regionScope.forActor(actor); // a channel manager with regions: their partners' exits (#17)
    const open = await this.exits.list({ status: 'proposed', scope });
    const running = await this.exits.list({ status: 'approved', scope });
    return {
      title: 'exit:dashboard.title',
      items: [
        ...open.slice(0, 5).map((p) => ({ label: 'exit:dashboard.proposal', labelParams: { code: p.partnerCode, trigger: `exit:trigger.${p.trigger}` }, href: `/exits/${p.id}`, tone: 'warn' as const })),
        ...running.map((p) => ({ label: 'exit:dashboard.inProgress', labelParams: { code: p.partnerCode }, href: `/exits/${p.id}/handover`, tone: 'bad' as const })),
      ],
      emptyText: 'exit:dashboard.empty',
    };
  }
}
