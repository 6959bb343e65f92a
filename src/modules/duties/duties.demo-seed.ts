import { Injectable } from '@nestjs/common';
import { todayIso } from '../../core/period/period.util';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { addDays } from './date.util';
import { DutiesService } from './duties.service';

interface SeedItem { id: string; customer_id: number; partner_id: number; required_count: number; period: string; record_types: string[]; code: string; customer_class: string }

/** Checklists for 2026Q3 (locked, mostly done) and 2026Q4 (in progress), service records, complaints, overdue items and alerts. */
@Injectable()
@DemoSeed(30)
export class DutiesDemoSeed implements DemoSeeder {
  constructor(private readonly duties: DutiesService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const today = todayIso();
    let rnd = 20260925;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const period of ['2026Q3', '2026Q4']) await this.duties.generate(ctx.actor, period, m);
    const items: SeedItem[] = await m.query(
      `SELECT ci.id, ci.customer_id, ci.partner_id, ci.required_count, ci.period, t.record_types, t.code, c.customer_class
         FROM checklist_item ci JOIN duty_template t ON t.id = ci.duty_template_id JOIN customer c ON c.id = ci.customer_id
        WHERE ci.period IN ('2026Q3', '2026Q4') AND ci.partner_id IS NOT NULL ORDER BY ci.id`);
    let records = 0;
    for (const item of items) {
      const q3 = item.period === '2026Q3';
      // Q3: most duties done, some short (overdue); Q4: about half under way so far
      const share = q3 ? (next() < 0.8 ? 1 : 0.5) : next() < 0.5 ? 1 : next() < 0.5 ? 0.5 : 0;
      const count = Math.floor(item.required_count * share);
      for (let k = 0; k < count; k++) {
        const day = q3 ? addDays('2026-07-03', Math.floor(next() * 85)) : addDays('2026-10-02', Math.floor(next() * 50));
        if (day >= today) continue;
        const type = item.record_types[k % item.record_types.length];
        const occurred = `${day}T${String(9 + Math.floor(next() * 8)).padStart(2, '0')}:30:00+08:00`;
        const lagHours = next() < 0.85 ? 2 + Math.floor(next() * 40) : 80 + Math.floor(next() * 100);
        const complaint = type === 'complaint_handled';
        const limit = item.customer_class === 'A' ? 4 : item.customer_class === 'B' ? 8 : 24;
        const handlingHours = complaint ? (next() < 0.75 ? Math.max(1, Math.floor(limit / 2)) : limit + 3) : 0;
        await m.query(
          `INSERT INTO service_record (partner_id, customer_id, period, record_type, occurred_at, received_at, description, outcome, amount,
                                       attachment_names, complaint_sla_hours, complaint_on_time, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5::timestamptz, CASE WHEN $6 THEN $5::timestamptz - make_interval(hours => $7) END, $8, $9, $10,
                   $11, CASE WHEN $6 THEN $12::int END, CASE WHEN $6 THEN $7 <= $12 END, $5::timestamptz + make_interval(hours => $13), $14)`,
          [item.partner_id, item.customer_id, item.period, type, occurred, complaint, handlingHours, demoText(type), demoOutcome(type),
            type === 'arrears_collected' ? (1000 + Math.floor(next() * 9000)).toFixed(2) : null,
            next() < 0.3 ? [`IMG_${day.replace(/-/g, '')}.jpg`] : [], limit, lagHours, (ctx.bag[`partnerUser:${item.partner_id}`] as number | undefined) ?? null]);
        records++;
      }
    }
    await this.duties.recount('2026Q3', m);
    await this.duties.recount('2026Q4', m);
    await m.query(`INSERT INTO period_lock (period, reason) VALUES ('2026Q3', '季度考核已完成，停止补录') ON CONFLICT DO NOTHING`);
    const alerts = await this.duties.raiseOverdueAlerts(ctx.actor, today, m);
    ctx.log(`duties: ${items.length} checklist items, ${records} records, ${alerts.created} overdue alerts`);
  }
}

/** What the partner wrote about the work (Chinese, as partners write it). */
function demoText(type: string): string {
  const texts: Record<string, string> = {
    visit: '上门拜访客户信息化负责人，了解近期业务使用情况', promotion: '向客户宣传云总机和集团短信业务', sale: '签订专线带宽升级协议',
    business_handling: '办理集团成员物联网卡批量开通', records_update: '收集并核对客户更新后的营业执照及经办人资料',
    training: '为客户员工开展集团短信平台使用培训', consultation: '解答客户关于资费套餐的咨询', complaint_handled: '处理客户话费账单投诉，已向客户解释并核减',
    arrears_collected: '协助催缴上月欠费，客户已缴清', cross_sell: '在原合同基础上追加物联网卡业务', opportunity_reported: '上报客户视频监控建设需求',
    need_analysis: '与客户召开通信需求分析会', retention_attempt: '向客户介绍续约优惠方案，争取客户留网', win_back: '与客户采购部门会谈，争取恢复合作',
    customer_development: '发展一家新的 C 类集团客户',
  };
  return texts[type] ?? '客户服务工作';
}

/** The result the partner noted. */
function demoOutcome(type: string): string {
  const outcomes: Record<string, string> = {
    complaint_handled: '客户对处理结果满意', arrears_collected: '欠费已结清', sale: '协议已签订', retention_attempt: '客户同意续约一年',
    win_back: '客户同意重新评估合作', opportunity_reported: '已转交客户经理跟进',
  };
  return outcomes[type] ?? '已完成';
}
