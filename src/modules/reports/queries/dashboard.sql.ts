import { partnerInOptionalScopeSql } from '../../../core/auth/region-scope.util';
/**
 * Set-based SQL behind the role dashboards. Money leaves PostgreSQL as text (numeric → text), so tables show exact
 * decimals; charts parse the same strings. Periods are passed as a text[] of quarter codes.
 */

/** The quality coefficient P from Y, as the scoring module defines it (1 at 90 and above, else Y/90; 6 places as shown everywhere). */
export const P_OF_Y = (y: string) => `CASE WHEN ${y} IS NULL THEN NULL WHEN ${y} >= 90 THEN 1.000000 ELSE round(${y} / 90, 6) END`;

/** Latest revision of each partner's sheet per period (drafts hidden from partners by the caller's filter). */
export const PARTNER_SCORES = `
  SELECT p.period, s.score_y::text AS y, (${P_OF_Y('s.score_y')})::text AS p
    FROM unnest($2::text[]) AS p(period)
    LEFT JOIN LATERAL (SELECT score_y FROM score_sheet WHERE partner_id = $1 AND period = p.period AND status <> 'draft'
                        ORDER BY revision DESC LIMIT 1) s ON true
   ORDER BY p.period`;

/** Pay per quarter of one partner over released batches (approved, exported, paid): base, quality, withheld, adjustments. */
export const PARTNER_PAY = `
  SELECT p.period,
         COALESCE(sum(l.base_pay), 0)::text AS base, COALESCE(sum(l.quality_pay), 0)::text AS quality,
         COALESCE(sum(round(l.accrued * 0.1 * (1 - l.coefficient_p), 2)), 0)::text AS withheld,
         COALESCE(sum(l.adjustments), 0)::text AS adjustments, COALESCE(sum(l.total_pay), 0)::text AS total
    FROM unnest($2::text[]) AS p(period)
    LEFT JOIN settlement_batch b ON b.period = p.period AND b.status IN ('approved','exported','paid')
    LEFT JOIN settlement_line l ON l.batch_id = b.id AND l.partner_id = $1
   GROUP BY p.period ORDER BY p.period`;

/** Checklist completion of one partner in a period by lifecycle stage (not-applicable items left out). */
export const PARTNER_DUTIES_BY_STAGE = `
  SELECT stage, sum(required_count)::int AS required, sum(LEAST(fulfilled_count, required_count))::int AS fulfilled
    FROM checklist_item WHERE partner_id = $1 AND period = $2 AND status <> 'not_applicable'
   GROUP BY stage`;

/** Open checklist items of one partner due between two dates (this week). */
export const PARTNER_DUE_THIS_WEEK = `
  SELECT c.code AS customer_code, c.name AS customer_name, t.code AS duty_code, ci.due_date::text AS due_date,
         ci.required_count - LEAST(ci.fulfilled_count, ci.required_count) AS missing
    FROM checklist_item ci JOIN customer c ON c.id = ci.customer_id JOIN duty_template t ON t.id = ci.duty_template_id
   WHERE ci.partner_id = $1 AND ci.status = 'open' AND ci.due_date BETWEEN $2::date AND $3::date
   ORDER BY ci.due_date, c.code LIMIT 20`;

/** Y of every partner's latest non-draft sheet in a period (for the distribution); $2 region scope (null = all). */
export const PERIOD_SCORES = `
  SELECT DISTINCT ON (partner_id) score_y::text AS y FROM score_sheet
   WHERE period = $1 AND status <> 'draft' AND score_y IS NOT NULL
     AND ${partnerInOptionalScopeSql('partner_id', '$2')}
   ORDER BY partner_id, revision DESC`;

/** The latest period up to $1 that has scored sheets (the distribution falls back to it). */
export const LATEST_SCORED_PERIOD = `SELECT max(period) AS period FROM score_sheet WHERE period <= $1 AND status <> 'draft' AND score_y IS NOT NULL`;

/**
 * Partners ranked by Y in a period, with the previous period's Y for the trend: the top ones are picked first, and only
 * they look up their previous Y (ranking both quarters' 10,000 sheets to keep 15 cost twice as much).
 */
export const RANKED_BY_Y = `
  WITH cur AS (SELECT DISTINCT ON (partner_id) partner_id, score_y FROM score_sheet
                WHERE period = $1 AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC),
       top AS (SELECT pa.id, pa.code, pa.name, cur.score_y FROM cur JOIN partner pa ON pa.id = cur.partner_id
                WHERE $4::text[] IS NULL OR pa.region = ANY($4::text[])
                ORDER BY cur.score_y DESC, pa.code LIMIT $3)
  SELECT top.id, top.code, top.name, top.score_y::text AS y,
         (SELECT s.score_y::text FROM score_sheet s WHERE s.period = $2 AND s.partner_id = top.id AND s.status <> 'draft' AND s.score_y IS NOT NULL
           ORDER BY s.revision DESC LIMIT 1) AS prev_y
    FROM top ORDER BY top.score_y DESC, top.code`;

/**
 * Overdue open checklist items (due before today) by partner and the customer's region, for the top partners only:
 * the partners are ranked from an index-only scan (checklist_item_open_due_cover_idx), and only their items are
 * joined to the customers for the region.
 */
export const OVERDUE_BY_PARTNER_REGION = `
  WITH top AS (SELECT partner_id, count(*) AS n FROM checklist_item
                WHERE status = 'open' AND due_date < $1::date AND partner_id IS NOT NULL
                  AND ${partnerInOptionalScopeSql('partner_id', '$3')}
                GROUP BY partner_id ORDER BY n DESC, partner_id LIMIT $2)
  SELECT pa.code, pa.name, c.region, count(*)::int AS overdue, top.n::int AS partner_total
    FROM top JOIN checklist_item ci ON ci.partner_id = top.partner_id AND ci.status = 'open' AND ci.due_date < $1::date
    JOIN customer c ON c.id = ci.customer_id JOIN partner pa ON pa.id = top.partner_id
   GROUP BY pa.code, pa.name, c.region, top.n ORDER BY top.n DESC, pa.code, c.region`;

