import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { RetentionService } from './retention.service';

/**
 * Demo churn warnings (after settlement's accruals, order 60): a customer in decline or churn held by a partner, the
 * accrual-drop check of 2026Q3 against 2026Q2, and one earlier warning closed as retained. The complaints seeder has
 * already raised an overdue-complaint and a dissatisfied-visits warning.
 */
@Injectable()
@DemoSeed(65)
export class RetentionDemoSeed implements DemoSeeder {
  constructor(private readonly retention: RetentionService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? 0;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const atRisk: { id: number; stage: string }[] = await m.query(
      `SELECT c.id, c.stage FROM customer c JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL AND a.partner_id IS NOT NULL
        WHERE c.stage IN ('decline','churn') ORDER BY c.id LIMIT 2`);
    for (const c of atRisk) await this.retention.raise(actor, c.id, 'stage', { from: 'maturity', to: c.stage, effectiveOn: '2026-10-01' }, m);
    const r = await this.retention.evaluateAccruals(actor, '2026Q3', m);
    // the second stage warning was worked on: the customer stayed
    const [closed] = atRisk.length > 1 ? await m.query(
      `UPDATE retention_warning SET status = 'closed', outcome = 'retained', outcome_reason = '客户经理与合作伙伴联合走访，签订两年续约。', closed_at = now(), closed_by = $2
        WHERE customer_id = $1 AND cause = 'stage' AND status = 'open' RETURNING id`, [atRisk[1].id, managerId || null]) : [];
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM retention_warning`);
    ctx.log(`retention: ${n} churn warnings (${r.raised} from accruals${closed ? ', one closed as retained' : ''})`);
  }
}
