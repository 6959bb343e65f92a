/** Invoices (#16): read-only queries. */

/** $1 line id, $2 partner id or null (a partner's own line only): the line, its batch and its live invoice. */
export const LINE_FOR_INVOICE = `
  SELECT l.id::text AS id, l.partner_id, l.total_pay::text AS total_pay, b.id AS batch_id, b.period, b.status, p.code, p.name,
         (SELECT count(*)::int FROM settlement_invoice i WHERE i.line_id = l.id AND i.status <> 'rejected') AS live
    FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
   WHERE l.id = $1 AND ($2::int IS NULL OR l.partner_id = $2)`;

const LINE_COLUMNS = `
  l.id::text AS line_id, b.id AS batch_id, b.period, b.status AS batch_status, p.code AS partner_code, p.name AS partner_name,
  l.total_pay::text AS total_pay, l.paid_on::text AS paid_on, l.pay_without_invoice_reason AS waiver,
  i.id AS invoice_id, i.invoice_no, i.amount::text AS amount, i.invoice_date::text AS invoice_date, i.tax_rate::text AS tax_rate,
  i.status, i.check_reason, i.document_id, i.submitted_at, (i.amount = l.total_pay) AS matches`;

/**
 * The finance list by default: invoices waiting for a check (each its line's latest), in approved (or later) batches.
 * Starts from the submitted invoices (settlement_invoice_status_idx), not from every paid line: looking up the latest
 * invoice of all 80,000 lines of 8 quarters to keep the few submitted ones cost 300–450 ms. $1/$2 limit/offset.
 */
export const INVOICES_WAITING = `
  SELECT ${LINE_COLUMNS}
    FROM settlement_invoice i JOIN settlement_line l ON l.id = i.line_id JOIN settlement_batch b ON b.id = l.batch_id
    JOIN partner p ON p.id = l.partner_id
   WHERE i.status = 'submitted' AND b.status IN ('approved', 'exported', 'paid')
     AND NOT EXISTS (SELECT 1 FROM settlement_invoice n WHERE n.line_id = i.line_id AND n.id > i.id)
   ORDER BY b.id DESC, p.code LIMIT $1 OFFSET $2`;

/**
 * Every line of one approved (or later) batch with its latest invoice: the page's lines are picked first (by partner
 * code), then only they look up their invoice. $1 batch id, $2/$3 limit/offset.
 */
export const BATCH_LINES_WITH_INVOICES = `
  SELECT ${LINE_COLUMNS}
    FROM (SELECT l.*, p.code, p.name FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
           WHERE b.id = $1 AND b.status IN ('approved', 'exported', 'paid') ORDER BY p.code LIMIT $2 OFFSET $3) l
    JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
    LEFT JOIN LATERAL (SELECT * FROM settlement_invoice x WHERE x.line_id = l.id ORDER BY x.id DESC LIMIT 1) i ON true
   ORDER BY p.code`;

/** $1 line ids: the lines that may not be paid yet — pay to make, no accepted invoice and no reason to pay without (#16). */
export const LINES_BLOCKED_BY_INVOICE = `
  SELECT l.id::text AS id, p.code FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.id = ANY($1::bigint[]) AND l.total_pay > 0 AND l.pay_without_invoice_reason IS NULL
     AND NOT EXISTS (SELECT 1 FROM settlement_invoice i WHERE i.line_id = l.id AND i.status = 'accepted')
   ORDER BY p.code`;
