/**
 * The records CSV import, set-based: rows are streamed into a temporary staging table (`%T`, unique per import),
 * refused rows are found with SQL, then one INSERT … SELECT writes every record and one UPDATE ticks the checklist.
 * The first statements take the table name; `$1` is the importing partner where used.
 */
export const STAGING_COLUMNS = [
  { name: 'row_no', type: 'int' }, { name: 'customer_code', type: 'text' }, { name: 'ok', type: 'boolean' },
  { name: 'record_type', type: 'text' }, { name: 'occurred_at', type: 'timestamptz' }, { name: 'received_at', type: 'timestamptz' },
  { name: 'local_date', type: 'date' }, { name: 'period', type: 'text' }, { name: 'description', type: 'text' },
  { name: 'outcome', type: 'text' }, { name: 'amount', type: 'numeric' }, { name: 'attachments', type: 'text' },
];

export const createStaging = (t: string) => `CREATE TEMP TABLE ${t} (${STAGING_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`;

/**
 * The database rules over all staged rows in one pass ($1 = most rows returned, $2 = the importing partner):
 * a code that names no customer (rows with an empty code were refused while reading); on rows whose fields passed,
 * not the partner's customer on the record's date (the same words whether someone else's or unassigned then) and a
 * record in a locked quarter. `total` counts every refusal, also those past $1.
 */
export const databaseRules = (t: string) => `
  WITH s AS MATERIALIZED (
    SELECT s.row_no, s.customer_code, s.ok, s.local_date, s.period, c.id AS customer_id
      FROM ${t} s LEFT JOIN customer c ON c.code = s.customer_code
     WHERE s.customer_code <> ''),
  refused AS (
    SELECT row_no, 1 AS rule, 'customer_code' AS field, 'duties:csv.noCustomer' AS message, json_build_object('code', customer_code) AS params
      FROM s WHERE customer_id IS NULL
    UNION ALL
    SELECT row_no, 2, 'customer_code', 'duties:csv.notYours', json_build_object('code', customer_code, 'date', to_char(local_date, 'YYYY-MM-DD'))
      FROM s
     WHERE ok AND customer_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM customer_assignment a
                        WHERE a.customer_id = s.customer_id AND a.partner_id = $2
                          AND a.valid_from <= s.local_date AND (a.valid_to IS NULL OR a.valid_to > s.local_date))
    UNION ALL
    SELECT s.row_no, 3, 'occurred_at', 'duties:csv.locked', json_build_object('period', s.period)
      FROM s JOIN period_lock l ON l.period = s.period
     WHERE s.ok AND s.customer_id IS NOT NULL)
  SELECT row_no AS "row", field AS "column", message, params, count(*) OVER () AS total FROM refused ORDER BY row_no, rule LIMIT $1`;

/**
 * Every staged row becomes a record. A handled complaint gets its class's time limit from the template of the
 * customer's stage (else the default hours per class, $3–$5) and whether it was handled within it.
 *  $1 partner id  $2 created by  $3/$4/$5 default hours for classes A/B/C
 */
export const insertRecords = (t: string) => `
  WITH ins AS (
  INSERT INTO service_record (partner_id, customer_id, period, record_type, occurred_at, received_at, description, outcome,
                              amount, attachment_names, complaint_sla_hours, complaint_on_time, created_by)
  SELECT $1::int, c.id, s.period, s.record_type, s.occurred_at, s.received_at, s.description, s.outcome, s.amount,
         s.attachments::text[], sla.h, CASE WHEN sla.h IS NULL THEN NULL ELSE s.occurred_at - s.received_at <= make_interval(hours => sla.h) END, $2::int
    FROM ${t} s
    JOIN customer c ON c.code = s.customer_code
    LEFT JOIN LATERAL (
      SELECT CASE WHEN s.record_type = 'complaint_handled' AND s.received_at IS NOT NULL THEN coalesce(
        (SELECT CASE c.customer_class WHEN 'A' THEN dt.hours_a WHEN 'B' THEN dt.hours_b ELSE dt.hours_c END
           FROM duty_template dt
          WHERE dt.stage = c.stage AND dt.deadline_kind = 'within_hours' AND 'complaint_handled' = ANY(dt.record_types)
          ORDER BY dt.active DESC, dt.id LIMIT 1),
        CASE c.customer_class WHEN 'A' THEN $3::int WHEN 'B' THEN $4::int ELSE $5::int END) END AS h) sla ON true
   ORDER BY s.row_no
  RETURNING 1)
  SELECT count(*)::int AS n FROM ins`;

/**
 * The checklist ticks of all imported records at once — the set form of tickItemsSql applied record by record: an
 * open item counts each matching record until it reaches its required count (then it is fulfilled and counts no
 * more). Returns the number of ticks. $1 partner id
 */
export const tickItems = (t: string) => `
  WITH hits AS (
    SELECT ci.id, LEAST(count(*), GREATEST(ci.required_count - ci.fulfilled_count, 1))::int AS k
      FROM ${t} s
      JOIN customer c ON c.code = s.customer_code
      JOIN checklist_item ci ON ci.customer_id = c.id AND ci.period = s.period AND ci.partner_id = $1 AND ci.status = 'open'
      JOIN duty_template dt ON dt.id = ci.duty_template_id AND s.record_type = ANY(dt.record_types)
     GROUP BY ci.id, ci.required_count, ci.fulfilled_count
  )
  , upd AS (
  UPDATE checklist_item ci
     SET fulfilled_count = ci.fulfilled_count + h.k,
         status = CASE WHEN ci.fulfilled_count + h.k >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
         fulfilled_at = CASE WHEN ci.fulfilled_count + h.k >= ci.required_count THEN now() END
    FROM hits h
   WHERE ci.id = h.id
  RETURNING h.k)
  SELECT coalesce(sum(k), 0)::int AS n FROM upd`;
