import { NextFunction, Request, RequestHandler, Response } from 'express';
import { Actor } from './actor';

/**
 * The signed-in user is loaded together with the session, in the same query, instead of in a second round trip
 * per request (passport's session strategy). The user is still read fresh on every request, so deactivating a
 * user or moving a partner into exit takes effect on that user's next request.
 */

/** Columns of an Actor, for `user_account u LEFT JOIN partner p` — one list for both queries that load one. */
export const ACTOR_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.role, u.partner_id AS "partnerId", u.active, p.status AS "partnerStatus", u.locale, u.totp_enabled_at IS NOT NULL AS "mfaEnabled"`;

export interface ActorRow { id: number | null; username: string; displayName: string; role: Actor['role']; partnerId: number | null; active: boolean | null; partnerStatus: string | null; locale?: string | null; mfaEnabled?: boolean | null }

/** A deactivated or deleted user is nobody. */
export function actorFromRow(u: ActorRow | undefined): Actor | null {
  if (!u || u.id === null || !u.active) return null;
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, partnerId: u.partnerId, partnerStatus: u.partnerStatus, locale: u.locale ?? null, mfaEnabled: !!u.mfaEnabled };
}

/**
 * Session row + the user its passport entry names. Parameters: $1 session id, $2 now in epoch seconds.
 * A user id that is not a plain integer (never written by us) joins no user.
 */
export function sessionWithActorSql(table: string): string {
  return `SELECT s.sess, ${ACTOR_COLUMNS}
            FROM ${table} s
            LEFT JOIN user_account u
              ON u.id = CASE WHEN s.sess->'passport'->>'user' ~ '^[0-9]{1,9}$' THEN (s.sess->'passport'->>'user')::int END
            LEFT JOIN partner p ON p.id = u.partner_id
           WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;
}

/** Where the loaded user waits for sessionUser(): a symbol key, so it is never copied into the stored session. */
const PRELOADED = Symbol('preloadedActor');
type PassportHolder = { user?: string; [PRELOADED]?: Actor | null };

export function attachActor(sess: { passport?: PassportHolder }, row: ActorRow): void {
  if (sess.passport && typeof sess.passport === 'object') sess.passport[PRELOADED] = actorFromRow(row);
}

/**
 * Sets req.user from the session (what passport.session() did): the user loaded with the session, or, for a
 * session that did not come through the joined query, loadActor. A user who is gone is signed out.
 */
export function sessionUser(loadActor: (id: number) => Promise<Actor | null>): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const holder = (req.session as { passport?: PassportHolder } | undefined)?.passport;
    if (!holder || holder.user === undefined) return next();
    const preloaded = holder[PRELOADED];
    const load = preloaded !== undefined ? Promise.resolve(preloaded) : loadActor(Number(holder.user));
    load.then((actor) => {
      if (actor) req.user = actor;
      else delete holder.user;
      next();
    }, next);
  };
}
