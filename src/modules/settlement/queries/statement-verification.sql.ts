/** Statement PDFs issued with a verification code (#16). */
export const INSERT_VERIFICATION = `
  INSERT INTO statement_verification (code, partner_id, period, figures_hash, figures, total_pay, issued_by, issued_by_label)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) RETURNING id`;

export const FIND_VERIFICATION = `
  SELECT v.id, v.code, v.partner_id, v.period, v.figures_hash, v.total_pay::text AS total_pay, v.issued_at,
         coalesce(nullif(u.display_name, ''), v.issued_by_label) AS issued_by, p.code AS partner_code, p.name AS partner_name
    FROM statement_verification v JOIN partner p ON p.id = v.partner_id LEFT JOIN user_account u ON u.id = v.issued_by
   WHERE v.code = $1`;
