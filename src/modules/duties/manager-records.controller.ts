import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { formatDateTime } from '../../core/i18n/format.util';
import { buildPager, parseListQuery } from '../../core/web/list-query';
import { localMinuteOf } from './date.util';
import { RECORD_TYPES } from './duty-rules.util';
import { SubmitRecordDto } from './dto/duties.dto';
import { parseRecordFilters, RECORD_LIST, RecordsService } from './records.service';
import { sendRecordsXlsx } from './records-xlsx';

/**
 * The channel manager as a service channel (#17, seed 003 客户经理+合作伙伴): a manager who holds customers records
 * service work for them with the partners' form and rules; the records tick the checklist items of those customers.
 */
@ApiExcludeController()
@Controller('duties/records')
export class ManagerRecordsController {
  constructor(private readonly records: RecordsService) {}

  /** The manager's own records: filter (quarter, customer, type), sort, pages, `?format=xlsx`. */
  @Get()
  @Roles('channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseRecordFilters(query);
    const list = parseListQuery(query, RECORD_LIST);
    if (query.format === 'xlsx') return sendRecordsXlsx(req, res, (await this.records.pageForManager(actor.id, filter, { ...list, offset: 0, size: 100_000 })).rows, filter, 'duties:managerRecords.title');
    const { rows, total } = await this.records.pageForManager(actor.id, filter, list);
    res.render('duties/records', { title: 'duties:managerRecords.title', rows, filter, recordTypes: RECORD_TYPES, list, pager: buildPager(total, list, '/duties/records', query) });
  }

  @Get('new')
  @Roles('channel_manager')
  @Render('my/records-new')
  async newRecord(@CurrentUser() actor: Actor, @Query('customerId') customerId?: string) {
    const customers = await this.records.customersHeldByManager(actor.id);
    const now = new Date(); // the latest allowed time, in the business time zone like the partners' form
    return {
      title: 'duties:recordForm.title', customers, noCustomers: !customers.length, recordTypes: RECORD_TYPES, formAction: '/duties/records',
      selected: typeof customerId === 'string' ? customerId : '', now: localMinuteOf(now), nowLabel: formatDateTime(now),
    };
  }

  @Post()
  @Roles('channel_manager')
  async submit(@CurrentUser() actor: Actor, @Body() dto: SubmitRecordDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.records.submit(actor, dto);
    req.flash('success', r.ticked ? 'duties:flash.recordTicked' : 'duties:flash.recordSaved', { ticked: r.ticked });
    res.redirect(303, '/duties/records');
  }
}
