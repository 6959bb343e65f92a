import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { NotificationsService } from './notifications.service';

/**
 * The header's bell: the unread count is read only when a page is rendered for a signed-in user — one indexed count
 * per page, none for JSON answers, redirects or anonymous visitors. It wraps res.render because pages are rendered
 * both by @Render and by controllers calling res.render themselves.
 */
@Injectable()
export class UnreadBellMiddleware implements NestMiddleware {
  constructor(private readonly notifications: NotificationsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const userId = (req.user as Actor | undefined)?.id;
    if (userId && userId > 0) {
      type Done = (err: Error, html: string) => void;
      const render = res.render.bind(res) as (view: string, options?: object, cb?: Done) => void;
      res.render = ((view: string, options?: object | Done, cb?: Done) => {
        this.notifications.unreadCount(userId)
          .then((n) => { res.locals.unreadNotifications = n; }, () => undefined)
          .finally(() => (typeof options === 'function' ? render(view, undefined, options as Done) : render(view, options as object | undefined, cb)));
      }) as Response['render'];
    }
    next();
  }
}
