import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { VerificationService } from './verification.service';

/**
 * Demo verification (after retention, order 65): the 2026Q3 sample of every partner with records, one record
 * confirmed by call-back and one not confirmed (2026Q3 is locked in the demo: recorded only, the duty items stay).
 */
@Injectable()
@DemoSeed(67)
export class VerificationDemoSeed implements DemoSeeder {
  constructor(private readonly verification: VerificationService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? 0;
    const actor = managerId ? { ...ctx.actor, id: managerId, username: 'manager' } : ctx.actor;
    const r = await this.verification.draw(actor, '2026Q3', null, m);
    const picked: { id: number }[] = await m.query(`SELECT id FROM verification_item WHERE period = '2026Q3' ORDER BY partner_id, id LIMIT 2`);
    const decide = (id: number, status: string, method: string, note: string | null, locked: boolean | null) => m.query(
      `UPDATE verification_item SET status = $2, method = $3, note = $4, items_unticked = $5, quarter_locked = $6, verified_at = now(), verified_by = $7 WHERE id = $1`,
      [id, status, method, note, locked === null ? null : 0, locked, managerId || null]);
    if (picked[0]) await decide(picked[0].id, 'confirmed', 'call_back', '客户确认当日有上门服务。', null);
    if (picked[1]) await decide(picked[1].id, 'not_confirmed', 'visit', '客户表示当季未接到该项服务，记录与实际不符。', true);
    ctx.log(`verification: ${r.samples} samples of 2026Q3 (${r.items} records), ${picked.length} verified`);
  }
}
