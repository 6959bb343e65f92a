/**
 * The set-based twin of pay-formula.util.ts#computePay (same rule, same rounding: PostgreSQL's round(numeric, 2)
 * rounds half away from zero, like round2). `pay_in` must provide partner_id, accrued, score_y (NULL = P override)
 * and adjustments. Kept as one fragment so the batch INSERT and the equivalence test run exactly this text.
 */
export const PAY_COLUMNS_FROM_PAY_IN = `
  SELECT pay_in.*,
         f.base_pay,
         f.total_formula - f.base_pay                                              AS quality_pay,
         f.total_formula,
         CASE WHEN f.total_formula + pay_in.adjustments < 0 THEN 0
              ELSE f.total_formula + pay_in.adjustments END                        AS total_pay,
         CASE WHEN f.total_formula + pay_in.adjustments < 0 THEN f.total_formula + pay_in.adjustments
              ELSE 0 END                                                           AS carry_forward,
         CASE WHEN pay_in.score_y IS NULL OR pay_in.score_y >= 90 THEN 1
              ELSE round(pay_in.score_y / 90, 12) END                              AS coefficient_p
    FROM pay_in
   CROSS JOIN LATERAL (
     SELECT round(pay_in.accrued * 0.9, 2) AS base_pay,
            CASE WHEN pay_in.score_y IS NULL OR pay_in.score_y >= 90 THEN round(pay_in.accrued, 2)
                 ELSE round(pay_in.accrued * (810 + pay_in.score_y) / 900, 2) END AS total_formula
   ) f`;
