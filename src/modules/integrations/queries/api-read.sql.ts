/**
 * Read-only pages of the machine API, keyset-paginated (stable order, no offset drift while data changes).
 * They read the partners' and settlement's tables directly: a read model of their own, the writes go through the
 * owning modules' services.
 */
export const PARTNERS_PAGE = `
  SELECT p.code, p.name, p.status, p.tier, p.cooperation_type AS "cooperationType", p.region, p.certification_id AS "certificationId",
         p.contract_signed_on::text AS "contractSignedOn", p.updated_at AS "updatedAt"
    FROM partner p
   WHERE ($1::text IS NULL OR p.code > $1) AND ($2::text IS NULL OR p.status = $2)
   ORDER BY p.code LIMIT $3`;

export const PARTNER_BY_CODE = PARTNERS_PAGE.replace('WHERE ($1::text IS NULL OR p.code > $1)', 'WHERE p.code = $1');

export const BATCHES_PAGE = `
  SELECT b.id, b.period, b.kind, b.status, b.approved_at AS "approvedAt", b.exported_at AS "exportedAt", b.paid_at AS "paidAt",
         (SELECT count(*)::int FROM settlement_line l WHERE l.batch_id = b.id) AS "lineCount",
         (SELECT coalesce(sum(l.total_pay), 0)::text FROM settlement_line l WHERE l.batch_id = b.id) AS "totalPay"
    FROM settlement_batch b
   WHERE ($1::int IS NULL OR b.id > $1) AND ($2::text IS NULL OR b.status = $2) AND ($3::text IS NULL OR b.period = $3)
   ORDER BY b.id LIMIT $4`;

export const BATCH_EXISTS = `SELECT id, status FROM settlement_batch WHERE id = $1`;

/** $4: whether the caller may see bank accounts (payouts:read). */
export const LINES_PAGE = `
  SELECT l.id, p.code AS "partnerCode", p.name AS "partnerName", l.accrual_count AS "accrualCount", l.accrued::text, l.score_y::text AS "scoreY",
         l.coefficient_p::text AS "coefficientP", l.base_pay::text AS "basePay", l.quality_pay::text AS "qualityPay", l.adjustments::text,
         l.total_pay::text AS "totalPay", CASE WHEN $4 THEN p.bank_account_no END AS "bankAccountNo", CASE WHEN $4 THEN p.bank_name END AS "bankName"
    FROM settlement_line l JOIN partner p ON p.id = l.partner_id
   WHERE l.batch_id = $1 AND ($2::bigint IS NULL OR l.id > $2)
   ORDER BY l.id LIMIT $3`;
