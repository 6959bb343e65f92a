/** Invoices (#16): read-only queries. */

/** $1 line id, $2 partner id or null (a partner's own line only): the line, its batch and its live invoice. */
export const LINE_FOR_INVOICE = `
  SELECT l.id::text AS id, l.partner_id, l.total_pay::text AS total_pay, b.id AS batch_id, b.period, b.status, p.code, p.name,
         (SELECT count(*)::int FROM settlement_invoice i WHERE i.line_id = l.id AND i.status <> 'rejected') AS live
    FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
   WHERE l.id = $1 AND ($2::int IS NULL OR l.partner_id = $2)`;

/**
 * The finance list: lines of approved (or later) batches with their latest invoice. $1 batch id or null (null: only
 * invoices waiting for a check), $2/$3 limit/offset.
 */
export const LINES_WITH_INVOICES = `
  SELECT l.id::text AS line_id, b.id AS batch_id, b.period, b.status AS batch_status, p.code AS partner_code, p.name AS partner_name,
         l.total_pay::text AS total_pay, l.paid_on::text AS paid_on, l.pay_without_invoice_reason AS waiver,
         i.id AS invoice_id, i.invoice_no, i.amount::text AS amount, i.invoice_date::text AS invoice_date, i.tax_rate::text AS tax_rate,
         i.status, i.check_reason, i.document_id, i.submitted_at, (i.amount = l.total_pay) AS matches
    FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
    LEFT JOIN LATERAL (SELECT * FROM settlement_invoice x WHERE x.line_id = l.id ORDER BY x.id DESC LIMIT 1) i ON true
   WHERE b.status IN ('approved', 'exported', 'paid')
     AND (($1::int IS NOT NULL AND b.id = $1) OR ($1::int IS NULL AND i.status = 'submitted'))
   ORDER BY b.id DESC, p.code LIMIT $2 OFFSET $3`;

/** $1 line ids: the lines that may not be paid yet — pay to make, no accepted invoice and no reason to pay without (#16). */
export const LINES_BLOCKED_BY_INVOICE = `
  SELECT l.id::text AS id, p.code FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.id = ANY($1::bigint[]) AND l.total_pay > 0 AND l.pay_without_invoice_reason IS NULL
     AND NOT EXISTS (SELECT 1 FROM settlement_invoice i WHERE i.line_id = l.id AND i.status = 'accepted')
   ORDER BY p.code`;
