import { Injectable } from '@nestjs/common';
import { todayIso } from '../../core/period/period.util';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { CustomersService } from '../customers/customers.service';
import { PartnersService } from '../partners/partners.service';
import { ExitProposal, HandoverItem } from './exit.entities';
import { HandoverService } from './handover.service';
import { receiverRefusal } from './handover.util';

/**
 * Demo: the partner with the major violation (bag.exitPartnerId, from the violations seeder) is mid-handover —
 * exit approved, some customers handed over with a finished checklist, one handed over with open items, the rest
 * still waiting for a receiver. Another partner has an open voluntary-exit request to decide.
 */
@Injectable()
@DemoSeed(70)
export class ExitDemoSeed implements DemoSeeder {
  constructor(
    private readonly partners: PartnersService, private readonly customers: CustomersService,
    private readonly handovers: HandoverService,
  ) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const partnerId = ctx.bag.exitPartnerId as number | undefined;
    if (!partnerId) { ctx.log('exit: no partner chosen by the violations seeder; skipped'); return; }
    const managerId = ctx.bag['user:manager'] as number | undefined;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const today = todayIso();
    const [major] = (await m.query(`SELECT id FROM violation WHERE partner_id = $1 AND severity = 'major' AND status = 'recorded' ORDER BY id`, [partnerId])) as { id: number }[];

    const [proposal] = (await m.query(
      `INSERT INTO exit_proposal (partner_id, trigger, evidence, status, proposed_at, decided_by, decided_at, reason)
       VALUES ($1, 'major_violation', $2::jsonb, 'approved', now() - interval '30 days', $3, now() - interval '28 days', $4) RETURNING id`,
      [partnerId, JSON.stringify({ violationIds: major ? [major.id] : [] }), managerId ?? null, 'False business handling confirmed after the partner\'s response; partnership ends.'])) as { id: number }[];
    await this.partners.transition(actor, partnerId, 'exiting', { reason: `Exit proposal #${proposal.id} approved (major violation)` }, m);
    const handover = await this.handovers.createPlan(actor, proposal.id, partnerId, m);
    const items = await m.getRepository(HandoverItem).find({ where: { handoverId: handover.id }, order: { id: 'ASC' } });

    const pool = await this.handovers.candidatePool(partnerId, m);
    const load = new Map(pool.map((c) => [c.partnerId, c.currentCustomers]));
    const handOver = Math.ceil(items.length / 2);
    for (const [i, item] of items.slice(0, handOver).entries()) {
      const customer = await this.customers.getById(item.customerId, m);
      const receiver = pool.find((c) => receiverRefusal({ ...c, currentCustomers: load.get(c.partnerId) ?? 0 }, customer.region, partnerId) === null);
      const to = receiver ? { partnerId: receiver.partnerId } : managerId ? { managerUserId: managerId } : null;
      if (!to) continue;
      await this.customers.reassign(actor, customer.id, to, today, `partner exit handover #${handover.id}`, m);
      if (receiver) load.set(receiver.partnerId, (load.get(receiver.partnerId) ?? 0) + 1);
      const finished = i < handOver - 1 || handOver === 1;
      await m.getRepository(HandoverItem).update({ id: item.id }, {
        receivingPartnerId: to.partnerId ?? null, receivingManagerUserId: to.managerUserId ?? null, effectiveOn: today,
        documentsTransferred: true, openRecordsTransferred: true, arrearsListTransferred: finished, customerInformedOn: today,
        receiverAcknowledged: finished, doneAt: finished ? new Date() : null,
      });
    }

    const other = ((ctx.bag.activePartnerIds as number[] | undefined) ?? []).find((id) => id !== partnerId);
    if (other) {
      await m.getRepository(ExitProposal).insert({ partnerId: other, trigger: 'voluntary', evidence: { note: 'We are refocusing on consumer retail and will not renew.', requestedBy: ctx.bag[`partnerUser:${other}`] as number }, status: 'proposed', proposedBy: (ctx.bag[`partnerUser:${other}`] as number) ?? null });
    }
    ctx.log(`exit: partner ${partnerId} exiting, ${handOver}/${items.length} customers handed over`);
  }
}
