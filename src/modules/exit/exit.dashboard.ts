import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';

/** Home panel: open exit proposals for managers; handover work for an exiting or receiving partner. */
@Injectable()
@DashboardSection(70)
export class ExitDashboard implements DashboardContributor {
  constructor(private readonly exits: ExitService, private readonly handovers: HandoverService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'partner' && actor.partnerId) {
      const exiting = await this.exits.isReadOnlyPartner(actor.partnerId);
      const incoming = (await this.handovers.incomingFor(actor.partnerId)).filter((i) => !i.receiverAcknowledged);
      if (!exiting && !incoming.length) return null;
      return {
        title: 'Customer handover',
        items: [
          ...(exiting ? [{ label: 'Your partnership is ending: finish the customer handover', href: '/my/exit', tone: 'bad' as const }] : []),
          ...incoming.map((i) => ({ label: `Acknowledge customer ${i.customerCode} from ${i.fromPartner}`, href: '/my/exit', tone: 'warn' as const })),
        ],
      };
    }
    if (actor.role !== 'admin' && actor.role !== 'channel_manager') return null;
    const open = await this.exits.list({ status: 'proposed' });
    const running = await this.exits.list({ status: 'approved' });
    return {
      title: 'Exits',
      items: [
        ...open.slice(0, 5).map((p) => ({ label: `${p.partnerCode}: ${p.summary}`, href: `/exits/${p.id}`, tone: 'warn' as const })),
        ...running.map((p) => ({ label: `${p.partnerCode}: handover in progress`, href: `/exits/${p.id}/handover`, tone: 'bad' as const })),
      ],
      emptyText: 'No exit proposals to decide.',
    };
  }
}
