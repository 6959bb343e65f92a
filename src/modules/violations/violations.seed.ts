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
      description: '未取得客户签字的业务受理单，即以客户名义办理了 3 条集团专线（虚假业务办理）。', evidenceNames: '业务受理单缺失说明.pdf, 客户情况说明.pdf',
    }, m);
    await backdate(major, '2026-10-18', '2026-10-25', '客户通过电话提出办理需求，我方未能提供签字的业务受理单。');

    const minor = await this.violations.insert(actor, {
      partnerId: first, customerId: customersOf(first)[0] ?? null, occurredOn: '2026-08-20', kindId: kinds.get('missing_service')!,
      description: '第三季度未按职责清单上门走访客户。', evidenceNames: '三季度走访计划.xlsx',
    }, m);
    await backdate(minor, '2026-08-25', '2026-09-01');

    const wrong = await this.violations.insert(actor, {
      partnerId: first, occurredOn: '2026-09-05', kindId: kinds.get('overcharging')!, description: '向客户重复收取安装费。', evidenceNames: '发票-0905.pdf',
    }, m);
    await backdate(wrong, '2026-09-08', '2026-09-15');
    await m.getRepository(Violation).update({ id: wrong.id }, { status: 'voided', voidReason: '第二笔费用系其他代理商收取，误登记到本合作伙伴名下。', voidedBy: managerId || null, voidedAt: new Date('2026-09-12T09:00:00Z') });

    await this.violations.insert(actor, {
      partnerId: second, customerId: customersOf(second)[0] ?? null, occurredOn: '2026-11-20', kindId: kinds.get('complaint_escalated')!,
      description: '客户专线故障投诉未及时处理，已升级至省公司客服热线。', evidenceNames: '投诉工单-20261120.txt',
    }, m); // recorded today: the partner sees it on the home page and may respond
    ctx.log(`violations: 4 recorded (major one for partner ${exitPartnerId})`);
  }
}
