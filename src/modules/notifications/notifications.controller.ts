import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, AnyRole } from '../../core/auth/roles.decorator';
import { plainQuery } from '../../core/web/list-query';
import { kindsForRole, MANDATORY_EMAIL_KINDS } from './notification-kinds.util';
import { NotificationsService } from './notifications.service';

const PAGE_SIZE = 20;

function pageOf(query: Record<string, unknown>): number {
  const q = plainQuery(query);
  return /^\d{1,6}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
}

/** The inbox: every signed-in user reads only their own notifications (someone else's id answers 404). */
@ApiExcludeController()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @AnyRole()
  @Render('notifications/list')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request) {
    const page = pageOf(query);
    const unreadOnly = plainQuery(query).unread === '1';
    const { rows, total } = await this.notifications.inbox(actor.id, req.lang, { size: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, unreadOnly });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const base = unreadOnly ? '/notifications?unread=1&' : '/notifications?';
    return {
      title: 'notifications:inbox.title', rows, total, unreadOnly, anyUnread: rows.some((r) => !r.readAt) || unreadOnly,
      pageLabel: req.t('notifications:inbox.page', { page, pages, total }),
      prevHref: page > 1 ? `${base}page=${page - 1}` : null, nextHref: page < pages ? `${base}page=${page + 1}` : null,
    };
  }

  /** Following a notification marks it read and goes to the page where the reader acts. */
  @Get(':id/open')
  @AnyRole()
  async open(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    res.redirect(303, await this.notifications.open(actor.id, id));
  }

  @Post('read-all')
  @AnyRole()
  @AllowWhileExiting()
  async readAll(@CurrentUser() actor: Actor, @Req() req: Request, @Res() res: Response) {
    await this.notifications.markAllRead(actor.id);
    req.flash('success', 'notifications:flash.allRead');
    res.redirect(303, '/notifications');
  }

  @Get('settings')
  @AnyRole()
  @Render('notifications/settings')
  async settings(@CurrentUser() actor: Actor) {
    return { title: 'notifications:settings.title', kinds: await this.notifications.preferences(actor.id, actor.role), always: kindsForRole([...MANDATORY_EMAIL_KINDS], actor.role) };
  }

  @Post('settings')
  @AnyRole()
  @AllowWhileExiting()
  async saveSettings(@CurrentUser() actor: Actor, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const on = Array.isArray(body.email) ? body.email.map(String) : typeof body.email === 'string' ? [body.email] : [];
    await this.notifications.savePreferences(actor.id, actor.role, on);
    req.flash('success', 'notifications:flash.settingsSaved');
    res.redirect(303, '/notifications/settings');
  }
}

/** The same inbox as JSON. */
@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsApiController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @AnyRole()
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request) {
    const page = pageOf(query);
    const [{ rows, total }, unread] = await Promise.all([
      this.notifications.inbox(actor.id, req.lang, { size: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, unreadOnly: plainQuery(query).unread === '1' }),
      this.notifications.unreadCount(actor.id),
    ]);
    return { page, pageSize: PAGE_SIZE, total, unread, items: rows };
  }

  @Post(':id/read')
  @AnyRole()
  @AllowWhileExiting()
  @HttpCode(200)
  async read(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { link: await this.notifications.open(actor.id, id) };
  }

  @Post('read-all')
  @AnyRole()
  @AllowWhileExiting()
  @HttpCode(200)
  async readAll(@CurrentUser() actor: Actor) {
    await this.notifications.markAllRead(actor.id);
    return { unread: 0 };
  }
}
