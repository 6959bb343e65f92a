import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { Violation, ViolationKind } from './violation.entity';
import { ViolationsService } from './violations.service';

/** Demo: a few violations, one of them major for the partner that the exit seeder puts mid-handover (bag.exitPartnerId). */
@Injectable()
@DemoSeed(40)
export class ViolationsDemoSeed implements DemoSeeder {
  constructor(private readonly violations: ViolationsService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const active = (ctx.bag.activePartnerIds as number[] | undefined) ?? [];
    if (active.length < 2) {
      ctx.log('violations: fewer than 2 active partners in the demo; skipped');
      return;
    }
    const m = ctx.manager;
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? 0;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const kinds = new Map((await m.getRepository(ViolationKind).find()).map((k) => [k.code, k.id]));
    const customersOf = (pid: number) => ((ctx.bag.customersByPartner as Record<number, number[]> | undefined)?.[pid] ?? []);
    const exitPartnerId = active[active.length - 1];
    const [first, second] = active;
    ctx.bag.exitPartnerId = exitPartnerId;

    // back-dates the recording so the response window of older violations is closed, as it would be in real life
    const backdate = async (v: Violation, recordedOn: string, dueOn: string, response?: string) => {
      await m.getRepository(Violation).update({ id: v.id }, {
        recordedAt: new Date(`${recordedOn}T10:00:00Z`), responseDueOn: dueOn,
        ...(response ? { partnerResponse: response, respondedAt: new Date(`${recordedOn}T16:00:00Z`), respondedBy: (ctx.bag[`partnerUser:${v.partnerId}`] as number) ?? null } : {}),
      });
    };

    const major = await this.violations.insert(actor, {
      partnerId: exitPartnerId, customerId: customersOf(exitPartnerId)[0] ?? null, occurredOn: '2026-10-15', kindId: kinds.get('false_business')!,
      description: 'Opened three group lines in the customer\'s name without a signed order form (虚假业务办理).', evidenceNames: 'order-form-missing.pdf, customer-statement.pdf',
    }, m);
    await backdate(major, '2026-10-18', '2026-10-25', 'The lines were requested by phone; we could not provide the signed form.');

    const minor = await this.violations.insert(actor, {
      partnerId: first, customerId: customersOf(first)[0] ?? null, occurredOn: '2026-08-20', kindId: kinds.get('missing_service')!,
      description: 'Quarterly on-site visit not made.', evidenceNames: 'visit-plan-q3.xlsx',
    }, m);
    await backdate(minor, '2026-08-25', '2026-09-01');

    const wrong = await this.violations.insert(actor, {
      partnerId: first, occurredOn: '2026-09-05', kindId: kinds.get('overcharging')!, description: 'Installation fee charged twice.', evidenceNames: 'invoice-0905.pdf',
    }, m);
    await backdate(wrong, '2026-09-08', '2026-09-15');
    await m.getRepository(Violation).update({ id: wrong.id }, { status: 'voided', voidReason: 'The second charge was made by another agent; recorded against the wrong partner.', voidedBy: managerId || null, voidedAt: new Date('2026-09-12T09:00:00Z') });

    await this.violations.insert(actor, {
      partnerId: second, customerId: customersOf(second)[0] ?? null, occurredOn: '2026-11-20', kindId: kinds.get('complaint_escalated')!,
      description: 'Customer complaint about a broken line escalated to the provincial hotline.', evidenceNames: 'ticket-20261120.txt',
    }, m); // recorded today: the partner sees it on the home page and may respond
    ctx.log(`violations: 4 recorded (major one for partner ${exitPartnerId})`);
  }
}
