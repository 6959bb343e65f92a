import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { computedLine, computeScoreY, PartnerFacts } from './score.util';
import { ScoringSchemeService } from './scoring-scheme.service';

interface Profile { facts: PartnerFacts; professional: number; attitude: number }

/** Demo quarter-end facts per profile: high (Y ≥ 90), middle (70–89) and low (< 60, the partner that will exit). */
function profile(kind: 'high' | 'mid' | 'low', shift: number): Profile {
  if (kind === 'high') {
    return { facts: { completion: { required: 20, fulfilled: 19 + Math.min(1, shift) }, complaints: { total: 5, onTime: 5 }, records: { total: 30, onTime: 27 + shift }, deductions: [] }, professional: 90 + shift, attitude: 94 };
  }
  if (kind === 'mid') {
    return {
      facts: { completion: { required: 20, fulfilled: 15 + shift }, complaints: { total: 5, onTime: 4 }, records: { total: 30, onTime: 23 + shift }, deductions: [{ kindCode: 'LATE_RESPONSE', kindName: '未按时响应客户需求', count: 1, points: '10' }] },
      professional: 78 + shift * 2, attitude: 84,
    };
  }
  return {
    facts: { completion: { required: 20, fulfilled: 9 - shift }, complaints: { total: 6, onTime: 2 }, records: { total: 30, onTime: 14 - shift }, deductions: [{ kindCode: 'MAJOR_SERVICE_BREACH', kindName: '重大服务违规', count: 1, points: '60' }] },
    professional: 55 - shift * 3, attitude: 60,
  };
}

/**
 * Demo: confirmed sheets for 2026Q2 and 2026Q3 for every active partner (Q4 is not opened). The partner the exit
 * demo takes out (bag.exitPartnerId, else the last active one) gets a low score (< 60). bag.scoringLowPartnerId names it.
 */
@Injectable()
@DemoSeed(50)
export class ScoringDemoSeeder implements DemoSeeder {
  constructor(private readonly schemes: ScoringSchemeService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const partnerIds = (ctx.bag.activePartnerIds as number[] | undefined) ?? [];
    if (!partnerIds.length) {
      ctx.log('scoring: no active partners in the demo bag; nothing scored');
      return;
    }
    const m = ctx.manager;
    const scheme = await this.schemes.current(m);
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? null;
    // the partner the violations seeder chose for the exit demo (bag.exitPartnerId), else the last active one
    const exitId = ctx.bag.exitPartnerId as number | undefined;
    const low = exitId && partnerIds.includes(exitId) ? exitId : partnerIds[partnerIds.length - 1];
    for (const [period, shift, submitted, confirmed] of [['2026Q2', 0, '2026-07-08T09:00:00Z', '2026-07-20T09:00:00Z'], ['2026Q3', 1, '2026-10-08T09:00:00Z', '2026-10-20T09:00:00Z']] as const) {
      await m.query(`INSERT INTO scoring_period (period, scheme_id, opened_at, opened_by, dispute_window_days) VALUES ($1, $2, $3, $4, 7)`,
        [period, scheme.id, submitted, managerId]);
      for (const [i, partnerId] of partnerIds.entries()) {
        const p = profile(partnerId === low ? 'low' : i < 2 ? 'high' : 'mid', shift + (i % 2));
        const lines = scheme.indicators.map((ind) => {
          const c = computedLine(ind.method, ind.deductionKinds, p.facts);
          const manual = ind.family === 'service_attitude' ? p.attitude : p.professional;
          return { ind, score: c?.score ?? manual.toFixed(2), inputs: c?.inputs ?? null, comment: c ? '' : (ind.family === 'service_attitude' ? '季度客户回访满意度评议' : '渠道经理季度评议：业务办理规范') };
        });
        const y = computeScoreY(lines.map((l) => ({ weight: l.ind.weight, score: l.score })))!.toFixed(2);
        const [sheet] = await m.query(
          `INSERT INTO score_sheet (period, partner_id, scheme_id, revision, status, score_y, submitted_at, dispute_deadline, confirmed_at, confirmed_by, created_at)
           VALUES ($1, $2, $3, 1, 'confirmed', $4, $5, $5::timestamptz + interval '7 days', $6, $7, $5) RETURNING id`,
          [period, partnerId, scheme.id, y, submitted, confirmed, managerId]);
        for (const l of lines) {
          await m.query(`INSERT INTO score_sheet_line (sheet_id, indicator_id, score, inputs, comment) VALUES ($1, $2, $3, $4, $5)`,
            [sheet.id, l.ind.id, l.score, l.inputs ? JSON.stringify(l.inputs) : null, l.comment]);
        }
      }
    }
    ctx.bag.scoringLowPartnerId = low;
    ctx.log(`scoring: confirmed 2026Q2 and 2026Q3 sheets for ${partnerIds.length} partner(s); low score for partner ${low}`);
  }
}
