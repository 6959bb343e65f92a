import { NextFunction, Request, RequestHandler, Response } from 'express';
import { Actor, Role } from './actor';

/**
 * A signed-in session ends `hours` after sign-in however active it is (the idle expiry is the cookie's and the
 * store's); the stored session row is deleted and the request goes on as a visitor's.
 */
export function absoluteSessionLifetime(hours: number): RequestHandler {
  const limitMs = hours * 3_600_000;
  return (req: Request, _res: Response, next: NextFunction) => {
    const created = req.session?.meta?.createdAt;
    if (!created || Date.now() - created <= limitMs) return next();
    req.session.destroy((err) => {
      if (err) return next(err);
      // a fresh, empty session (stored only if something is put in it): nobody is signed in any more
      (req as unknown as { sessionStore: { generate(r: Request): void } }).sessionStore.generate(req);
      next();
    });
  };
}

/** Where a user who must enrol a second factor may still go: the enrolment itself, signing out, the language. */
const ENROL_PATHS = [/^\/account\/mfa(\/|$)/, /^\/logout$/, /^\/api\/auth\/(logout|me|csrf)$/, /^\/language$/, /^\/public\//, /^\/health/];

/** With REQUIRE_MFA_FOR, such a user without TOTP is sent to enrol before anything else (API calls get 403). */
export function requireSecondFactor(setting: string): RequestHandler {
  const roles = new Set(setting.split(',').filter(Boolean) as Role[]);
  return (req: Request, res: Response, next: NextFunction) => {
    const user = req.user as Actor | undefined;
    if (!roles.size || !user || !roles.has(user.role) || user.mfaEnabled || ENROL_PATHS.some((p) => p.test(req.path))) return next();
    if (req.path.startsWith('/api/') || (req.headers.accept ?? '').includes('application/json')) {
      res.status(403).json({ statusCode: 403, error: 'Forbidden', message: req.t ? req.t('auth:mfa.requiredFirst') : 'auth:mfa.requiredFirst' });
      return;
    }
    res.redirect(303, '/account/mfa');
  };
}
