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
          [item.partner_id, item.customer_id, item.period, type, occurred, complaint, handlingHours, demoText(type), 'done',
            type === 'arrears_collected' ? (1000 + Math.floor(next() * 9000)).toFixed(2) : null,
            next() < 0.3 ? ['visit-photo.jpg'] : [], limit, lagHours, (ctx.bag[`partnerUser:${item.partner_id}`] as number | undefined) ?? null]);
        records++;
      }
    }
    await this.duties.recount('2026Q3', m);
    await this.duties.recount('2026Q4', m);
    await m.query(`INSERT INTO period_lock (period, reason) VALUES ('2026Q3', 'quarter scored') ON CONFLICT DO NOTHING`);
    const alerts = await this.duties.raiseOverdueAlerts(ctx.actor, today, m);
    ctx.log(`duties: ${items.length} checklist items, ${records} records, ${alerts.created} overdue alerts`);
  }
}

function demoText(type: string): string {
  const texts: Record<string, string> = {
    visit: 'On-site visit with the IT manager', promotion: 'Presented the cloud PBX and enterprise SMS offers', sale: 'Signed dedicated line upgrade',
    business_handling: 'Processed SIM batch activation', records_update: 'Collected and checked updated customer documents',
    training: 'Trained staff on the group messaging portal', consultation: 'Answered tariff questions', complaint_handled: 'Resolved billing complaint',
    arrears_collected: 'Collected overdue invoice', cross_sell: 'Added IoT cards to the contract', opportunity_reported: 'Reported video surveillance need',
    need_analysis: 'Workshop on connectivity needs', retention_attempt: 'Retention offer presented', win_back: 'Win-back meeting with procurement',
    customer_development: 'Introduced a new class C customer',
  };
  return texts[type] ?? 'Service work';
}
