/**
 * Service-record writes. Checked in so a changed query shows in review.
 *
 * tickItemsSql: count one record against the open checklist items it fulfils — the SQL form of tickItem() in
 * duty-rules.util.ts. Placeholders are passed in because the statement is used alone (CSV import) and inside
 * SUBMIT_RECORD_SQL.
 */
export function tickItemsSql(p: { customerId: string; period: string; partnerId: string; recordType: string; holder?: string }, guard = ''): string {
  return `UPDATE checklist_item ci
             SET fulfilled_count = ci.fulfilled_count + 1,
                 status = CASE WHEN ci.fulfilled_count + 1 >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
                 fulfilled_at = CASE WHEN ci.fulfilled_count + 1 >= ci.required_count THEN now() END
            FROM duty_template t
           WHERE t.id = ci.duty_template_id AND ci.customer_id = ${p.customerId} AND ci.period = ${p.period}
             AND ${p.holder ?? `ci.partner_id = ${p.partnerId}`} AND ci.status = 'open' AND ${p.recordType} = ANY(t.record_types) ${guard}
          RETURNING 1`;
}

/**
 * One submitted record in one statement (one round trip, atomic on its own): the record is written only when the
 * customer was held by its holder on the record's date and the quarter is not locked; then the matching checklist
 * items are ticked and the audit entry is written. No row back means refused: the caller finds out why.
 *
 * The holder is a partner, or (#17) a channel manager who held the customer that day: a manager's record ticks the
 * customer's manager-held items (partner_id NULL: the checklist's holder is whoever held the customer on the reference
 * day, and a customer has one holder at a time), never a partner's.
 *
 *  $1 customer id   $2 partner id / manager user id   $3 local date of the work   $4 period code   $5 record type
 *  $6 occurred at   $7 received at   $8 description  $9 outcome   $10 amount   $11 attachment names
 * $12 complaint SLA hours   $13 complaint on time   $14 created by (user id)   $15 audit actor user id
 * $16 audit actor label   $17 audit "after" without the tick count
 */
function submitRecordSql(holder: 'partner' | 'manager'): string {
  const byPartner = holder === 'partner';
  const holderColumn = byPartner ? 'partner_id' : 'manager_user_id';
  const tick = byPartner
    ? tickItemsSql({ customerId: '$1', period: '$4', partnerId: '$2', recordType: '$5' }, 'AND EXISTS (SELECT 1 FROM rec)')
    : tickItemsSql({ customerId: '$1', period: '$4', partnerId: '', recordType: '$5', holder: 'ci.partner_id IS NULL' }, 'AND EXISTS (SELECT 1 FROM rec)');
  return `
  WITH allowed AS (
    SELECT c.id FROM customer c
     WHERE c.id = $1
       AND EXISTS (SELECT 1 FROM customer_assignment a
                    WHERE a.customer_id = c.id AND a.${holderColumn} = $2
                      AND a.valid_from <= $3::date AND (a.valid_to IS NULL OR a.valid_to > $3::date))
       AND NOT EXISTS (SELECT 1 FROM period_lock l WHERE l.period = $4)
  ), rec AS (
    INSERT INTO service_record (${holderColumn}, customer_id, period, record_type, occurred_at, received_at, description, outcome,
                                amount, attachment_names, complaint_sla_hours, complaint_on_time, created_by)
    SELECT $2::int, allowed.id, $4::varchar, $5::varchar, $6::timestamptz, $7::timestamptz, $8::text, $9::text, $10::numeric,
           $11::text[], $12::int, $13::boolean, $14::int
      FROM allowed
    RETURNING id, period, complaint_on_time
  ), tick AS (
    ${tick}
  ), audit AS (
    INSERT INTO audit_log (actor_user_id, actor_label, action, entity_type, entity_id, partner_id, after)
    SELECT $15::int, $16::varchar, 'record.create', 'service_record', rec.id::text, ${byPartner ? '$2::int' : 'NULL'}, $17::jsonb || jsonb_build_object('ticked', (SELECT count(*) FROM tick))
      FROM rec
  )
  -- data-modifying CTEs always run to completion, read or not (so the audit entry needs no reference here)
  SELECT rec.id, rec.period, rec.complaint_on_time AS "complaintOnTime", (SELECT count(*)::int FROM tick) AS ticked
    FROM rec`;
}

/** A partner's record for a customer it held that day. */
export const SUBMIT_RECORD_SQL = submitRecordSql('partner');

/** A channel manager's record for a customer the manager held that day (#17). */
export const SUBMIT_MANAGER_RECORD_SQL = submitRecordSql('manager');

/** What a complaint record needs to judge its time limit: the customer's class and the hours its stage's template sets. */
export const COMPLAINT_RULE_SQL = `
  SELECT c.customer_class AS "customerClass", t.hours_a AS "hoursA", t.hours_b AS "hoursB", t.hours_c AS "hoursC"
    FROM customer c
    LEFT JOIN LATERAL (
      SELECT hours_a, hours_b, hours_c FROM duty_template
       WHERE stage = c.stage AND deadline_kind = 'within_hours' AND 'complaint_handled' = ANY(record_types)
       ORDER BY active DESC, id LIMIT 1) t ON true
   WHERE c.id = $1`;
