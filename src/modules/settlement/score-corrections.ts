import { EntityManager } from 'typeorm';
import { dec, money } from '../../core/money/money.util';
import { SheetRef } from './collaborators';
import { computePay } from './pay-formula.util';

/** A score-sheet revision confirmed after its quarter was settled (#16): what was paid, and what the new Y gives. */
export interface ScoreCorrection {
  partnerId: number; paidAccrued: string; paidFormula: string; paidY: string | null; paidRevision: number | null;
  newY: string; newRevision: number; newSheetId: number; newFormula: string; amount: string;
}

/**
 * Per partner, over the period's settled (approved, exported, paid) regular and supplementary batches: Σ accrued,
 * Σ formula results plus score corrections already paid, and the Y/revision of its latest line.
 */
const SETTLED_OF_PERIOD = `
  WITH settled AS (SELECT id FROM settlement_batch WHERE period = $1 AND kind IN ('regular','supplementary') AND status IN ('approved','exported','paid')),
  lines AS (SELECT l.* FROM settlement_line l WHERE l.batch_id IN (SELECT id FROM settled) AND l.partner_id = ANY($2::int[])),
  last AS (SELECT DISTINCT ON (partner_id) partner_id, score_y, score_sheet_revision FROM lines ORDER BY partner_id, batch_id DESC),
  fixed AS (SELECT partner_id, sum(amount) AS amount FROM settlement_adjustment
             WHERE kind = 'score_correction' AND applied_in_batch_id IN (SELECT id FROM settled) AND partner_id = ANY($2::int[]) GROUP BY partner_id)
  SELECT s.partner_id, sum(s.accrued)::text AS accrued, (sum(s.total_formula) + coalesce(max(f.amount), 0))::text AS paid,
         max(last.score_y)::text AS score_y, max(last.score_sheet_revision) AS revision
    FROM lines s JOIN last ON last.partner_id = s.partner_id LEFT JOIN fixed f ON f.partner_id = s.partner_id
   GROUP BY s.partner_id`;

export async function scoreCorrections(m: EntityManager, period: string, latest: Map<number, SheetRef>): Promise<ScoreCorrection[]> {
  if (!latest.size) return [];
  const rows: { partner_id: number; accrued: string; paid: string; score_y: string | null; revision: number | null }[] = await m.query(SETTLED_OF_PERIOD, [period, [...latest.keys()]]);
  const out: ScoreCorrection[] = [];
  for (const r of rows) {
    const sheet = latest.get(r.partner_id)!;
    const sameY = r.score_y !== null && dec(r.score_y).eq(sheet.scoreY);
    if (r.revision === sheet.revision || sameY) continue;
    const newFormula = computePay({ accrued: r.accrued, scoreY: sheet.scoreY, adjustments: 0 }).totalFormula;
    out.push({
      partnerId: r.partner_id, paidAccrued: money(r.accrued), paidFormula: money(r.paid), paidY: r.score_y, paidRevision: r.revision,
      newY: sheet.scoreY, newRevision: sheet.revision, newSheetId: sheet.sheetId, newFormula, amount: money(dec(newFormula).minus(r.paid)),
    });
  }
  return out;
}

/** The difference as a system adjustment applied in this draft (removed again when the draft is cleared or cancelled). */
export async function applyCorrections(m: EntityManager, batchId: number, period: string, corrections: ScoreCorrection[], createdBy: number | null): Promise<void> {
  const due = corrections.filter((c) => !dec(c.amount).isZero());
  if (!due.length) return;
  await m.query(
    `INSERT INTO settlement_adjustment (partner_id, amount, kind, reason, reference, applied_in_batch_id, created_by)
     SELECT c.partner_id, c.amount, 'score_correction', c.reason, 'score-correction:' || $1::int || ':' || c.partner_id, $1, $5
       FROM unnest($2::int[], $3::numeric[], $4::text[]) AS c(partner_id, amount, reason)`,
    [batchId, due.map((c) => c.partnerId), due.map((c) => c.amount), due.map((c) => correctionNote(period, c)), createdBy]);
}

/** Both Y values and revisions, stored in the line's snapshot note and the adjustment's reason. */
export function correctionNote(period: string, c: ScoreCorrection): string {
  return `评分更正 ${period}：已结算按 Y ${c.paidY ?? '（P = 1）'}（第 ${c.paidRevision ?? '—'} 版），应计酬金 ${c.paidAccrued}，已付计算结果 ${c.paidFormula}；`
    + `现按第 ${c.newRevision} 版 Y ${c.newY} 计算结果 ${c.newFormula}；差额 ${c.amount}`;
}
