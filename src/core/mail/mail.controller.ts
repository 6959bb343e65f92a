import { Controller, Get, NotFoundException, Param, ParseIntPipe, Query, Render } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/roles.decorator';
import { plainQuery } from '../web/list-query';
import { MAIL_STATUSES } from './mail.service';

const PAGE_SIZE = 50;

/**
 * The outbox (admin): every e-mail the portal wrote, its status (queued / sent / failed with the error / captured when
 * no SMTP server is configured) and attempts; one message with its text. Only admins: invitations and reset links are
 * in there when mail is captured.
 */
@ApiTags('mail')
@Controller()
export class MailController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get('admin/mail')
  @Roles('admin')
  @Render('admin/mail')
  async list(@Query() query: Record<string, unknown>) {
    const q = plainQuery(query);
    const status = (MAIL_STATUSES as readonly string[]).includes(q.status) ? q.status : '';
    const page = Math.max(1, Math.min(100_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const rows = await this.db.query(
      `SELECT id, to_address AS "to", template, lang, status, subject, attempts, last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"
         FROM mail_outbox WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT ${PAGE_SIZE + 1} OFFSET ${(page - 1) * PAGE_SIZE}`, [status]);
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE ($1 = '' OR status = $1)`, [status]);
    const link = (p: number) => `/admin/mail?${new URLSearchParams({ ...(status ? { status } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
    return {
      title: 'mail:admin.title', mails: rows.slice(0, PAGE_SIZE), statuses: MAIL_STATUSES, filter: { status }, total: n,
      prevHref: page > 1 ? link(page - 1) : null, nextHref: rows.length > PAGE_SIZE ? link(page + 1) : null, page,
    };
  }

  @Get('admin/mail/:id')
  @Roles('admin')
  @Render('admin/mail-message')
  async one(@Param('id', ParseIntPipe) id: number) {
    const [mail] = await this.db.query(
      `SELECT id, to_address AS "to", template, lang, status, subject, body_text AS "text", attempts, last_error AS "lastError",
              dedupe_key AS "dedupeKey", created_at AS "createdAt", sent_at AS "sentAt"
         FROM mail_outbox WHERE id = $1`, [id]);
    if (!mail) throw new NotFoundException('mail:admin.notFound');
    return { title: 'mail:admin.one', mail };
  }
}
