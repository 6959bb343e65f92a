/** Open checklist items past their due date, per partner (NULL: customers held by a channel manager). */
export const OVERDUE_BY_PARTNER = `
  SELECT partner_id AS "partnerId", count(*)::int AS count, min(due_date)::text AS "earliestDue"
    FROM checklist_item WHERE status = 'open' AND due_date < $1
   GROUP BY partner_id`;
