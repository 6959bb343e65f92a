/** Set-based statements of the notifications module. */

/**
 * Inserts one row per (event, recipient user) from a JSON list; inactive users are skipped; a row that exists already
 * (the event's code ran twice) is left alone. Returns only the rows written now, so email goes out once.
 */
export const INSERT_FOR_USERS = `
  INSERT INTO notification (event_key, recipient, recipient_user_id, kind, params, link)
  SELECT x.key, 'u:' || u.id, u.id, $1, COALESCE(x.params, '{}'::jsonb), COALESCE(x.link, '')
    FROM jsonb_to_recordset($2::jsonb) AS x(key text, user_id int, params jsonb, link text)
    JOIN user_account u ON u.id = x.user_id AND u.active
  ON CONFLICT (event_key, recipient) DO NOTHING
  RETURNING id, event_key AS key, recipient_user_id AS "userId", params, link`;

export const INSERT_FOR_ADDRESS = `
  INSERT INTO notification (event_key, recipient, recipient_email, kind, params, link)
  VALUES ($1, 'e:' || lower($2), $2, $3, $4::jsonb, $5)
  ON CONFLICT (event_key, recipient) DO NOTHING
  RETURNING id`;

/** Where and in which language each user reads email, and whether they switched this kind off. */
export const MAIL_TARGETS = `
  SELECT u.id, u.email, u.locale,
         EXISTS (SELECT 1 FROM notification_email_off o WHERE o.user_id = u.id AND o.kind = $2) AS off
    FROM user_account u
   WHERE u.id = ANY($1::int[]) AND u.active AND u.email IS NOT NULL AND u.email <> ''`;

export const USERS_OF_PARTNERS = `SELECT id, partner_id AS "partnerId" FROM user_account WHERE role = 'partner' AND active AND partner_id = ANY($1::int[]) ORDER BY id`;
export const USERS_OF_ROLES = `SELECT id FROM user_account WHERE role = ANY($1::varchar[]) AND active ORDER BY id`;

export const UNREAD_COUNT = `SELECT count(*)::int AS n FROM notification WHERE recipient_user_id = $1 AND read_at IS NULL`;

export const INBOX_PAGE = `
  SELECT id, kind, params, link, created_at AS "createdAt", read_at AS "readAt", count(*) OVER ()::int AS total
    FROM notification WHERE recipient_user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
   ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`;

export const INBOX_TOTAL = `SELECT count(*)::int AS n FROM notification WHERE recipient_user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)`;

/** Marks one of the user's own notifications read; another user's id matches nothing (the caller answers 404). */
export const OPEN_OWN = `
  UPDATE notification SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_user_id = $2 RETURNING link`;

export const READ_ALL = `UPDATE notification SET read_at = now() WHERE recipient_user_id = $1 AND read_at IS NULL`;
