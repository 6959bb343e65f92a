import { EntityManager } from 'typeorm';
import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';
import { SheetRef } from './collaborators';
import { assertScoreY, computePay } from './pay-formula.util';

/**
 * An exiting partner's final line (#16): each period's unsettled accruals at THAT period's confirmed Y. A period without
 * a confirmed sheet needs the Y given at completion with a reason (the final batch is then approved by a second
 * finance user like every batch) — never P = 1 by default.
 */
export async function insertFinalLine(
  m: EntityManager, batchId: number, partnerId: number, exitDate: string, formulaVersion: string,
  sheetOf: (period: string) => Promise<SheetRef | undefined>, given: { scoreY?: string; reason: string },
): Promise<{ periods: { period: string; scoreY: string; source: string }[] }> {
  const perPeriod: { period: string; n: number; accrued: string }[] = await m.query(
    `SELECT l.period, count(*)::int AS n, sum(l.amount)::text AS accrued FROM accrual_line l
       JOIN settlement_batch_import bi ON bi.import_id = l.import_id AND bi.batch_id = $1 AND bi.partner_id = l.partner_id
      WHERE l.accrual_date <= $2::date GROUP BY l.period ORDER BY l.period`, [batchId, exitDate]);
  const [{ adj }] = await m.query(`SELECT coalesce(sum(amount), 0)::text AS adj FROM settlement_adjustment WHERE applied_in_batch_id = $1`, [batchId]);
  const explicit = given.scoreY !== undefined && given.scoreY !== null && given.scoreY !== '' ? given.scoreY : null;
  if (explicit) assertScoreY(explicit);
  const used: { period: string; scoreY: string; source: string; sheet: SheetRef | undefined; accrued: string; n: number }[] = [];
  const missing: string[] = [];
  for (const p of perPeriod) {
    const sheet = await sheetOf(p.period);
    if (sheet) used.push({ period: p.period, scoreY: sheet.scoreY, source: `第 ${sheet.revision} 版评分表`, sheet, accrued: p.accrued, n: p.n });
    else if (explicit) used.push({ period: p.period, scoreY: explicit, source: `退出时指定：${given.reason.trim()}`, sheet: undefined, accrued: p.accrued, n: p.n });
    else missing.push(p.period);
  }
  if (missing.length) throw new RuleViolation('money:exit.unscoredPeriods', 'scoreY', { periods: missing.join(', ') });
  let base = dec(0), formula = dec(0), accrued = dec(0), count = 0;
  for (const u of used) {
    const r = computePay({ accrued: u.accrued, scoreY: u.scoreY, adjustments: 0 });
    base = base.plus(r.basePay); formula = formula.plus(r.totalFormula); accrued = accrued.plus(u.accrued); count += u.n;
  }
  const due = formula.plus(adj);
  const negative = due.isNegative() && !due.isZero();
  const ys = [...new Set(used.map((u) => dec(u.scoreY).toFixed(2)))];
  const y = ys.length === 1 ? ys[0] : null;
  // P as displayed: that of the one Y, or the effective P of the blend (quality part ÷ 10 % of the accruals)
  const p = y !== null ? (dec(y).gte(90) ? dec(1) : dec(y).div(90)) : accrued.isZero() ? dec(1) : formula.minus(accrued.times('0.9')).div(accrued.times('0.1'));
  const one = used.length === 1 ? used[0] : null;
  const note = used.map((u) => `${u.period}：应计 ${dec(u.accrued).toFixed(2)}，Y ${u.scoreY}（${u.source}）`).join('；') || null;
  await m.query(
    `INSERT INTO settlement_line (batch_id, partner_id, accrual_count, accrued, score_y, coefficient_p, p_override_reason, score_sheet_id, score_sheet_revision,
            score_note, base_pay, quality_pay, adjustments, total_formula, total_pay, carry_forward, formula_version)
     VALUES ($1, $2, $3, $4, $5, round($6::numeric, 12), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [batchId, partnerId, count, accrued.toFixed(2), y, p.toString(), used.some((u) => !u.sheet) ? given.reason.trim() : null,
      one?.sheet?.sheetId ?? null, one?.sheet?.revision ?? null, note, base.toFixed(2), formula.minus(base).toFixed(2), dec(adj).toFixed(2),
      formula.toFixed(2), negative ? '0.00' : due.toFixed(2), negative ? due.toFixed(2) : '0.00', formulaVersion]);
  return { periods: used.map(({ period, scoreY, source }) => ({ period, scoreY, source })) };
}
