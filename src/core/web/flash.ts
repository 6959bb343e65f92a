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
      flash(type: FlashType, message: string): void;
    }
  }
}

/** One-time messages shown on the next page a person sees (post/redirect/get). */
export function flashMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.flash = (type, message) => {
    if (!req.session) return;
    req.session.flash = [...(req.session.flash ?? []), { type, message }];
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
