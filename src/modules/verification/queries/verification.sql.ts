/**
 * Verification SQL (#17 "Verified service records"). Checked in so a changed query shows in review.
 */
import { partnerInScopeSql } from '../../../core/auth/region-scope.util';

/**
 * Partners with records in the quarter and no sample yet (optionally one partner): $1 period, $2 partner id or null,
 * $3 a channel manager's region scope or null.
 * A channel manager's own service records (no partner) are not sampled: the managers are the ones who verify.
 */
export const TO_DRAW_SQL = `
  SELECT r.partner_id AS "partnerId", count(*)::int AS n
    FROM service_record r
   WHERE r.period = $1 AND r.partner_id IS NOT NULL AND ($2::int IS NULL OR r.partner_id = $2::int)
     AND ($3::text[] IS NULL OR ${partnerInScopeSql('r.partner_id', '$3')})
     AND NOT EXISTS (SELECT 1 FROM verification_sample s WHERE s.period = $1 AND s.partner_id = r.partner_id)
   GROUP BY r.partner_id`;

/**
 * Draws every planned sample in one statement. A partner that got its sample meanwhile (another click) keeps it:
 * ON CONFLICT skips it and only the samples inserted here get items. Each sample ranks its partner's records by
 * md5(seed:id), so the kept seed reproduces the draw.
 *
 * $1 period  $2 partner ids  $3 record counts  $4 sample sizes  $5 seeds  $6 rule percent  $7 rule min  $8 drawn by
 */
export const DRAW_SQL = `
  WITH plan AS (
    SELECT * FROM unnest($2::int[], $3::int[], $4::int[], $5::text[]) AS p(partner_id, record_count, size, seed)
  ), ins AS (
    INSERT INTO verification_sample (period, partner_id, seed, record_count, sample_size, rule_percent, rule_min, drawn_by)
    SELECT $1::varchar, partner_id, seed, record_count, size, $6::int, $7::int, $8::int FROM plan
    ON CONFLICT (period, partner_id) DO NOTHING
    RETURNING id, partner_id, seed, sample_size
  ), picked AS (
    SELECT ins.id AS sample_id, r.id AS record_id, r.partner_id, ins.sample_size,
           row_number() OVER (PARTITION BY ins.id ORDER BY md5(ins.seed || ':' || r.id::text), r.id) AS k
      FROM ins JOIN service_record r ON r.partner_id = ins.partner_id AND r.period = $1::varchar
  ), items AS (
    INSERT INTO verification_item (sample_id, service_record_id, partner_id, period)
    SELECT sample_id, record_id, partner_id, $1::varchar FROM picked WHERE k <= sample_size
    RETURNING 1
  )
  SELECT (SELECT count(*)::int FROM ins) AS samples, (SELECT count(*)::int FROM items) AS items`;

/** The work list's rows (filters appended by the service). */
export const ITEMS_FROM = `
    FROM verification_item i
    JOIN service_record r ON r.id = i.service_record_id
    JOIN customer c ON c.id = r.customer_id
    JOIN partner p ON p.id = i.partner_id
    LEFT JOIN user_account u ON u.id = i.verified_by`;

export const ITEM_COLUMNS = `
  i.id, i.period, i.status, i.method, i.note, i.verified_at AS "verifiedAt", i.items_unticked AS "itemsUnticked",
  i.quarter_locked AS "quarterLocked", i.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
  r.id::text AS "recordId", r.record_type AS "recordType", r.occurred_at AS "occurredAt", r.description, r.outcome AS "recordOutcome",
  c.id AS "customerId", c.code AS "customerCode", c.name AS "customerName", c.region,
  COALESCE(u.display_name, u.username) AS "verifiedByName"`;

/**
 * Record accuracy per partner and quarter (confirmed / verified) with the sample's progress.
 * $1 period or null, $2 partner ids or null.
 */
export const ACCURACY_SQL = `
  SELECT s.period, s.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
         s.record_count AS "recordCount", s.sample_size AS "sampled",
         count(i.id) FILTER (WHERE i.status <> 'pending')::int AS verified,
         count(i.id) FILTER (WHERE i.status = 'confirmed')::int AS confirmed,
         count(i.id) FILTER (WHERE i.status = 'not_confirmed')::int AS "notConfirmed"
    FROM verification_sample s
    JOIN partner p ON p.id = s.partner_id
    LEFT JOIN verification_item i ON i.sample_id = s.id
   WHERE ($1::varchar IS NULL OR s.period = $1::varchar) AND ($2::int[] IS NULL OR s.partner_id = ANY($2::int[]))
     AND ($3::text[] IS NULL OR p.region = ANY($3::text[]))
   GROUP BY s.id, p.code, p.name
   ORDER BY s.period DESC, p.code`;
