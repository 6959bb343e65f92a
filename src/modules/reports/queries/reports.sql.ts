import { P_OF_Y } from './dashboard.sql';

/**
 * The reports as set-based SQL. Each builder returns one SELECT over named columns; the service wraps it for the
 * total, the sort (declared expressions only), the page, or the whole export. Money and Y/P leave as text.
 * Parameters are positional and filled by the builder from a checked filter, never spliced into the text.
 */
export interface ReportFilter {
  period: string; from: string; to: string;
  region?: string; tier?: string; product?: string; stage?: string; q?: string; target?: string;
  /** a channel manager's regions (#17): only partners there; null or absent = everywhere */
  scope?: string[] | null;
}
export interface BuiltQuery { text: string; params: unknown[] }

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string { this.values.push(v); return `$${this.values.length}`; }
}

/** partner code or name starting with q (case-insensitive, indexed prefix) */
const partnerMatch = (p: Params, q: string | undefined, alias = 'pa') => {
  if (!q) return '';
  const ref = p.add(q.replace(/[\\%_]/g, '\\$&') + '%');
  return ` AND (${alias}.code ILIKE ${ref} OR lower(${alias}.name) LIKE lower(${ref}))`;
};

const inScope = (p: Params, f: ReportFilter, alias = 'pa') => (f.scope ? ` AND ${alias}.region = ANY(${p.add(f.scope)}::text[])` : '');

const regionTier = (p: Params, f: ReportFilter, alias = 'pa') =>
  (f.region ? ` AND ${alias}.region = ${p.add(f.region)}` : '') + (f.tier ? ` AND ${alias}.tier = ${p.add(f.tier)}` : '') + inScope(p, f, alias);

/** Partner ranking of a quarter: rank by Y, P, accrued and pay of the quarter's batches (not cancelled), tier, region. */
export function rankingQuery(f: ReportFilter): BuiltQuery {
  const p = new Params();
  const period = p.add(f.period);
  const text = `
    WITH s AS (SELECT DISTINCT ON (partner_id) partner_id, score_y FROM score_sheet
                WHERE period = ${period} AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC),
         l AS (SELECT l.partner_id, sum(l.accrued) AS accrued, sum(l.total_pay) AS pay FROM settlement_line l
                 JOIN settlement_batch b ON b.id = l.batch_id WHERE b.period = ${period} AND b.status <> 'cancelled' GROUP BY l.partner_id)
    SELECT rank() OVER (ORDER BY s.score_y DESC NULLS LAST)::int AS rank, pa.id AS partner_id, pa.code, pa.name, pa.region, pa.tier,
           s.score_y AS y_num, s.score_y::text AS y, (${P_OF_Y('s.score_y')})::text AS p,
           COALESCE(l.accrued, 0) AS accrued_num, COALESCE(l.accrued, 0)::text AS accrued, COALESCE(l.pay, 0) AS pay_num, COALESCE(l.pay, 0)::text AS pay
      FROM s FULL JOIN l ON l.partner_id = s.partner_id JOIN partner pa ON pa.id = COALESCE(s.partner_id, l.partner_id)
     WHERE true${regionTier(p, f)}${partnerMatch(p, f.q)}`;
  return { text, params: p.values };
}

/**
 * Commission cost analysis (营销费用分析) across quarters, regions and products: each partner's accruals per product at
 * its 90 % + 10 % × P of that quarter's regular batch; withheld = accrued × 10 % × (1 − P). Summed per partner and
 * product first (hash aggregates; a count(DISTINCT) forced a sort of every accrual line), then per region.
 */
export function costQuery(f: ReportFilter): BuiltQuery {
  const p = new Params();
  const text = `
    WITH pp AS (SELECT a.period, a.partner_id, a.product, sum(a.amount) AS amount FROM accrual_line a
                 WHERE a.period BETWEEN ${p.add(f.from)} AND ${p.add(f.to)}${f.product ? ` AND a.product = ${p.add(f.product)}` : ''}
                 GROUP BY a.period, a.partner_id, a.product)
    SELECT pp.period, pa.region, pp.product, count(*)::int AS partners,
           sum(pp.amount) AS accrued_num, sum(pp.amount)::text AS accrued,
           round(sum(pp.amount * (0.9 + 0.1 * l.coefficient_p)), 2) AS cost_num, round(sum(pp.amount * (0.9 + 0.1 * l.coefficient_p)), 2)::text AS cost,
           round(sum(pp.amount * 0.1 * (1 - l.coefficient_p)), 2)::text AS withheld
      FROM pp
      JOIN settlement_batch b ON b.period = pp.period AND b.kind = 'regular' AND b.status <> 'cancelled'
      JOIN settlement_line l ON l.batch_id = b.id AND l.partner_id = pp.partner_id
      JOIN partner pa ON pa.id = pp.partner_id
     WHERE true${regionTier(p, f)}
     GROUP BY pp.period, pa.region, pp.product`;
  return { text, params: p.values };
}

