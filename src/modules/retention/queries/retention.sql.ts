/**
 * Set-based SQL of the churn early warning. $1 period, $2 previous period, $3 today (business date).
 * One statement raises every accrual-drop warning of the period: customers whose accruals fell more than the setting's
 * percentage quarter on quarter, once per customer and period (a closed warning of the same period is not raised again),
 * and never a second open one per customer and cause (the partial unique index).
 */
export const RAISE_ACCRUAL_DROP_SQL = `
  WITH lines AS (
    SELECT COALESCE(l.customer_id, c.id) AS customer_id, l.period, l.amount
      FROM accrual_line l LEFT JOIN customer c ON l.customer_id IS NULL AND c.code = l.customer_code
     WHERE l.period IN ($1, $2)
  ), sums AS (
    SELECT customer_id,
           COALESCE(sum(amount) FILTER (WHERE period = $2), 0) AS prev_amt,
           COALESCE(sum(amount) FILTER (WHERE period = $1), 0) AS cur_amt
      FROM lines WHERE customer_id IS NOT NULL GROUP BY customer_id
  ), s AS (
    SELECT accrual_drop_percent AS pct, task_days FROM retention_setting WHERE id = 1
  ), risk AS (
    SELECT x.* FROM sums x CROSS JOIN s
     WHERE x.prev_amt > 0 AND (x.prev_amt - x.cur_amt) * 100 > x.prev_amt * s.pct
       AND NOT EXISTS (SELECT 1 FROM retention_warning w WHERE w.customer_id = x.customer_id AND w.cause = 'accrual_drop' AND w.detail->>'period' = $1)
  )
  INSERT INTO retention_warning (customer_id, partner_id, manager_user_id, cause, detail, due_on)
  SELECT r.customer_id, h.partner_id, h.manager_user_id, 'accrual_drop',
         jsonb_build_object('period', $1::text, 'previousPeriod', $2::text, 'previous', r.prev_amt::text, 'current', r.cur_amt::text,
                            'drop', round((r.prev_amt - r.cur_amt) * 100 / r.prev_amt, 2)::text, 'threshold', s.pct::text),
         $3::date + s.task_days
    FROM risk r CROSS JOIN s
    LEFT JOIN customer_assignment h ON h.customer_id = r.customer_id AND h.valid_from <= $3::date AND (h.valid_to IS NULL OR h.valid_to > $3::date)
  ON CONFLICT (customer_id, cause) WHERE status = 'open' DO NOTHING
  RETURNING id`;

/** One warning for one customer and cause ($1 customer, $2 cause, $3 detail, $4 today); nothing when one is open. */
export const RAISE_ONE_SQL = `
  INSERT INTO retention_warning (customer_id, partner_id, manager_user_id, cause, detail, due_on)
  SELECT c.id, h.partner_id, h.manager_user_id, $2, $3::jsonb, $4::date + s.task_days
    FROM customer c CROSS JOIN retention_setting s
    LEFT JOIN customer_assignment h ON h.customer_id = c.id AND h.valid_from <= $4::date AND (h.valid_to IS NULL OR h.valid_to > $4::date)
   WHERE c.id = $1 AND s.id = 1
  ON CONFLICT (customer_id, cause) WHERE status = 'open' DO NOTHING
  RETURNING id`;

/** A warning with the names a page shows. */
export const SELECT_WARNINGS = `
  SELECT w.id, w.customer_id AS "customerId", w.partner_id AS "partnerId", w.manager_user_id AS "managerUserId", w.cause, w.detail,
         w.raised_at AS "raisedAt", w.due_on::text AS "dueOn", w.status, w.outcome, w.outcome_reason AS "outcomeReason",
         w.closed_at AS "closedAt", w.closed_by AS "closedBy",
         c.code AS "customerCode", c.name AS "customerName", c.region, c.customer_class AS "customerClass", c.stage,
         p.code AS "partnerCode", p.name AS "partnerName", COALESCE(NULLIF(u.display_name, ''), u.username) AS "managerName",
         COALESCE(NULLIF(cb.display_name, ''), cb.username) AS "closedByName"
    FROM retention_warning w
    JOIN customer c ON c.id = w.customer_id
    LEFT JOIN partner p ON p.id = w.partner_id
    LEFT JOIN user_account u ON u.id = w.manager_user_id
    LEFT JOIN user_account cb ON cb.id = w.closed_by`;

/** Open warnings per region (the "at risk" overview). */
export const AT_RISK_BY_REGION_SQL = `
  SELECT c.region, count(DISTINCT w.customer_id)::int AS customers, count(*)::int AS warnings,
         count(*) FILTER (WHERE w.due_on < $1::date)::int AS overdue
    FROM retention_warning w JOIN customer c ON c.id = w.customer_id
   WHERE w.status = 'open' GROUP BY c.region ORDER BY c.region`;
