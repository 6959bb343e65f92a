import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from './customer-rules.util';

const NAMES = ['Qianbei Coal', 'Zunyi Tea Group', 'Anshun Aviation Parts', 'Huangguoshu Tourism', 'Guiyang Big Data Park', 'Liupanshui Steel',
  'Kaili Textiles', 'Duyun Maojian Tea', 'Tongren Pharma', 'Bijie Logistics', 'Xingyi Energy', 'Guizhou Liquor Trading', 'Qiannan Schools Union',
  'Huaxi Hospital Group', 'Qingzhen Foods', 'Renhuai Packaging', 'Chishui Bamboo', 'Kaiyang Phosphate', 'Pingba Farms', 'Xifeng Cement'];
const INDUSTRIES = ['mining', 'agriculture', 'manufacturing', 'tourism', 'government', 'healthcare', 'education', 'logistics', 'retail', 'energy'];
const REGIONS = ['Guiyang', 'Zunyi', 'Anshun', 'Liupanshui'];

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
        [`GZ-${String(i + 1).padStart(4, '0')}`, `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ' Branch' : ''}`, INDUSTRIES[i % INDUSTRIES.length], REGIONS[i % REGIONS.length], cls, stage]);
      customerIds.push(id);
      // customers 5 and 6 move into their stage in May: the history shows where they came from
      const earlier = i === 6 ? 'development' : i === 7 ? 'maturity' : null;
      if (earlier) {
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, NULL, $2, '2026-01-01', 'imported')`, [id, earlier]);
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, $2, $3, '2026-05-10', 'quarterly review')`, [id, earlier, stage]);
      } else {
        await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, NULL, $2, '2026-01-01', 'imported')`, [id, stage]);
      }
      if ((i === 38 || i === 39 || !partnerIds.length) && managerId) {
        await m.query(`INSERT INTO customer_assignment (customer_id, manager_user_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'key account kept in house')`, [id, managerId]);
        continue;
      }
      if (!partnerIds.length) continue;
      const partnerId = partnerIds[i % partnerIds.length];
      if (i % 10 === 3 && partnerIds.length > 1) {
        // handed over on 1 April: the first partner held it in Q1 only
        const first = partnerIds[(i + 1) % partnerIds.length];
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, valid_to, reason) VALUES ($1, $2, '2026-01-01', '2026-04-01', 'initial assignment')`, [id, first]);
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-04-01', 'regional rebalancing')`, [id, partnerId]);
      } else {
        await m.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'initial assignment')`, [id, partnerId]);
      }
      (byPartner[partnerId] ??= []).push(id);
    }
    ctx.bag.customerIds = customerIds;
    ctx.bag.customersByPartner = byPartner;
    ctx.log(`customers: ${customerIds.length} customers over ${Object.keys(byPartner).length} partners`);
  }
}
