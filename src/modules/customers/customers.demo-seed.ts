import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from './customer-rules.util';

/** Guizhou enterprise customers: name, industry, region (names from the region list). */
const CUSTOMERS: [string, string, string][] = [
  ['遵义茅台酒厂集团', '酒类制造', '遵义市'], ['六盘水钢铁公司', '冶金', '六盘水市'], ['黄果树旅游集团', '旅游', '安顺市'],
  ['贵阳大数据产业园', '信息技术', '贵阳市'], ['黔北煤业集团', '采矿', '遵义市'], ['安顺航空零部件公司', '制造业', '安顺市'],
  ['湄潭翠芽茶业公司', '农业', '遵义市'], ['盘州市能源投资公司', '能源', '六盘水市'], ['花溪区人民医院', '医疗卫生', '贵阳市'],
  ['贵州省交通物流集团', '物流', '贵阳市'], ['仁怀市包装材料厂', '制造业', '遵义市'], ['平坝区现代农业园', '农业', '安顺市'],
  ['水城区教育局', '政府机关', '六盘水市'], ['清镇市食品公司', '食品加工', '贵阳市'], ['赤水竹业有限公司', '林业', '遵义市'],
  ['开阳磷化工集团', '化工', '贵阳市'], ['镇宁县商贸中心', '零售', '安顺市'], ['钟山区城市建设投资公司', '建筑', '六盘水市'],
  ['息烽温泉度假区', '旅游', '贵阳市'], ['播州区中学联盟', '教育', '遵义市'],
];
const STAGE_MOVE_REASON = '季度客户分析会确认阶段变化';

/** ~40 customers spread over the active partners: every stage and class, a few handovers, stage changes and manager-held ones. */
@Injectable()
@DemoSeed(20)
export class CustomersDemoSeed implements DemoSeeder {
  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const partnerIds = (ctx.bag.activePartnerIds as number[] | undefined) ?? [];
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? null;
    const customerIds: number[] = [];
    const byPartner: Record<number, number[]> = {};
    for (let i = 0; i < 40; i++) {
      const stage = CUSTOMER_STAGES[i % 5];
      const cls = CUSTOMER_CLASSES[Math.floor(i / 5) % 3];
      const [{ id }] = await m.query(
        `INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [`GZ-${String(i + 1).padStart(4, '0')}`, `${CUSTOMERS[i % CUSTOMERS.length][0]}${i >= CUSTOMERS.length ? '分公司' : ''}`, CUSTOMERS[i % CUSTOMERS.length][1], CUSTOMERS[i % CUSTOMERS.length][2], cls, stage]);
      customerIds.push(id);
      // customers 5 and 6 move into their stage in May: the history shows where they came from
      const earlier = i === 6 ? 'development' : i === 7 ? 'maturity' : null;
      if (earlier) {
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, NULL, $2, '2026-01-01', 'customers:reason.imported')`, [id, earlier]);
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, $2, $3, '2026-05-10', $4)`, [id, earlier, stage, STAGE_MOVE_REASON]);
      } else {
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, NULL, $2, '2026-01-01', 'customers:reason.imported')`, [id, stage]);
      }
      if ((i === 38 || i === 39 || !partnerIds.length) && managerId) {
        await m.query(`INSERT INTO customer_assignment (customer_id, manager_user_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', '重点客户，由渠道经理直接维护')`, [id, managerId]);
        continue;
      }
      if (!partnerIds.length) continue;
      const partnerId = partnerIds[i % partnerIds.length];
      if (i % 10 === 3 && partnerIds.length > 1) {
        // handed over on 1 April: the first partner held it in Q1 only
        const first = partnerIds[(i + 1) % partnerIds.length];
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, valid_to, reason) VALUES ($1, $2, '2026-01-01', '2026-04-01', '年初首次分配')`, [id, first]);
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-04-01', '按服务区域调整承接合作伙伴')`, [id, partnerId]);
      } else {
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', '年初首次分配')`, [id, partnerId]);
      }
      (byPartner[partnerId] ??= []).push(id);
    }
    ctx.bag.customerIds = customerIds;
    ctx.bag.customersByPartner = byPartner;
    ctx.log(`customers: ${customerIds.length} customers over ${Object.keys(byPartner).length} partners`);
  }
}
