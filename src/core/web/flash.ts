import { NextFunction, Request, Response } from 'express';

export type FlashType = 'success' | 'error' | 'info';

declare module 'express-session' {
  interface SessionData {
    flash?: { type: FlashType; message: string }[];
  }
}
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** message: a catalogue key (translated in the request's language, with params) or text */
      flash(type: FlashType, message: string, params?: Record<string, unknown>): void;
    }
  }
}

/** One-time messages shown on the next page a person sees (post/redirect/get). */
export function flashMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.flash = (type, message, params) => {
    if (!req.session) return;
    const text = req.t ? req.t(message, params) : message;
    req.session.flash = [...(req.session.flash ?? []), { type, message: text }];
  };
  Object.defineProperty(res.locals, 'flash', {
    enumerable: true,
    configurable: true,
    // read lazily at render time so messages are only consumed by a page actually shown
    get() {
      const messages = req.session?.flash ?? [];
      if (req.session) delete req.session.flash;
      return messages;
    },
  });
  next();
}

/**
 * A redirect waits until the session (its flash message, a refused form) is stored. express-session writes the
 * response head before its own save finishes, so a browser could follow a 303 and load the session before the message
 * was written — on PostgreSQL, where the save and the next load run on different connections, the message was then lost.
 * Sessions holding nothing (a visitor's) are not saved here: they stay unstored.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const s = req.session as (typeof req.session & Record<string, unknown>) | undefined;
    if (!s || !Object.keys(s).some((k) => k !== 'cookie')) return redirect(...args);
    s.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