/** Duty completion of a quarter by partner and lifecycle stage, with the items still open after their due date. */
export function dutiesQuery(f: ReportFilter, today: string): BuiltQuery {
  const p = new Params();
  const text = `
    SELECT pa.id AS partner_id, pa.code, pa.name, pa.region, ci.stage,
           sum(ci.required_count)::int AS required, sum(LEAST(ci.fulfilled_count, ci.required_count))::int AS fulfilled,
           CASE WHEN sum(ci.required_count) > 0 THEN round(100.0 * sum(LEAST(ci.fulfilled_count, ci.required_count)) / sum(ci.required_count), 1) END AS rate_num,
           (CASE WHEN sum(ci.required_count) > 0 THEN round(100.0 * sum(LEAST(ci.fulfilled_count, ci.required_count)) / sum(ci.required_count), 1) END)::text AS rate,
           count(*) FILTER (WHERE ci.status = 'open' AND ci.due_date < ${p.add(today)}::date)::int AS overdue
      FROM checklist_item ci JOIN partner pa ON pa.id = ci.partner_id
     WHERE ci.period = ${p.add(f.period)} AND ci.status <> 'not_applicable'${f.stage ? ` AND ci.stage = ${p.add(f.stage)}` : ''}${regionTier(p, f)}${partnerMatch(p, f.q)}
     GROUP BY pa.id, pa.code, pa.name, pa.region, ci.stage`;
  return { text, params: p.values };
}

/** Violations (recorded, not voided) and exits by quarter and region. Quarters of business dates. */
export function violationsExitsQuery(f: ReportFilter, tz: string): BuiltQuery {
  const p = new Params();
  const from = p.add(f.from), to = p.add(f.to), zone = p.add(tz);
  const region = (f.region ? ` AND pa.region = ${p.add(f.region)}` : '') + inScope(p, f);
  const text = `
    WITH v AS (SELECT to_char(v.occurred_on, 'YYYY"Q"Q') AS period, pa.region,
                      count(*) FILTER (WHERE v.severity = 'minor')::int AS minor, count(*) FILTER (WHERE v.severity = 'major')::int AS major,
                      COALESCE(sum(v.penalty_amount), 0) AS penalties
                 FROM violation v JOIN partner pa ON pa.id = v.partner_id WHERE v.status = 'recorded'${region} GROUP BY 1, 2),
         e AS (SELECT to_char(e.proposed_at AT TIME ZONE ${zone}, 'YYYY"Q"Q') AS period, pa.region,
                      count(*)::int AS proposed, count(*) FILTER (WHERE e.status IN ('approved','completed'))::int AS approved,
                      count(*) FILTER (WHERE e.status = 'completed')::int AS completed
                 FROM exit_proposal e JOIN partner pa ON pa.id = e.partner_id WHERE true${region} GROUP BY 1, 2)
    SELECT COALESCE(v.period, e.period) AS period, COALESCE(v.region, e.region) AS region,
           COALESCE(v.minor, 0) AS minor, COALESCE(v.major, 0) AS major, COALESCE(v.penalties, 0) AS penalties_num, COALESCE(v.penalties, 0)::text AS penalties,
           COALESCE(e.proposed, 0) AS exits_proposed, COALESCE(e.approved, 0) AS exits_approved, COALESCE(e.completed, 0) AS exits_completed
      FROM v FULL JOIN e ON e.period = v.period AND e.region = v.region
     WHERE COALESCE(v.period, e.period) BETWEEN ${from} AND ${to}`;
  return { text, params: p.values };
}

/**
 * Complaint timeliness (投诉处理及时率) by partner and quarter from the complaint work orders, as the complaints module
 * counts it: orders received in the quarter (business time zone) that are resolved or already past due; on time =
 * first resolved no later than due. Against the target given, else the complaints setting's target.
 */
export function complaintsQuery(f: ReportFilter, tz: string): BuiltQuery {
  const p = new Params();
  const zone = p.add(tz);
  const target = `COALESCE(${p.add(f.target ?? null)}::numeric, (SELECT timeliness_target FROM complaint_setting WHERE id = 1), 98.00)`;
  const rate = `round(100.0 * count(*) FILTER (WHERE o.first_resolved_at <= o.due_at) / count(*), 1)`;
  const text = `
    SELECT to_char(o.received_at AT TIME ZONE ${zone}, 'YYYY"Q"Q') AS period, pa.id AS partner_id, pa.code, pa.name, pa.region,
           count(*)::int AS handled, count(*) FILTER (WHERE o.first_resolved_at <= o.due_at)::int AS on_time,
           ${rate} AS rate_num, ${rate}::text AS rate, ${target}::numeric(5,2)::text AS target, ${rate} >= ${target} AS met
      FROM complaint o JOIN partner pa ON pa.id = o.partner_id
     WHERE (o.first_resolved_at IS NOT NULL OR o.due_at < now())
       AND to_char(o.received_at AT TIME ZONE ${zone}, 'YYYY"Q"Q') BETWEEN ${p.add(f.from)} AND ${p.add(f.to)}${regionTier(p, f)}${partnerMatch(p, f.q)}
     GROUP BY 1, pa.id, pa.code, pa.name, pa.region`;
  return { text, params: p.values };
}