/** Onboarding funnel up to the end of a period: applications, of them approved (or further), of them active; $3 region scope. */
export const ONBOARDING_FUNNEL = `
  WITH apps AS (SELECT DISTINCT a.partner_id FROM onboarding_application a WHERE a.submitted_at < ($1::date + 1)::timestamp AT TIME ZONE $2
                   AND ${partnerInOptionalScopeSql('a.partner_id', '$3')}),
       reached AS (SELECT h.partner_id, bool_or(h.to_status IN ('approved','active','suspended','exiting','exited')) AS approved,
                          bool_or(h.to_status = 'active') AS active
                     FROM partner_status_history h JOIN apps ON apps.partner_id = h.partner_id
                    WHERE h.effective_on <= $1::date GROUP BY h.partner_id)
  SELECT (SELECT count(*) FROM apps)::int AS applied,
         count(*) FILTER (WHERE approved)::int AS approved, count(*) FILTER (WHERE active)::int AS active FROM reached`;

/** Commission cost per quarter over all batches that are not cancelled. */
export const COST_BY_QUARTER = `
  SELECT p.period,
         COALESCE(sum(l.base_pay), 0)::text AS base, COALESCE(sum(l.quality_pay), 0)::text AS quality,
         COALESCE(sum(l.adjustments), 0)::text AS adjustments, COALESCE(sum(l.total_pay), 0)::text AS total,
         COALESCE(sum(round(l.accrued * 0.1 * (1 - l.coefficient_p), 2)), 0)::text AS withheld
    FROM unnest($1::text[]) AS p(period)
    LEFT JOIN settlement_batch b ON b.period = p.period AND b.status <> 'cancelled'
    LEFT JOIN settlement_line l ON l.batch_id = b.id
   GROUP BY p.period ORDER BY p.period`;

/** Commission cost of a period by a partner attribute (region or tier). */
export const costBy = (attr: 'region' | 'tier') => `
  SELECT COALESCE(NULLIF(pa.${attr}::text, ''), '-') AS key, sum(l.total_pay)::text AS total, count(DISTINCT l.partner_id)::int AS partners
    FROM settlement_batch b JOIN settlement_line l ON l.batch_id = b.id JOIN partner pa ON pa.id = l.partner_id
   WHERE b.period = $1 AND b.status <> 'cancelled'
   GROUP BY 1 ORDER BY sum(l.total_pay) DESC, 1`;

/**
 * Formula cost of a period by product: each accrual line at its partner's 90 % + 10 % × P of the period's regular
 * batch (adjustments are per partner, not per product, so they are not spread).
 */
export const COST_BY_PRODUCT = `
  WITH pp AS (SELECT partner_id, product, sum(amount) AS amount FROM accrual_line WHERE period = $1 GROUP BY partner_id, product)
  SELECT pp.product AS key, sum(pp.amount)::text AS accrued, round(sum(pp.amount * (0.9 + 0.1 * l.coefficient_p)), 2)::text AS total
    FROM pp
    JOIN settlement_batch b ON b.period = $1 AND b.kind = 'regular' AND b.status <> 'cancelled'
    JOIN settlement_line l ON l.batch_id = b.id AND l.partner_id = pp.partner_id
   GROUP BY pp.product ORDER BY 3 DESC, 1`;

/** Batches by state, open inquiries and what was paid this month (business time zone). */
export const FINANCE_QUEUE = `
  SELECT (SELECT count(*) FROM settlement_batch WHERE status = 'draft')::int AS draft,
         (SELECT count(*) FROM settlement_batch WHERE status = 'approved')::int AS approved,
         (SELECT count(*) FROM settlement_batch WHERE status = 'exported')::int AS exported,
         (SELECT count(*) FROM settlement_inquiry WHERE status = 'open')::int AS inquiries,
         (SELECT count(*) FROM settlement_batch WHERE status = 'paid' AND paid_at >= date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1)::int AS paid_batches,
         (SELECT COALESCE(sum(total_pay), 0) FROM settlement_batch WHERE status = 'paid' AND paid_at >= date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1)::text AS paid_amount`;

export const USERS_BY_ROLE = `
  SELECT role, count(*) FILTER (WHERE active)::int AS active, count(*) FILTER (WHERE NOT active)::int AS inactive
    FROM user_account GROUP BY role ORDER BY role`;

/** Sign-ins per business day over the last 14 days. */
export const SIGN_INS = `
  SELECT d::date::text AS day,
         count(a.id) FILTER (WHERE a.succeeded)::int AS ok, count(a.id) FILTER (WHERE NOT a.succeeded)::int AS failed
    FROM generate_series((now() AT TIME ZONE $1)::date - 13, (now() AT TIME ZONE $1)::date, interval '1 day') d
    LEFT JOIN login_attempt a ON a.at >= d::timestamp AT TIME ZONE $1 AND a.at < (d + interval '1 day')::timestamp AT TIME ZONE $1
   GROUP BY d ORDER BY d`;

export const FAILED_JOBS = `
  SELECT name, count(*)::int AS failed, max(completed_on) AS last_at FROM pgboss.job
   WHERE state = 'failed' GROUP BY name ORDER BY count(*) DESC, name`;

export const STORAGE_BY_KIND = `
  SELECT kind, count(*)::int AS files, sum(size_bytes)::text AS bytes FROM document WHERE deleted_at IS NULL GROUP BY kind ORDER BY sum(size_bytes) DESC`;
