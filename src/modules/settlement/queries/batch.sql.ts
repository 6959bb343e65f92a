import { PAY_COLUMNS_FROM_PAY_IN } from './pay-formula.sql';

/** Set-based batch computation: the accrual aggregate, the adjustments and the formula in one INSERT … SELECT. */

export const TRY_PERIOD_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('settlement:' || $1)) AS ok`;

/** imports of the period no live batch has claimed (a cancelled draft's claims are deleted) */
export const UNCLAIMED_IMPORTS = `
  SELECT i.id FROM accrual_import i
   WHERE i.period = $1 AND NOT EXISTS (SELECT 1 FROM settlement_batch_import bi WHERE bi.import_id = i.id AND bi.partner_id IS NULL)
   ORDER BY i.id`;

export const CLAIM_IMPORTS = `INSERT INTO settlement_batch_import (batch_id, import_id, partner_id) SELECT $1, unnest($2::int[]), $3::int`;

/** partners whose lines in the batch's imports were already settled by a final settlement (exit) */
export const FINAL_CLAIMS_ON_BATCH = `
  SELECT DISTINCT f.import_id, f.partner_id FROM settlement_batch_import f
    JOIN settlement_batch_import bi ON bi.import_id = f.import_id AND bi.batch_id = $1 AND bi.partner_id IS NULL
   WHERE f.partner_id IS NOT NULL`;

export const INSERT_PENALTIES = `
  INSERT INTO settlement_adjustment (partner_id, amount, kind, reason, reference, created_by)
  SELECT p.partner_id, p.amount, 'violation_penalty', p.reason, p.reference, $5
    FROM unnest($1::int[], $2::numeric[], $3::text[], $4::text[]) AS p(partner_id, amount, reason, reference)
    JOIN partner ON partner.id = p.partner_id
  ON CONFLICT (reference) DO NOTHING`;

/** score corrections belong to the draft that computed them (#16): they go with it; the others wait for the next batch */
export const RELEASE_ADJUSTMENTS = `WITH gone AS (DELETE FROM settlement_adjustment WHERE applied_in_batch_id = $1 AND kind = 'score_correction')
  UPDATE settlement_adjustment SET applied_in_batch_id = NULL WHERE applied_in_batch_id = $1 AND kind <> 'score_correction'`;

/** regular batch: every pending adjustment; supplementary and final: only those of the partners settled in it */
/** only approved adjustments: a large manual one waits for a second finance user (#16) */
export const APPLY_ALL_PENDING = `UPDATE settlement_adjustment SET applied_in_batch_id = $1 WHERE applied_in_batch_id IS NULL AND status = 'approved'`;
export const APPLY_PENDING_OF_BATCH_PARTNERS = `
  UPDATE settlement_adjustment SET applied_in_batch_id = $1
   WHERE applied_in_batch_id IS NULL AND status = 'approved'
     AND partner_id IN (SELECT DISTINCT l.partner_id FROM accrual_line l JOIN settlement_batch_import bi ON bi.import_id = l.import_id AND bi.batch_id = $1
                         WHERE bi.partner_id IS NULL OR bi.partner_id = l.partner_id)`;
export const APPLY_PENDING_OF_PARTNER = `UPDATE settlement_adjustment SET applied_in_batch_id = $1 WHERE applied_in_batch_id IS NULL AND status = 'approved' AND partner_id = $2`;

/**
 * The accrual aggregate of a batch. `excluded` = (import, partner) pairs settled by an exit's final batch;
 * the anti-join is only added when there are any, so the common case is one scan of the lines.
 */
function accrualAggregate(kind: 'whole' | 'partner', withExclusions: boolean): string {
  // a whole batch claims imports of its own period only (UNCLAIMED_IMPORTS), and an import's lines carry its period:
  // filtered by period and the claimed ids, the sum runs index-only over accrual_line_period_partner_product_idx
  const claim = kind === 'whole'
    ? `WHERE l.period = (SELECT period FROM settlement_batch WHERE id = $1)
         AND l.import_id = ANY (ARRAY(SELECT bi.import_id FROM settlement_batch_import bi WHERE bi.batch_id = $1 AND bi.partner_id IS NULL))`
    : `JOIN settlement_batch_import bi ON bi.import_id = l.import_id AND bi.batch_id = $1 AND bi.partner_id = l.partner_id WHERE true`;
  const exclude = withExclusions
    ? `AND NOT EXISTS (SELECT 1 FROM settlement_batch_import f WHERE f.partner_id IS NOT NULL AND f.import_id = l.import_id AND f.partner_id = l.partner_id)`
    : kind === 'partner' ? `AND l.accrual_date <= $9::date` : '';
  return `SELECT l.partner_id, count(*)::int AS accrual_count, sum(l.amount) AS accrued FROM accrual_line l ${claim} ${exclude} GROUP BY l.partner_id`;
}

/**
 * $1 batch id; $2..$7 per-partner score inputs (partner_id, score_y, sheet id, revision, override reason, note);
 * $8 formula version; ($9 exit date for a final batch).
 */
export function insertLines(kind: 'whole' | 'partner', withExclusions: boolean): string {
  return `
  WITH acc AS (${accrualAggregate(kind, withExclusions)}),
  adj AS (SELECT partner_id, sum(amount) AS adjustments FROM settlement_adjustment WHERE applied_in_batch_id = $1 GROUP BY partner_id),
  sc AS (SELECT * FROM unnest($2::int[], $3::numeric[], $4::int[], $5::int[], $6::text[], $7::text[])
           AS s(partner_id, score_y, sheet_id, revision, override_reason, note)),
  pay_in AS (
    SELECT coalesce(acc.partner_id, adj.partner_id) AS partner_id,
           coalesce(acc.accrual_count, 0) AS accrual_count, coalesce(acc.accrued, 0) AS accrued,
           coalesce(adj.adjustments, 0) AS adjustments,
           sc.score_y, sc.sheet_id, sc.revision, sc.override_reason, sc.note
      FROM acc FULL JOIN adj ON adj.partner_id = acc.partner_id
      LEFT JOIN sc ON sc.partner_id = coalesce(acc.partner_id, adj.partner_id))
  INSERT INTO settlement_line (batch_id, partner_id, accrual_count, accrued, score_y, coefficient_p, p_override_reason,
         score_sheet_id, score_sheet_revision, score_note, base_pay, quality_pay, adjustments, total_formula, total_pay,
         carry_forward, formula_version)
  SELECT $1, x.partner_id, x.accrual_count, x.accrued, x.score_y, x.coefficient_p, x.override_reason,
         x.sheet_id, x.revision, x.note, x.base_pay, x.quality_pay, x.adjustments, x.total_formula, x.total_pay,
         x.carry_forward, $8
    FROM (${PAY_COLUMNS_FROM_PAY_IN}) x
   ORDER BY x.partner_id`;
}

export const LINES_WITHOUT_SCORE = `
  SELECT p.code, p.name FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.batch_id = $1 AND l.accrual_count > 0 AND l.score_y IS NULL AND l.p_override_reason IS NULL ORDER BY p.code`;

export const UPDATE_BATCH_TOTALS = `
  UPDATE settlement_batch b SET line_count = t.n, total_pay = t.total, computed_at = now(), version = b.version + 1
    FROM (SELECT count(*)::int AS n, coalesce(sum(total_pay), 0) AS total FROM settlement_line WHERE batch_id = $1) t
   WHERE b.id = $1 RETURNING b.line_count, b.total_pay::text AS total_pay`;

/** at approval: each negative remainder becomes an adjustment line for the partner's next batch, linked to its source */
export const CARRY_FORWARD = `
  INSERT INTO settlement_adjustment (partner_id, amount, kind, reason, reference, source_batch_id, created_by)
  SELECT l.partner_id, l.carry_forward, 'carry_forward',
         'Negative balance carried forward from batch #' || l.batch_id || ' (' || b.period || ')',
         'carry:' || l.batch_id || ':' || l.partner_id, l.batch_id, $2
    FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
   WHERE l.batch_id = $1 AND l.carry_forward < 0`;

/**
 * Lines for a second look before approval (#16): pay above $2 × the partner's average of its last four settled
 * quarters before this period, and a bank account changed (approved) since the partner's last paid batch.
 * Only the batch's partners' history is read; only flagged lines are written.
 */
export const FLAG_LINES = `
  WITH me AS (SELECT period FROM settlement_batch WHERE id = $1),
  mine AS (SELECT id, partner_id, total_pay FROM settlement_line WHERE batch_id = $1),
  hist AS (
    SELECT l.partner_id, ob.period, sum(l.total_pay) AS pay
      FROM settlement_line l JOIN settlement_batch ob ON ob.id = l.batch_id CROSS JOIN me
     WHERE l.partner_id IN (SELECT partner_id FROM mine) AND ob.status IN ('approved','exported','paid') AND ob.period < me.period
     GROUP BY l.partner_id, ob.period),
  avg4 AS (SELECT partner_id, round(avg(pay), 2) AS avg_pay
             FROM (SELECT partner_id, pay, row_number() OVER (PARTITION BY partner_id ORDER BY period DESC) AS rn FROM hist) r
            WHERE rn <= 4 GROUP BY partner_id),
  last_paid AS (
    SELECT l.partner_id, max(ob.paid_at) AS paid_at FROM settlement_line l JOIN settlement_batch ob ON ob.id = l.batch_id
     WHERE l.partner_id IN (SELECT partner_id FROM mine) AND ob.status = 'paid' GROUP BY l.partner_id),
  bank AS (
    SELECT DISTINCT c.partner_id FROM partner_bank_change c JOIN last_paid lp ON lp.partner_id = c.partner_id
     WHERE c.status = 'approved' AND c.decided_at > lp.paid_at),
  flags AS (
    SELECT mine.id, a.avg_pay,
           array_remove(ARRAY[CASE WHEN a.avg_pay > 0 AND mine.total_pay > a.avg_pay * $2::numeric THEN 'high_pay' END,
                              CASE WHEN bank.partner_id IS NOT NULL THEN 'bank_changed' END], NULL) AS f
      FROM mine LEFT JOIN avg4 a ON a.partner_id = mine.partner_id LEFT JOIN bank ON bank.partner_id = mine.partner_id)
  UPDATE settlement_line l SET review_flags = flags.f, review_avg_pay = flags.avg_pay
    FROM flags WHERE l.id = flags.id AND cardinality(flags.f) > 0`;

/** a (re)computation has a new maker, and approvals of the previous figures no longer count (the audit log keeps them) */
export const SET_MAKER = `WITH gone AS (DELETE FROM settlement_batch_approval WHERE batch_id = $1) UPDATE settlement_batch SET computed_by = $2 WHERE id = $1`;
