/** A work order with the names a page shows. */
export const SELECT_COMPLAINTS = `
  SELECT o.id, o.customer_id AS "customerId", o.partner_id AS "partnerId", o.manager_user_id AS "managerUserId", o.customer_class AS "customerClass",
         o.kind, o.category, o.description, o.source, o.reference, o.received_at AS "receivedAt", o.limit_hours AS "limitHours", o.due_at AS "dueAt",
         o.status, o.escalated_at AS "escalatedAt", o.escalated_auto AS "escalatedAuto", o.escalation_reason AS "escalationReason",
         o.started_at AS "startedAt", o.resolved_at AS "resolvedAt", o.first_resolved_at AS "firstResolvedAt", o.root_cause AS "rootCause",
         o.corrective_action AS "correctiveAction", o.visit_due_at AS "visitDueAt", o.visited_at AS "visitedAt", o.satisfaction,
         o.reopen_count AS "reopenCount", o.closed_at AS "closedAt", o.created_at AS "createdAt",
         c.code AS "customerCode", c.name AS "customerName", c.region,
         p.code AS "partnerCode", p.name AS "partnerName", COALESCE(NULLIF(u.display_name, ''), u.username) AS "managerName"
    FROM complaint o
    JOIN customer c ON c.id = o.customer_id
    LEFT JOIN partner p ON p.id = o.partner_id
    LEFT JOIN user_account u ON u.id = o.manager_user_id`;

/** The customer's holder today ($1 customer, $2 today): a partner or a channel manager. */
export const HOLDER_SQL = `
  SELECT partner_id AS "partnerId", manager_user_id AS "managerUserId" FROM customer_assignment
   WHERE customer_id = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)`;

/** Marks every unfinished, not yet escalated order past its due time ($1 now) as escalated, in one statement. */
export const ESCALATE_OVERDUE_SQL = `
  WITH due AS (
    SELECT id, status FROM complaint
     WHERE status IN ('open','in_progress') AND escalated_at IS NULL AND due_at < $1
     ORDER BY id FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE complaint o SET escalated_at = $1, escalated_auto = true, updated_at = now() FROM due WHERE o.id = due.id RETURNING o.id, o.status
  )
  INSERT INTO complaint_event (complaint_id, action, from_status, to_status, at)
  SELECT id, 'escalate', status, status, $1 FROM upd
  RETURNING complaint_id AS id`;

/** Dissatisfied return visits over all of a customer's work orders. */
export const DISSATISFIED_VISITS_SQL = `
  SELECT count(*)::int AS n FROM complaint_event e JOIN complaint o ON o.id = e.complaint_id
   WHERE o.customer_id = $1 AND e.action = 'visit' AND e.satisfaction = 'dissatisfied'`;

/**
 * Complaint timeliness of a quarter from the work orders ($1 start of the first day, $2 start of the day after the last — instants in the business time zone — $3 now): orders received
 * in the quarter that are either resolved or already past due; on time = first resolved no later than due.
 * Grouped by partner (the holder when opened) and by the customer's region.
 */
const TIMELINESS_BASE = `
  FROM complaint o JOIN customer c ON c.id = o.customer_id
 WHERE o.received_at >= $1 AND o.received_at < $2
   AND (o.first_resolved_at IS NOT NULL OR o.due_at < $3)`;
const TIMELINESS_COUNTS = `count(*)::int AS total, count(*) FILTER (WHERE o.first_resolved_at <= o.due_at)::int AS "onTime"`;

export const TIMELINESS_BY_PARTNER_SQL = `
  SELECT o.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName", p.region AS "partnerRegion", ${TIMELINESS_COUNTS}
  ${TIMELINESS_BASE.replace('JOIN customer c ON c.id = o.customer_id', 'JOIN customer c ON c.id = o.customer_id JOIN partner p ON p.id = o.partner_id')}
  GROUP BY o.partner_id, p.code, p.name, p.region ORDER BY p.code`;

export const TIMELINESS_BY_REGION_SQL = `
  SELECT c.region, ${TIMELINESS_COUNTS} ${TIMELINESS_BASE} GROUP BY c.region ORDER BY c.region`;

export const TIMELINESS_OF_PARTNER_SQL = `
  SELECT ${TIMELINESS_COUNTS} ${TIMELINESS_BASE} AND o.partner_id = $4`;
