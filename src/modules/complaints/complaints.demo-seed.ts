import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { visitDueAt } from './complaint-rules.util';
import { ComplaintsService } from './complaints.service';

const H = 3_600_000;

/**
 * Demo work orders for the first two active partners, in every state: open, in progress and overdue (escalated by the
 * same code the scheduled job runs, which also raises a churn warning), resolved with a return visit due, visited and
 * closed, and a customer with two 不满意 visits (reopened, churn warning).
 */
@Injectable()
@DemoSeed(45)
export class ComplaintsDemoSeed implements DemoSeeder {
  constructor(private readonly complaints: ComplaintsService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const active = (ctx.bag.activePartnerIds as number[] | undefined) ?? [];
    const byPartner = (ctx.bag.customersByPartner as Record<number, number[]> | undefined) ?? {};
    const [a, b] = active.filter((p) => (byPartner[p] ?? []).length >= 2);
    if (!a || !b) { ctx.log('complaints: 没有足够的合作伙伴客户，未生成工单演示数据'); return; }
    const m = ctx.manager;
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? 0;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const now = new Date();
    const open = (customerId: number, kind: string, category: string, description: string, hoursAgo: number) =>
      this.complaints.insert(actor, { customerId, kind, category, description, receivedAt: local(new Date(now.getTime() - hoursAgo * H)) }, 'manager', m, now);
    const [a1, a2] = byPartner[a];
    const [b1, b2] = byPartner[b];

    await open(a1, 'fault', 'network', '客户反映集团专线中断，办公区无法上网。', 1);
    const late = await open(a2, 'complaint', 'billing', '客户投诉 10 月账单多收集团短信功能费。', 30);
    await step(m, late, 'start', 'open', 'in_progress', { started_at: new Date(now.getTime() - 28 * H) });
    const resolved = await open(a1, 'complaint', 'service', '客户投诉上门装机人员未按约定时间到达。', 40);
    await this.resolve(m, resolved, new Date(now.getTime() - 38 * H), '装机排期未同步给客户', '改为装机前一天电话确认上门时间');
    const closed = await open(a2, 'fault', 'network', '客户反映视频会议卡顿。', 24 * 6);
    await this.resolve(m, closed, new Date(now.getTime() - (24 * 6 - 2) * H), '出口带宽不足', '带宽扩容至 200M，并调整 QoS');
    await this.visit(m, closed, 'resolved', 'visited', 'satisfied', '客户确认会议已恢复流畅', new Date(now.getTime() - 24 * 4 * H));
    await step(m, closed, 'close', 'visited', 'closed', { closed_at: new Date(now.getTime() - 24 * 4 * H) });
    const fair = await open(b1, 'complaint', 'business', '客户对集团彩铃变更办理进度不满意。', 24 * 3); // resolved a day later: late
    await this.resolve(m, fair, new Date(now.getTime() - 24 * 2 * H), '资料审核退回未告知客户', '建立办理进度短信提醒');
    await this.visit(m, fair, 'resolved', 'visited', 'fairly_satisfied', '客户基本认可，希望缩短办理时间', new Date(now.getTime() - 24 * H));
    // the same customer dissatisfied twice: the order is reopened and the customer is at risk
    const twice = await open(b2, 'complaint', 'network', '客户投诉园区 4G 信号弱，多次反映未解决。', 24 * 8);
    for (const daysAgo of [6, 3]) {
      // the first fix within the time limit (on time), the second after the reopening
      await this.resolve(m, twice, new Date(now.getTime() - (daysAgo === 6 ? 24 * 8 - 2 : 24 * 4) * H), '园区室分设备故障', '更换室分设备');
      await this.visit(m, twice, 'resolved', 'in_progress', 'dissatisfied', '客户反映信号仍然不稳定', new Date(now.getTime() - daysAgo * 24 * H));
    }
    await m.query(`UPDATE complaint SET reopen_count = 2, satisfaction = 'dissatisfied' WHERE id = $1`, [twice]);
    const r = await this.complaints.escalateOverdue(actor, now, m);
    await this.complaints.raiseDissatisfied(actor, b2, twice, m);
    ctx.log(`complaints: 6 work orders (${r.escalated} escalated)`);
  }

  private async resolve(m: EntityManager, id: number, at: Date, rootCause: string, action: string): Promise<void> {
    await m.query(`UPDATE complaint SET status = 'resolved', resolved_at = $2, first_resolved_at = COALESCE(first_resolved_at, $2), started_at = COALESCE(started_at, $2),
                     root_cause = $3, corrective_action = $4, visit_due_at = $5 WHERE id = $1`, [id, at, rootCause, action, visitDueAt(at, 3)]);
    await m.query(`INSERT INTO complaint_event (complaint_id, action, from_status, to_status, note, at) VALUES ($1, 'resolve', 'in_progress', 'resolved', $2, $3)`, [id, `${rootCause}\n${action}`, at]);
  }

  private async visit(m: EntityManager, id: number, from: string, to: string, satisfaction: string, note: string, at: Date): Promise<void> {
    await m.query(`UPDATE complaint SET status = $2, satisfaction = $3, visited_at = $4 WHERE id = $1`, [id, to, satisfaction, at]);
    if (to === 'in_progress') await m.query(`UPDATE complaint SET resolved_at = NULL, visit_due_at = NULL WHERE id = $1`, [id]);
    await m.query(`INSERT INTO complaint_event (complaint_id, action, from_status, to_status, satisfaction, note, at) VALUES ($1, 'visit', $2, $3, $4, $5, $6)`, [id, from, to, satisfaction, note, at]);
  }
}

async function step(m: EntityManager, id: number, action: string, from: string, to: string, set: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(set);
  await m.query(`UPDATE complaint SET status = $2, ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE id = $1`, [id, to, ...cols.map((c) => set[c])]);
  await m.query(`INSERT INTO complaint_event (complaint_id, action, from_status, to_status, at) VALUES ($1, $2, $3, $4, $5)`, [id, action, from, to, set[cols[0]] ?? new Date()]);
}

/** Local wall time to the minute (the form's format). */
function local(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}:${p(at.getMinutes())}`;
}
