/** Approval preview, export and statements: read-only queries over a batch's snapshot lines. */

export const PREVIEW_SORTS: Record<string, string> = {
  partner: 'p.code', lines: 'l.accrual_count', accrued: 'l.accrued', score: 'l.score_y', p: 'l.coefficient_p', base: 'l.base_pay', quality: 'l.quality_pay',
  total: 'l.total_pay', carry: 'l.carry_forward', previous: 'previous_total_pay', delta: 'delta', withheld: 'withheld', adjustments: 'l.adjustments',
};

/** $1 batch id, $2 partner code/name pattern: how many lines the filter leaves. */
export const COUNT_LINES = `
  SELECT count(*)::int AS n FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.batch_id = $1 AND (p.code ILIKE $2 OR p.name ILIKE $2)`;

/**
 * $1 batch id, $2 the period compared with, $3/$4 limit/offset, $5 partner code/name pattern or null. Delta vs what the
 * partner was paid for that period (all its live batches but this one): a regular batch compares with the previous
 * quarter, a supplementary one with what was already paid for its own period (#16).
 */
export const previewLines = (sort: string, dir: 'asc' | 'desc') => `
  WITH prev AS (
    SELECT l.partner_id, sum(l.total_pay) AS total_pay FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
     WHERE b.period = $2 AND b.id <> $1 AND b.status IN ('approved','exported','paid') GROUP BY l.partner_id)
  SELECT l.id, l.partner_id, p.code AS partner_code, p.name AS partner_name, l.accrual_count, l.accrued::text, l.score_y::text,
         l.coefficient_p::text, l.p_override_reason, l.score_sheet_revision, l.score_note, l.base_pay::text, l.quality_pay::text,
         l.adjustments::text, l.total_formula::text, l.total_pay::text, l.carry_forward::text,
         l.review_flags, l.review_avg_pay::text, l.flag_ack_at, l.confirmed_at, l.payment_reference, l.paid_on::text AS paid_on, l.pay_without_invoice_reason,
         (SELECT i.status FROM settlement_invoice i WHERE i.line_id = l.id ORDER BY i.id DESC LIMIT 1) AS invoice_status,
         prev.total_pay::text AS previous_total_pay,
         (l.total_pay - coalesce(prev.total_pay, 0))::text AS delta,
         (round(l.accrued, 2) - l.total_formula)::text AS withheld,
         (SELECT count(*)::int FROM settlement_inquiry q WHERE q.batch_id = l.batch_id AND q.partner_id = l.partner_id AND q.status = 'open') AS open_inquiries
    FROM settlement_line l JOIN partner p ON p.id = l.partner_id LEFT JOIN prev ON prev.partner_id = l.partner_id
   WHERE l.batch_id = $1 AND ($5::text IS NULL OR p.code ILIKE $5 OR p.name ILIKE $5)
   ORDER BY ${PREVIEW_SORTS[sort] ?? 'p.code'} ${dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, p.code
   LIMIT $3 OFFSET $4`;

export const PREVIEW_TOTALS = `
  SELECT count(*)::int AS line_count, coalesce(sum(accrued), 0)::text AS accrued, coalesce(sum(base_pay), 0)::text AS base_pay,
         coalesce(sum(quality_pay), 0)::text AS quality_pay, coalesce(sum(adjustments), 0)::text AS adjustments,
         coalesce(sum(total_pay), 0)::text AS total_pay, coalesce(sum(carry_forward), 0)::text AS carry_forward,
         coalesce(sum(round(accrued, 2) - total_formula), 0)::text AS withheld
    FROM settlement_line WHERE batch_id = $1`;

export const EXPORT_LINES = `
  SELECT p.code, p.name, p.bank_name, p.bank_account_name, p.bank_account_no, l.accrued::text, l.score_y::text, l.coefficient_p::text, l.base_pay::text,
         l.quality_pay::text, l.adjustments::text, l.total_pay::text
    FROM settlement_line l JOIN partner p ON p.id = l.partner_id WHERE l.batch_id = $1 ORDER BY p.code`;

export const OPEN_INQUIRIES = `
  SELECT q.id, q.partner_id, p.code AS partner_code, p.name AS partner_name, q.amount::text, q.reason, q.raised_at
    FROM settlement_inquiry q JOIN partner p ON p.id = q.partner_id WHERE q.batch_id = $1 AND q.status = 'open' ORDER BY q.id`;

/** lines flagged for a second look (#16) that no approver has ticked yet */
export const UNACKNOWLEDGED_FLAGS = `
  SELECT l.id::text AS id, p.code AS partner_code, p.name AS partner_name, l.total_pay::text, l.review_avg_pay::text, l.review_flags
    FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.batch_id = $1 AND cardinality(l.review_flags) > 0 AND l.flag_ack_at IS NULL ORDER BY p.code LIMIT 500`;
