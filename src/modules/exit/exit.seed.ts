import { Injectable } from '@nestjs/common';
import { todayIso } from '../../core/period/period.util';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { CustomersService } from '../customers/customers.service';
import { creditCodeCheckChar } from '../partners/credit-code.util';
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
    if (!partnerId) { ctx.log('exit: 违规模块未指定退出的合作伙伴，跳过'); return; }
    const managerId = ctx.bag['user:manager'] as number | undefined;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const today = todayIso();
    const [major] = (await m.query(`SELECT id FROM violation WHERE partner_id = $1 AND severity = 'major' AND status = 'recorded' ORDER BY id`, [partnerId])) as { id: number }[];

    const [proposal] = (await m.query(
      `INSERT INTO exit_proposal (partner_id, trigger, evidence, status, proposed_at, decided_by, decided_at, reason)
       VALUES ($1, 'major_violation', $2::jsonb, 'approved', now() - interval '30 days', $3, now() - interval '28 days', $4) RETURNING id`,
      [partnerId, JSON.stringify({ violationIds: major ? [major.id] : [] }), managerId ?? null, '经核实合作伙伴存在虚假办理业务行为，其申辩理由不成立，终止合作。'])) as { id: number }[];
    await this.partners.transition(actor, partnerId, 'exiting', { reason: `退出提议 #${proposal.id} 已批准（重大违规）` }, m);
    const handover = await this.handovers.createPlan(actor, proposal.id, partnerId, m);
    const items = await m.getRepository(HandoverItem).find({ where: { handoverId: handover.id }, order: { id: 'ASC' } });

    const pool = await this.handovers.candidatePool(partnerId, m);
    const regions = await this.handovers.regionNames(m);
    const load = new Map(pool.map((c) => [c.partnerId, c.currentCustomers]));
    const handOver = Math.ceil(items.length / 2);
    for (const [i, item] of items.slice(0, handOver).entries()) {
      const customer = await this.customers.getById(item.customerId, m);
      const receiver = pool.find((c) => receiverRefusal({ ...c, currentCustomers: load.get(c.partnerId) ?? 0 }, customer.region, partnerId, regions) === null);
      const to = receiver ? { partnerId: receiver.partnerId } : managerId ? { managerUserId: managerId } : null;
      if (!to) continue;
      await this.customers.reassign(actor, customer.id, to, today, `合作伙伴退出，客户移交（退出移交 #${handover.id}）`, m);
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
      await m.getRepository(ExitProposal).insert({ partnerId: other, trigger: 'voluntary', evidence: { note: '公司业务调整，今后专注个人零售市场，合同到期后不再续约。', requestedBy: ctx.bag[`partnerUser:${other}`] as number }, status: 'proposed', proposedBy: (ctx.bag[`partnerUser:${other}`] as number) ?? null });
    }
    const archived = await this.completedExit(ctx, actor, managerId ?? null);
    ctx.log(`exit: 合作伙伴 ${partnerId} 退出中，已移交 ${handOver}/${items.length} 个客户；${archived} 已于 2026-06-30 合同到期退出（归档）`);
  }

  /**
   * An exit finished last quarter, for the archive: a small partner whose contract ended on 2026-06-30, no customers
   * left and no accruals to settle. Written in the seed's transaction (the completion service reads outside it).
   */
  private async completedExit(ctx: DemoSeedContext, actor: DemoSeedContext['actor'], managerId: number | null): Promise<string> {
    const m = ctx.manager;
    const body = '91520200MA6D0010';
    const p = await this.partners.createPartner(actor, {
      code: 'LPS-P-00010', name: '六盘水宏达通信服务有限公司', creditCode: `${body}0${creditCodeCheckChar(`${body}0`)}`, region: '六盘水市', cooperationType: 'sales',
      contactName: '孙强', contactPhone: '0858-8231467', contactEmail: 'contact@lps-p-00010.example.cn', bankAccountName: '六盘水宏达通信服务有限公司', bankName: '中国建设银行六盘水分行',
      bankAccountNo: '6217002710000123456', tier: 'C', contractSignedOn: '2023-07-01',
    }, { status: 'active', reason: '存量合作伙伴导入', effectiveOn: '2023-07-01' }, m);
    await m.query(`UPDATE partner SET contract_end_on = '2026-06-30' WHERE id = $1`, [p.id]);
    const [proposal] = (await m.query(
      `INSERT INTO exit_proposal (partner_id, trigger, evidence, status, proposed_at, decided_by, decided_at, reason, exit_date, completed_by, completed_at)
       VALUES ($1, 'contract_end', $2::jsonb, 'completed', '2026-07-01 09:00+08', $3, '2026-07-02 10:30+08', $4, '2026-06-30', $3, '2026-07-15 16:00+08') RETURNING id`,
      [p.id, JSON.stringify({ contractEndOn: '2026-06-30' }), managerId, '合同期满，双方不再续约；名下无在服务客户。'])) as { id: number }[];
    await this.partners.transition(actor, p.id, 'exiting', { reason: `退出提议 #${proposal.id} 已批准（合同到期）`, effectiveOn: '2026-06-30' }, m);
    await this.partners.transition(actor, p.id, 'exited', { reason: `合作退出完成（退出提议 #${proposal.id}）`, effectiveOn: '2026-06-30' }, m);
    await m.query(`INSERT INTO handover (proposal_id, partner_id, status, created_at, completed_at) VALUES ($1, $2, 'completed', '2026-07-02 10:30+08', '2026-07-15 16:00+08')`, [proposal.id, p.id]);
    return p.code;
  }
}
