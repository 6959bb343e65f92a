/** Set-based checks and the final insert of an accrual import. All run on the import's own connection and transaction. */

export const CREATE_STAGING = `
  CREATE TEMP TABLE accrual_staging (
    row_no integer NOT NULL, partner_code text NOT NULL, customer_code text NOT NULL, product text NOT NULL,
    accrual_date date NOT NULL, amount numeric(14,2) NOT NULL, reference text NOT NULL
  ) ON COMMIT DROP`;

/** The staging columns as the shared staging sink writes them (COPY text format on PostgreSQL, unnest() on PGlite). */
export const STAGING_COLUMNS = [
  { name: 'row_no', type: 'integer' }, { name: 'partner_code', type: 'text' }, { name: 'customer_code', type: 'text' }, { name: 'product', type: 'text' },
  { name: 'accrual_date', type: 'date' }, { name: 'amount', type: 'numeric' }, { name: 'reference', type: 'text' },
];

/** $1 = max rows per check */
export const UNKNOWN_PARTNER = `
  SELECT s.row_no AS row, 'partner_code' AS column, 'settlement:csv.unknownPartner' AS message, json_build_object('code', s.partner_code) AS params
    FROM accrual_staging s LEFT JOIN partner p ON p.code = s.partner_code
   WHERE p.id IS NULL ORDER BY s.row_no LIMIT $1`;

export const DUPLICATE_IN_FILE = `
  WITH d AS (SELECT reference, min(row_no) AS first_row FROM accrual_staging GROUP BY reference HAVING count(*) > 1)
  SELECT s.row_no AS row, 'reference' AS column, 'settlement:csv.duplicateReference' AS message, json_build_object('reference', s.reference, 'firstRow', d.first_row) AS params
    FROM accrual_staging s JOIN d ON d.reference = s.reference
   WHERE s.row_no <> d.first_row ORDER BY s.row_no LIMIT $1`;

export const ALREADY_IMPORTED = `
  SELECT s.row_no AS row, 'reference' AS column,
         'settlement:csv.alreadyImported' AS message, json_build_object('reference', s.reference, 'importId', l.import_id, 'period', l.period) AS params,
         s.reference, l.import_id
    FROM accrual_staging s JOIN accrual_line l ON l.reference = s.reference
   ORDER BY s.row_no LIMIT $1`;

export const COUNT_ALREADY_IMPORTED = `SELECT count(*)::int AS n FROM accrual_staging s JOIN accrual_line l ON l.reference = s.reference`;

/**
 * Partner not in a working status (active, suspended, exiting) on the accrual date: the same rule as
 * PartnersService.workingOn, for all rows at once. Status intervals [effective_on, next effective_on) come from the
 * history; several changes on one day leave only the last one in force.
 */
export const PARTNER_NOT_WORKING = `
  WITH pairs AS (
    SELECT DISTINCT p.id AS partner_id, s.partner_code, s.accrual_date
      FROM accrual_staging s JOIN partner p ON p.code = s.partner_code),
  h AS (
    SELECT partner_id, to_status, effective_on AS from_on,
           lead(effective_on) OVER (PARTITION BY partner_id ORDER BY effective_on, changed_at, id) AS to_on
      FROM partner_status_history WHERE partner_id IN (SELECT partner_id FROM pairs)),
  bad AS (
    SELECT pr.partner_code, pr.accrual_date, h.to_status
      FROM pairs pr
      LEFT JOIN h ON h.partner_id = pr.partner_id AND h.from_on <= pr.accrual_date AND (h.to_on IS NULL OR pr.accrual_date < h.to_on)
     WHERE h.to_status IS NULL OR h.to_status NOT IN ('active','suspended','exiting'))
  SELECT s.row_no AS row, 'accrual_date' AS column,
         CASE WHEN bad.to_status IS NULL THEN 'settlement:csv.notYetPartner' ELSE 'settlement:csv.notActive' END AS message,
         json_build_object('code', s.partner_code, 'date', to_char(s.accrual_date, 'YYYY-MM-DD'), 'status', coalesce('settlement:partnerStatus.' || bad.to_status, '')) AS params
    FROM accrual_staging s JOIN bad ON bad.partner_code = s.partner_code AND bad.accrual_date = s.accrual_date
   ORDER BY s.row_no LIMIT $1`;

/**
 * Customer handed over: the accrual is dated on or after the customer's assignment to another partner but still names
 * the old partner. Only used when the customers module's tables exist ($2 = assignment start column, $3 = end column
 * are spliced in by the service after checking information_schema).
 */
export const customerHandedOver = (fromCol: string, toCol: string) => `
  SELECT s.row_no AS row, 'customer_code' AS column,
         'settlement:csv.customerHandedOver' AS message,
         json_build_object('customer', s.customer_code, 'newPartner', coalesce(np.code, '—'), 'date', to_char(s.accrual_date, 'YYYY-MM-DD'), 'code', s.partner_code) AS params
    FROM accrual_staging s
    JOIN partner p ON p.code = s.partner_code
    JOIN customer c ON c.code = s.customer_code
    JOIN customer_assignment a ON a.customer_id = c.id AND a.${fromCol} <= s.accrual_date AND (a.${toCol} IS NULL OR s.accrual_date < a.${toCol})
    LEFT JOIN partner np ON np.id = a.partner_id
   WHERE a.partner_id IS DISTINCT FROM p.id
     AND EXISTS (SELECT 1 FROM customer_assignment old WHERE old.customer_id = c.id AND old.partner_id = p.id AND old.${toCol} IS NOT NULL AND old.${toCol} <= s.accrual_date)
   ORDER BY s.row_no LIMIT $1`;

export const STAGING_TOTALS = `SELECT count(*)::int AS line_count, coalesce(sum(amount), 0)::text AS total FROM accrual_staging`;

export const INSERT_IMPORT = `
  INSERT INTO accrual_import (period, file_name, line_count, total_amount, imported_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`;

export const insertLines = (withCustomer: boolean) => `
  INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_id, customer_code, product, accrual_date, amount, reference)
  SELECT $1, $2, s.row_no, p.id, ${withCustomer ? 'c.id' : 'NULL'}, s.customer_code, s.product, s.accrual_date, s.amount, s.reference
    FROM accrual_staging s JOIN partner p ON p.code = s.partner_code
    ${withCustomer ? 'LEFT JOIN customer c ON c.code = s.customer_code' : ''}
   ORDER BY s.row_no`;
