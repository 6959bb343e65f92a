/**
 * The set-based checklist generation, shared by DutiesService and the benchmark: one INSERT … SELECT for every
 * customer × active template of the customer's stage, holder = the partner holding the customer on the reference
 * day, idempotent through the unique key (period, customer_id, duty_template_id, stage).
 *
 * Parameters: $1 period code, $2 quarter start, $3 quarter end, $4 reference day for the holder.
 * The SELECT mirrors requiredFor() and dueDateFor() in duty-rules.util.ts.
 */
export const CHECKLIST_SELECT = `
  SELECT $1::varchar AS period, c.id AS customer_id, t.id AS duty_template_id, c.stage, a.partner_id,
         CASE c.customer_class WHEN 'A' THEN t.required_a WHEN 'B' THEN t.required_b ELSE t.required_c END AS required_count,
         CASE WHEN t.due_days IS NULL THEN $3::date ELSE LEAST($3::date, $2::date + (t.due_days - 1)) END AS due_date
    FROM customer c
    JOIN duty_template t ON t.stage = c.stage AND t.active
    LEFT JOIN customer_assignment a
      ON a.customer_id = c.id AND a.valid_from <= $4::date AND (a.valid_to IS NULL OR a.valid_to > $4::date)
   WHERE CASE c.customer_class WHEN 'A' THEN t.required_a WHEN 'B' THEN t.required_b ELSE t.required_c END > 0`;

export const CHECKLIST_COLUMNS = 'period, customer_id, duty_template_id, stage, partner_id, required_count, due_date';

export const GENERATE_CHECKLIST_SQL = `
  INSERT INTO checklist_item (${CHECKLIST_COLUMNS})
  ${CHECKLIST_SELECT}
  ON CONFLICT (period, customer_id, duty_template_id, stage) DO NOTHING`;
